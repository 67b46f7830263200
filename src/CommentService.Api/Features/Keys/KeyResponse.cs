using CommentService.Api.Data;

namespace CommentService.Api.Features.Keys;

/// <summary>An API key as listed: never the secret itself.</summary>
public record KeyResponse
{
    public Guid Id { get; init; }
    public string SiteId { get; init; } = "";
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The first characters of the key, to tell keys apart.</summary>
    public string Prefix { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public static KeyResponse From(ApiKey k) => new()
    {
        Id = k.Id,
        SiteId = k.SiteId,
        Name = k.Name,
        Scopes = k.Scopes,
        Prefix = k.Prefix,
        CreatedAt = k.CreatedAt,
        ExpiresAt = k.ExpiresAt,
        RevokedAt = k.RevokedAt,
    };
}

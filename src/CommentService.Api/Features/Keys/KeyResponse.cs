using CommentService.Api.Data;

namespace CommentService.Api.Features.Keys;

/// <summary>An API key as listed: never the secret itself.</summary>
public record KeyResponse(
    Guid Id,
    string SiteId,
    string Name,
    IReadOnlyList<string> Scopes,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    public static KeyResponse From(ApiKey k) => new(k.Id, k.SiteId, k.Name, k.Scopes, k.Prefix, k.CreatedAt, k.ExpiresAt, k.RevokedAt);
}

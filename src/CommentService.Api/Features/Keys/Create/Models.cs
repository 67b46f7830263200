using CommentService.Api.Domain;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Keys.Create;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Any of comments:read, comments:write, moderate, admin (admin includes the others).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>When the key stops working; omit for a key that lasts until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator(TimeProvider clock)
    {
        RuleFor(r => r.Name).CleanText("name", Limits.KeyNameLength);
        RuleFor(r => r.Scopes).NotEmpty().WithMessage("Name at least one scope.");
        RuleForEach(r => r.Scopes).Must(s => Infrastructure.Auth.ApiScopes.All.Contains(s))
            .WithMessage($"Unknown scope; use {string.Join(", ", Infrastructure.Auth.ApiScopes.All)}.");
        RuleFor(r => r.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow())
            .WithMessage("expiresAt must be in the future.");
    }
}

/// <summary>The new key, with its secret: shown this once, stored only as a hash.</summary>
public sealed record Response : KeyResponse
{
    public Response(KeyResponse listed, string key) : base(listed)
    {
        Key = key;
    }

    /// <summary>The secret to send as Authorization: Bearer; only this answer carries it.</summary>
    public string Key { get; init; }
}

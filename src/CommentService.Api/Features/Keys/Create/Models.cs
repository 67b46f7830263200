using CommentService.Api.Domain;
using CommentService.Api.Infrastructure.Auth;
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
        RuleFor(r => r.Name).Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(Limits.KeyNameLength)
            .Must(n => !Infrastructure.TextRules.HasForbiddenCharacters(n, allowNewlines: false))
            .WithMessage("Control characters and invalid Unicode are not allowed.");
        RuleFor(r => r.Scopes).NotEmpty().WithMessage("Name at least one scope.");
        RuleForEach(r => r.Scopes).Must(s => Infrastructure.Auth.ApiScopes.All.Contains(s))
            .WithMessage($"Unknown scope; use {string.Join(", ", Infrastructure.Auth.ApiScopes.All)}.");
        RuleFor(r => r.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow())
            .WithMessage("expiresAt must be in the future.");
    }
}

/// <summary>The new key, with its secret: shown this once, stored only as a hash.</summary>
public sealed record Response(
    Guid Id,
    string SiteId,
    string Name,
    IReadOnlyList<string> Scopes,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string Key) : KeyResponse(Id, SiteId, Name, Scopes, Prefix, CreatedAt, ExpiresAt, RevokedAt);

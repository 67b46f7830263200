using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Sites.UserTokenSecret;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>Minutes the replaced secret still verifies tokens (0–10080, default 0: at once invalid), for a rotation without logging readers out.</summary>
    [QueryParam]
    public int? PreviousValidMinutes { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator() => RuleFor(r => r.PreviousValidMinutes).InclusiveBetween(0, 7 * 24 * 60);
}

/// <param name="Secret">The HMAC-SHA256 key for X-User-Token; shown only in this answer.</param>
/// <param name="CreatedAt">From now on tokens signed with this secret verify.</param>
/// <param name="PreviousValidUntil">Until when tokens signed with the replaced secret still verify; null when they no longer do.</param>
public sealed record Response(string Secret, DateTimeOffset CreatedAt, DateTimeOffset? PreviousValidUntil);

public sealed class Endpoint(CommentsDb db, UserTokens tokens, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/sites/{siteId}/user-token-secret");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("createUserTokenSecret").Produces<Response>(201).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Create (or rotate) the site's user-token secret";
            s.Description = "The site signs X-User-Token with this secret (JWT, HS256) to vouch for its logged-in readers. "
                + "The secret is shown once and stored encrypted; creating a new one invalidates tokens signed with the old, "
                + "at once or, with previousValidMinutes, after that many minutes (a rotation without logging readers out).";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct, track: true);
        var secret = Secrets.NewSigningSecret();
        var now = clock.GetUtcNow();
        var grace = req.PreviousValidMinutes ?? 0;
        site.UserTokenPreviousSecretProtected = grace > 0 ? site.UserTokenSecretProtected : null;
        site.UserTokenPreviousSecretUntil = site.UserTokenPreviousSecretProtected is null ? null : now.AddMinutes(grace);
        site.UserTokenSecretProtected = tokens.Protect(secret);
        site.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(new Response(secret, site.UpdatedAt, site.UserTokenPreviousSecretUntil), 201, ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using FastEndpoints;

namespace CommentService.Api.Features.Sites.UserTokenSecret;

public sealed class Request
{
    public string SiteId { get; set; } = "";
}

/// <param name="Secret">The HMAC-SHA256 key for X-User-Token; shown only in this answer.</param>
/// <param name="CreatedAt">From now on only tokens signed with this secret verify.</param>
public sealed record Response(string Secret, DateTimeOffset CreatedAt);

public sealed class Endpoint(CommentsDb db, UserTokens tokens, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/sites/{siteId}/user-token-secret");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("createUserTokenSecret").Produces<Response>(201).ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Create (or rotate) the site's user-token secret";
            s.Description = "The site signs X-User-Token with this secret (JWT, HS256) to vouch for its logged-in readers. "
                + "The secret is shown once and stored encrypted; creating a new one invalidates tokens signed with the old.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct, track: true);
        var secret = Secrets.NewSigningSecret();
        site.UserTokenSecretProtected = tokens.Protect(secret);
        site.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(new Response(secret, site.UpdatedAt), 201, ct);
    }
}

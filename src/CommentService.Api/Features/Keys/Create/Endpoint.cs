using CommentService.Api.Data;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;

namespace CommentService.Api.Features.Keys.Create;

public sealed class Endpoint(CommentsDb db, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/sites/{siteId}/keys");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("createKey").Produces<Response>(201).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Create an API key";
            s.Description = "Issues a key for the site. The secret `key` is in this answer only; the service keeps its hash. Operator key, or a site key with the admin scope.";
            s.ExampleRequest = new Request { SiteId = "film-blog", Name = "moderation bot", Scopes = ["moderate"] };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var secret = Secrets.NewApiKey();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            SiteId = req.SiteId,
            Name = req.Name.Trim(),
            Scopes = req.Scopes.Distinct(StringComparer.Ordinal).ToList(),
            KeyHash = Secrets.Hash(secret),
            Prefix = secret[..(Secrets.ApiKeyPrefix.Length + 6)],
            CreatedAt = clock.GetUtcNow(),
            // PostgreSQL's timestamptz takes UTC only; clients may send any offset.
            ExpiresAt = req.ExpiresAt?.ToUniversalTime(),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(new Response(KeyResponse.From(key), secret), 201, ct);
    }
}

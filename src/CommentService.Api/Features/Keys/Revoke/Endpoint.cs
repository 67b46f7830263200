using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Keys.Revoke;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid KeyId { get; set; }
}

public sealed class Endpoint(CommentsDb db, TimeProvider clock) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("/sites/{siteId}/keys/{keyId}");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("revokeKey").Produces(204).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Revoke an API key";
            s.Description = "The key stops working at once (401 from then on). Revoking twice is harmless. Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == req.KeyId && k.SiteId == req.SiteId, ct)
                  ?? throw ApiProblemException.NotFound($"Key '{req.KeyId}' of site '{req.SiteId}'");
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await Send.NoContentAsync(ct);
    }
}

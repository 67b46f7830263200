using CommentService.Api.Data;
using CommentService.Api.Features.Sites;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Keys.List;

public sealed class Request
{
    public string SiteId { get; set; } = "";
}

public sealed record Response(IReadOnlyList<KeyResponse> Items);

public sealed class Endpoint(CommentsDb db) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/keys");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("listKeys").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "List a site's API keys";
            s.Description = "Every key of the site, revoked ones included, newest first; never the secrets. Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SiteId == req.SiteId)
            .OrderByDescending(k => k.CreatedAt)
            .ToListAsync(ct);
        await Send.OkAsync(new Response(keys.Select(KeyResponse.From).ToList()), ct);
    }
}

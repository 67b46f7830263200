using CommentService.Api.Data;
using CommentService.Api.Features.Sites;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Webhooks.List;

public sealed class Request
{
    public string SiteId { get; set; } = "";
}

public sealed record Response(IReadOnlyList<WebhookResponse> Items);

public sealed class Endpoint(CommentsDb db) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("");
        Group<WebhooksGroup>();
        Description(b => b.WithName("listWebhooks").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "List a site's webhooks";
            s.Description = "Every webhook of the site, newest first; never the secrets. Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var webhooks = await db.Webhooks.AsNoTracking()
            .Where(w => w.SiteId == req.SiteId)
            .OrderByDescending(w => w.CreatedAt)
            .ToListAsync(ct);
        await Send.OkAsync(new Response(webhooks.Select(WebhookResponse.From).ToList()), ct);
    }
}

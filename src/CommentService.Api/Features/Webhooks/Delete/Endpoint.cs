using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Webhooks.Delete;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid WebhookId { get; set; }
}

public sealed class Endpoint(CommentsDb db) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("{webhookId}");
        Group<WebhooksGroup>();
        Description(b => b.WithName("deleteWebhook").Produces(204).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Delete a webhook";
            s.Description = "Nothing more is sent to it, pending deliveries included; its delivery history goes with it. Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var deleted = await db.Webhooks.Where(w => w.Id == req.WebhookId && w.SiteId == req.SiteId).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            throw ApiProblemException.NotFound($"Webhook '{req.WebhookId}' of site '{req.SiteId}'");
        }
        await Send.NoContentAsync(ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Webhooks.Deliveries;

public sealed class RetryRequest
{
    public string SiteId { get; set; } = "";
    public Guid WebhookId { get; set; }
    public Guid DeliveryId { get; set; }
}

/// <param name="Id">The delivery.</param>
/// <param name="Status">pending: queued for the dispatcher again.</param>
public sealed record RetryResponse(Guid Id, string Status);

public sealed class RetryEndpoint(CommentsDb db, TimeProvider clock) : Endpoint<RetryRequest, RetryResponse>
{
    public override void Configure()
    {
        Post("{webhookId}/deliveries/{deliveryId}/retry");
        Group<WebhooksGroup>();
        Description(b => b.WithName("retryWebhookDelivery").Produces<RetryResponse>(202).ProducesProblems(401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "Send a delivery again";
            s.Description = "Queues a failed (or already delivered) delivery for the dispatcher with a fresh count of attempts, "
                + "for when the receiver is fixed. The event id stays the same, so receivers can de-duplicate. 409 while it is still pending.";
        });
    }

    public override async Task HandleAsync(RetryRequest req, CancellationToken ct)
    {
        var delivery = await (from d in db.Set<WebhookDelivery>()
                              join w in db.Set<Webhook>() on d.WebhookId equals w.Id
                              where d.Id == req.DeliveryId && w.Id == req.WebhookId && w.SiteId == req.SiteId
                              select d).SingleOrDefaultAsync(ct)
                       ?? throw ApiProblemException.NotFound($"Delivery '{req.DeliveryId}' of webhook '{req.WebhookId}'");
        if (delivery.Status == DeliveryStatus.Pending)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, "The delivery is still pending; the dispatcher will try it again by itself.");
        }
        delivery.Status = DeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(new RetryResponse(delivery.Id, delivery.Status), 202, ct);
    }
}

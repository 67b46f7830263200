using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Webhooks.Deliveries;

public sealed class ListRequest
{
    public string SiteId { get; set; } = "";
    public Guid WebhookId { get; set; }

    /// <summary>Only deliveries in this state: pending, delivered or failed.</summary>
    [QueryParam]
    public string? Status { get; set; }

    /// <summary>1 to 100; default 20.</summary>
    [QueryParam]
    public int? Limit { get; set; }

    [QueryParam]
    public string? Cursor { get; set; }
}

public sealed class Validator : Validator<ListRequest>
{
    public Validator()
    {
        RuleFor(r => r.Status).Must(s => s is null or DeliveryStatus.Pending or DeliveryStatus.Delivered or DeliveryStatus.Failed)
            .WithMessage("status is pending, delivered or failed.");
        RuleFor(r => r.Limit).InclusiveBetween(1, Limits.MaxPageSize);
        RuleFor(r => r.Cursor).Must(c => c is null || KeysetCursor.TryDecode(c, out _, out _)).WithMessage("The cursor is not valid.");
    }
}

/// <summary>One event on its way to the webhook.</summary>
/// <param name="Id">The delivery (one event to this webhook).</param>
/// <param name="EventId">Also sent as X-CommentService-Delivery: the same on every attempt.</param>
/// <param name="Type">The event type, e.g. comment.held.</param>
/// <param name="Status">pending (waiting or retrying), delivered, or failed (gave up after the last attempt).</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="CreatedAt">When the event was queued for this webhook.</param>
/// <param name="LastAttemptAt">When the last attempt started.</param>
/// <param name="NextAttemptAt">When a pending delivery is tried next.</param>
/// <param name="DeliveredAt">When the receiver accepted it (a 2xx answer).</param>
/// <param name="LastStatusCode">The receiver's HTTP status on the last attempt, if it answered.</param>
/// <param name="LastError">Why the last attempt failed.</param>
public sealed record DeliveryResponse(
    Guid Id,
    Guid EventId,
    string Type,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatusCode,
    string? LastError);

public sealed record ListResponse(IReadOnlyList<DeliveryResponse> Items, string? NextCursor);

public sealed class Endpoint(CommentsDb db) : Endpoint<ListRequest, ListResponse>
{
    public override void Configure()
    {
        Get("{webhookId}/deliveries");
        Group<WebhooksGroup>();
        Description(b => b.WithName("listWebhookDeliveries").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "A webhook's recent deliveries";
            s.Description = "Newest first, cursor-paged: each event sent or to be sent, its status, attempts, and the last error. "
                + "Delivered and long-failed deliveries are removed after the retention period. Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(ListRequest req, CancellationToken ct)
    {
        if (!await db.Webhooks.AnyAsync(w => w.Id == req.WebhookId && w.SiteId == req.SiteId, ct))
        {
            throw ApiProblemException.NotFound($"Webhook '{req.WebhookId}' of site '{req.SiteId}'");
        }
        var limit = req.Limit ?? Limits.DefaultPageSize;
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == req.WebhookId);
        if (req.Status is { } status)
        {
            query = query.Where(d => d.Status == status);
        }
        if (req.Cursor is not null && KeysetCursor.TryDecode(req.Cursor, out var at, out var id))
        {
            query = query.Where(d => d.CreatedAt < at || (d.CreatedAt == at && d.Id.CompareTo(id) < 0));
        }
        var rows = await query
            .Join(db.WebhookEvents, d => d.EventId, e => e.Id, (d, e) => new { Delivery = d, e.Type })
            .OrderByDescending(x => x.Delivery.CreatedAt).ThenByDescending(x => x.Delivery.Id)
            .Take(limit + 1)
            .ToListAsync(ct);
        var next = rows.Count > limit ? KeysetCursor.Encode(rows[limit - 1].Delivery.CreatedAt, rows[limit - 1].Delivery.Id) : null;
        var items = rows.Take(limit).Select(x => new DeliveryResponse(
            x.Delivery.Id, x.Delivery.EventId, x.Type, x.Delivery.Status, x.Delivery.Attempts, x.Delivery.CreatedAt, x.Delivery.LastAttemptAt,
            x.Delivery.Status == DeliveryStatus.Pending ? x.Delivery.NextAttemptAt : null,
            x.Delivery.DeliveredAt, x.Delivery.LastStatusCode, x.Delivery.LastError)).ToList();
        await Send.OkAsync(new ListResponse(items, next), ct);
    }
}

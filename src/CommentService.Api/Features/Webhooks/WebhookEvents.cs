using System.Text.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Comments;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Webhooks;

/// <summary>
/// Writes webhook events to the outbox, in the caller's transaction: an event exists exactly when the
/// change that caused it committed. One statement stores the event and a pending delivery for each of
/// the site's webhooks subscribed to it (nothing when none is). The dispatcher sends them later.
/// </summary>
public sealed class WebhookEvents(CommentsDb db, TimeProvider clock)
{
    public const string CommentCreated = "comment.created";
    public const string CommentHeld = "comment.held";
    public const string CommentApproved = "comment.approved";
    public const string CommentRejected = "comment.rejected";
    public const string CommentReported = "comment.reported";
    public const string CommentAppealed = "comment.appealed";
    public const string CommentAppealDecided = "comment.appeal_decided";

    public static readonly IReadOnlyList<string> Types =
        [CommentCreated, CommentHeld, CommentApproved, CommentRejected, CommentReported, CommentAppealed, CommentAppealDecided];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A new comment: comment.created, and comment.held too when it waits for a moderator (pending or spam).</summary>
    public async Task CommentCreatedAsync(Comment comment, string articleId, CancellationToken ct)
    {
        await EnqueueAsync(comment.SiteId, CommentCreated, comment.CreatedAt, CommentData(comment, articleId), ct);
        if (comment.Status is CommentStatus.Pending or CommentStatus.Spam)
        {
            await EnqueueAsync(comment.SiteId, CommentHeld, comment.CreatedAt, CommentData(comment, articleId), ct);
        }
    }

    /// <summary>A moderator's decision: comment.approved, or comment.rejected for rejected and spam (the comment's status tells which).</summary>
    public Task CommentDecidedAsync(Comment comment, string articleId, CommentStatus from, string? reason, CancellationToken ct)
    {
        var type = comment.Status == CommentStatus.Approved ? CommentApproved : CommentRejected;
        var data = CommentData(comment, articleId);
        data["previousStatus"] = from.ToWire();
        data["reason"] = reason;
        return EnqueueAsync(comment.SiteId, type, clock.GetUtcNow(), data, ct);
    }

    /// <summary>A comment sent back to the moderators without a moderator's decision (readers' reports): comment.held.</summary>
    public Task CommentHeldAsync(Comment comment, string articleId, string reason, CancellationToken ct)
    {
        var data = CommentData(comment, articleId);
        data["reason"] = reason;
        return EnqueueAsync(comment.SiteId, CommentHeld, clock.GetUtcNow(), data, ct);
    }

    /// <summary>A reader reported a comment; <paramref name="report"/> (e.g. its reason) is sent as <c>data.report</c>.</summary>
    public Task CommentReportedAsync(Comment comment, string articleId, object report, CancellationToken ct)
    {
        var data = CommentData(comment, articleId);
        data["report"] = JsonSerializer.SerializeToNode(report, report.GetType(), Json);
        return EnqueueAsync(comment.SiteId, CommentReported, clock.GetUtcNow(), data, ct);
    }

    /// <summary>An author appealed their held or rejected comment: comment.appealed with <c>data.appeal</c> (message, state, createdAt).</summary>
    public Task CommentAppealedAsync(Comment comment, string articleId, Appeal appeal, CancellationToken ct)
    {
        var data = CommentData(comment, articleId);
        data["appeal"] = AppealData(appeal);
        return EnqueueAsync(comment.SiteId, CommentAppealed, appeal.CreatedAt, data, ct);
    }

    /// <summary>A moderator's decision closed an appeal: comment.appeal_decided with <c>data.appeal</c> (state upheld or overturned).</summary>
    public Task AppealDecidedAsync(Comment comment, string articleId, Appeal appeal, CommentStatus from, string? reason, CancellationToken ct)
    {
        var data = CommentData(comment, articleId);
        data["previousStatus"] = from.ToWire();
        data["reason"] = reason;
        data["appeal"] = AppealData(appeal);
        return EnqueueAsync(comment.SiteId, CommentAppealDecided, appeal.DecidedAt ?? clock.GetUtcNow(), data, ct);
    }

    /// <summary>The appeal as its author sees it: the moderator's identity and note stay inside.</summary>
    private static JsonObject AppealData(Appeal appeal) => new()
    {
        ["message"] = appeal.Message,
        ["state"] = appeal.State,
        ["createdAt"] = appeal.CreatedAt.ToUniversalTime(),
        ["decidedAt"] = appeal.DecidedAt?.ToUniversalTime(),
    };

    /// <summary>Stores one event for every webhook of the site subscribed to <paramref name="type"/>. Call inside the transaction of the change.</summary>
    public async Task EnqueueAsync(string siteId, string type, DateTimeOffset occurredAt, JsonObject data, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Webhook events are written in the transaction of the change that causes them.");
        }
        var id = Guid.CreateVersion7(occurredAt);
        var body = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["occurredAt"] = occurredAt.ToUniversalTime(),
            ["siteId"] = siteId,
            ["data"] = data,
        }.ToJsonString(Json);
        var at = occurredAt.ToUniversalTime();
        await db.Database.ExecuteSqlAsync($"""
            WITH targets AS (
                SELECT id FROM webhooks WHERE site_id = {siteId} AND {type} = ANY (events)),
            event AS (
                INSERT INTO webhook_events (id, site_id, type, occurred_at, body)
                SELECT {id}, {siteId}, {type}, {at}, {body} WHERE EXISTS (SELECT 1 FROM targets)
                RETURNING id)
            INSERT INTO webhook_deliveries (id, event_id, webhook_id, status, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), event.id, targets.id, 'pending', 0, now(), now() FROM event CROSS JOIN targets
            """, ct);
    }

    /// <summary>The comment as the public API shows it: never the author's email, address or identity hash.</summary>
    private static JsonObject CommentData(Comment comment, string articleId) =>
        new() { ["comment"] = JsonSerializer.SerializeToNode(CommentResponse.From(comment, articleId), Json) };
}

using System.Security.Claims;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Comments;
using CommentService.Api.Features.Comments.Appeals;
using CommentService.Api.Features.Webhooks;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation;

/// <summary>
/// A moderator's decision on one comment, applied under the thread lock with the counters kept true,
/// recorded in the audit log in the same transaction, and fed back to the site's classifier. An open
/// appeal on the comment is closed by the same decision (upheld or overturned) and audited too.
/// </summary>
public sealed class Decisions(CommentsDb db, CommentTree tree, SpamLearning learning, WebhookEvents events, AppealLedger appeals, TimeProvider clock)
{
    public static readonly string[] Actions = ["approve", "reject", "spam"];

    public static CommentStatus TargetOf(string action) => action switch
    {
        "approve" => CommentStatus.Approved,
        "reject" => CommentStatus.Rejected,
        "spam" => CommentStatus.Spam,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static string ActorOf(ClaimsPrincipal user) => user.IsOperator() ? "operator" : $"key:{user.KeyId()}";

    /// <summary>
    /// Applies the decision; 404 for an unknown comment, 412 when <paramref name="ifMatch"/> is given and the
    /// comment's moderation state moved on, 409 when it is deleted or already in that state.
    /// </summary>
    public async Task<(Comment Comment, ArticleThread Thread)> ApplyAsync(
        string siteId, Guid commentId, string action, string? reason, string? note, string actor, CancellationToken ct, string? ifMatch = null)
    {
        var target = TargetOf(action);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await tree.LockThreadOfAsync(siteId, commentId, ct))
        {
            throw ApiProblemException.NotFound($"Comment '{commentId}' of site '{siteId}'");
        }
        var (comment, thread) = await db.RequireAsync(siteId, commentId, ct);
        // Checked under the thread lock, so of two moderators holding the same ETag exactly one passes.
        if (ifMatch is not null && !ModerationETag.Matches(ifMatch, comment))
        {
            throw ModerationETag.Failed(comment);
        }
        var from = comment.Status;
        if (from == CommentStatus.Deleted)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, "The comment was deleted; there is nothing to decide.");
        }
        if (from == target)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The comment is already {target.ToWire()}.");
        }

        var now = clock.GetUtcNow();
        comment.ModeratedAt = now;
        db.ModerationDecisions.Add(ModerationDecision.Record(comment, actor, action, target, reason, note, now));
        var appeal = await appeals.CloseAsync(comment, target, actor, reason, note, now, ct);
        await tree.SaveWithStatusAsync(comment, target, ct);
        await learning.LearnAsync(siteId, comment.Body, from, target, ct);
        await events.CommentDecidedAsync(comment, thread.ArticleId, from, reason, ct);
        if (appeal is not null)
        {
            await events.AppealDecidedAsync(comment, thread.ArticleId, appeal, from, reason, ct);
        }
        await tx.CommitAsync(ct);
        return (comment, thread);
    }
}

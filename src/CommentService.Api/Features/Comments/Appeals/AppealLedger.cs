using CommentService.Api.Data;
using CommentService.Api.Domain;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Comments.Appeals;

/// <summary>An appeal as its author sees it.</summary>
/// <param name="Message">The author's message.</param>
/// <param name="State">open, upheld (the moderator kept the comment hidden) or overturned (the moderator approved it).</param>
/// <param name="CreatedAt">When the author appealed.</param>
/// <param name="DecidedAt">When a moderator's decision closed the appeal; null while it is open.</param>
public sealed record AuthorAppeal(string Message, string State, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt)
{
    public static AuthorAppeal From(Appeal a) => new(a.Message, a.State, a.CreatedAt, a.DecidedAt);
}

/// <summary>An appeal as moderators see it in the queue.</summary>
/// <param name="Message">The author's message.</param>
/// <param name="State">open, upheld or overturned.</param>
/// <param name="StatusAtAppeal">The comment's status when the author appealed: pending, spam or rejected.</param>
/// <param name="CreatedAt">When the author appealed.</param>
/// <param name="DecidedAt">When a moderator's decision closed the appeal; null while it is open.</param>
/// <param name="DecidedBy">operator or key:{id}, as in the audit log.</param>
/// <param name="DecisionNote">The deciding moderator's note.</param>
public sealed record ModeratorAppeal(
    string Message, string State, string StatusAtAppeal, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionNote)
{
    public static ModeratorAppeal From(Appeal a) => new(a.Message, a.State, a.StatusAtAppeal, a.CreatedAt, a.DecidedAt, a.DecidedBy, a.DecisionNote);
}

/// <summary>
/// The rules of appeals in one place: which comments can be appealed, and how a moderator's decision
/// closes an open appeal (in the decision's transaction, with its own audit entry).
/// </summary>
public sealed class AppealLedger(CommentsDb db)
{
    /// <summary>Audit-log actions of appeals.</summary>
    public const string FiledAction = "appeal.filed";
    public const string UpheldAction = "appeal.upheld";
    public const string OverturnedAction = "appeal.overturned";

    /// <summary>Held for a moderator, marked spam, or rejected: the statuses an author may appeal.</summary>
    public static bool IsAppealable(CommentStatus status) => status is CommentStatus.Pending or CommentStatus.Spam or CommentStatus.Rejected;

    /// <summary>The comment's appeal, if its author filed one.</summary>
    public Task<Appeal?> FindAsync(Guid commentId, CancellationToken ct) =>
        db.Appeals.AsNoTracking().SingleOrDefaultAsync(a => a.CommentId == commentId, ct);

    /// <summary>The latest audited change of the comment's status: a moderator's decision or readers' hold (appeal entries left out).</summary>
    public Task<ModerationDecision?> LastStatusChangeAsync(Guid commentId, CancellationToken ct) =>
        db.ModerationDecisions.AsNoTracking()
            .Where(d => d.CommentId == commentId && !d.Action.StartsWith("appeal."))
            .OrderByDescending(d => d.At).ThenByDescending(d => d.Id)
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// Closes the comment's open appeal, if any, as a moderator decides it: approving overturns the hold,
    /// rejecting or marking spam upholds it. Adds the appeal's audit entry; the caller's save stores both.
    /// Call before the comment's status changes, inside the decision's transaction.
    /// </summary>
    public async Task<Appeal?> CloseAsync(Comment comment, CommentStatus target, string actor, string? reason, string? note, DateTimeOffset now, CancellationToken ct)
    {
        var appeal = await db.Appeals.SingleOrDefaultAsync(a => a.CommentId == comment.Id && a.State == AppealState.Open, ct);
        if (appeal is null)
        {
            return null;
        }
        var overturned = target == CommentStatus.Approved;
        appeal.State = overturned ? AppealState.Overturned : AppealState.Upheld;
        appeal.DecidedAt = now;
        appeal.DecidedBy = actor;
        appeal.DecisionNote = note;
        db.ModerationDecisions.Add(ModerationDecision.Record(comment, actor, overturned ? OverturnedAction : UpheldAction, target, reason, note, now));
        return appeal;
    }
}

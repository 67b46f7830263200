using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Audit;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>Only the decisions on this comment.</summary>
    [QueryParam]
    public Guid? CommentId { get; set; }

    /// <summary>Only the changes to this moderation rule (created, promoted, deleted).</summary>
    [QueryParam]
    public Guid? RuleId { get; set; }

    /// <summary>1 to 100; default 20.</summary>
    [QueryParam]
    public int? Limit { get; set; }

    [QueryParam]
    public string? Cursor { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, Limits.MaxPageSize);
        RuleFor(r => r.Cursor).Must(c => c is null || KeysetCursor.TryDecode(c, out _, out _)).WithMessage("The cursor is not valid.");
    }
}

/// <param name="Id">The entry's id.</param>
/// <param name="CommentId">The comment decided on; null for a rule's entry.</param>
/// <param name="RuleId">The moderation rule changed (rule.created, rule.promoted, rule.deleted; from and to are its modes); null for a comment's entry.</param>
/// <param name="Actor">operator, key:{id}, or readers (reports).</param>
/// <param name="Action">approve, reject, spam, hold, or rule.created, rule.promoted, rule.deleted.</param>
/// <param name="FromStatus">The comment's status before (for a rule: its mode, or none).</param>
/// <param name="ToStatus">The comment's status after (for a rule: its mode, or deleted).</param>
/// <param name="Reason">The reason code (for a rule: its description).</param>
/// <param name="Note">A moderator's note.</param>
/// <param name="At">When.</param>
public sealed record AuditEntry(Guid Id, Guid? CommentId, Guid? RuleId, string Actor, string Action, string FromStatus, string ToStatus, string? Reason, string? Note, DateTimeOffset At);

public sealed record Response(IReadOnlyList<AuditEntry> Items, string? NextCursor);

public sealed class Endpoint(CommentsDb db) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("audit");
        Group<ModerationGroup>();
        Description(b => b.WithName("listModerationAudit").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "The audit log of moderation decisions";
            s.Description = "Every decision, newest first: who (operator or key id), when, on which comment, from what status to what, and why; "
                + "also every change to a moderation rule (ruleId set, commentId null, from and to its modes). "
                + "Appeals add appeal.filed (actor author) and, with the decision that closes them, appeal.upheld or appeal.overturned.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var limit = req.Limit ?? Limits.DefaultPageSize;
        var query = db.ModerationDecisions.AsNoTracking().Where(d => d.SiteId == req.SiteId);
        if (req.CommentId is { } commentId)
        {
            query = query.Where(d => d.CommentId == commentId);
        }
        if (req.RuleId is { } ruleId)
        {
            query = query.Where(d => d.RuleId == ruleId);
        }
        if (req.Cursor is not null && KeysetCursor.TryDecode(req.Cursor, out var at, out var id))
        {
            query = query.Where(d => d.At < at || (d.At == at && d.Id.CompareTo(id) < 0));
        }
        var rows = await query.OrderByDescending(d => d.At).ThenByDescending(d => d.Id).Take(limit + 1).ToListAsync(ct);
        var next = rows.Count > limit ? KeysetCursor.Encode(rows[limit - 1].At, rows[limit - 1].Id) : null;
        var items = rows.Take(limit)
            .Select(d => new AuditEntry(d.Id, d.CommentId, d.RuleId, d.Actor, d.Action, d.FromStatus, d.ToStatus, d.Reason, d.Note, d.At))
            .ToList();
        await Send.OkAsync(new Response(items, next), ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.DecideMany;

/// <summary>Which comments a bulk decision applies to when no ids are given.</summary>
public sealed class Filter
{
    /// <summary>Statuses to match; default pending and spam.</summary>
    public List<string>? Status { get; set; }

    /// <summary>Only comments of this article.</summary>
    public string? ArticleId { get; set; }

    /// <summary>Only comments created before this time.</summary>
    public DateTimeOffset? Before { get; set; }
}

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>approve, reject or spam.</summary>
    public string Action { get; set; } = "";

    /// <summary>The comments to decide (up to 1,000); or give a filter instead.</summary>
    public List<Guid>? Ids { get; set; }

    public Filter? Filter { get; set; }
    public string? Reason { get; set; }
    public string? Note { get; set; }

    /// <summary>Count what would be decided, change nothing.</summary>
    public bool DryRun { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Action).Must(a => Decisions.Actions.Contains(a)).WithMessage("action is approve, reject or spam.");
        RuleFor(r => r).Must(r => (r.Ids is null) != (r.Filter is null)).WithName("ids").WithMessage("Give either ids or filter.");
        RuleFor(r => r.Ids).Must(ids => ids is null || ids.Count is > 0 and <= Limits.MaxBulkDecisions)
            .WithMessage($"ids holds 1 to {Limits.MaxBulkDecisions} comment ids.");
        RuleForEach(r => r.Filter!.Status).Must(s => s is "pending" or "spam" or "rejected" or "approved")
            .OverridePropertyName("filter.status").WithMessage("status is pending, spam, rejected or approved.").When(r => r.Filter?.Status is not null);
        RuleFor(r => r.Filter!.ArticleId).Must(a => a is null || ArticleIds.Problem(a) is null)
            .OverridePropertyName("filter.articleId").WithMessage("articleId is not a valid article ID.").When(r => r.Filter is not null);
        RuleFor(r => r.Reason).CleanText("reason", Limits.ReasonCodeLength).When(r => r.Reason is not null);
        RuleFor(r => r.Note).CleanText("note", Limits.ReasonLength, multiline: true).When(r => r.Note is not null);
    }
}

/// <param name="Matched">Comments the ids or filter matched (at most 1,000 per call).</param>
/// <param name="Changed">Comments whose status changed (0 on a dry run).</param>
/// <param name="Skipped">Matched comments left as they were: already in that status, deleted, or changed meanwhile.</param>
/// <param name="More">True when the filter matches more than this call handled: call again.</param>
public sealed record Response(int Matched, int Changed, int Skipped, bool More);

public sealed class Endpoint(CommentsDb db, Decisions decisions) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("decisions");
        Group<ModerationGroup>();
        Description(b => b.WithName("decideComments").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Decide many comments at once";
            s.Description = "Approve, reject or mark spam by ids or by filter, up to 1,000 per call; each comment is decided and audited on its own. "
                + "dryRun counts what would change.";
            s.ExampleRequest = new Request { SiteId = "film-blog", Action = "spam", Filter = new Filter { Status = ["pending"] }, DryRun = true };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var target = Decisions.TargetOf(req.Action);
        var query = db.Comments.AsNoTracking().Where(c => c.SiteId == req.SiteId && c.Status != CommentStatus.Deleted);
        if (req.Ids is { } ids)
        {
            query = query.Where(c => ids.Contains(c.Id));
        }
        else
        {
            var statuses = (req.Filter!.Status is { Count: > 0 } s ? s : ["pending", "spam"]).Select(CommentStatusNames.FromWire).ToList();
            query = query.Where(c => statuses.Contains(c.Status));
            if (req.Filter.ArticleId is { } articleId)
            {
                query = query.Where(c => db.Threads.Any(t => t.Id == c.ThreadId && t.ArticleId == articleId));
            }
            if (req.Filter.Before is { } before)
            {
                query = query.Where(c => c.CreatedAt < before.ToUniversalTime());
            }
        }
        var matched = await query.OrderBy(c => c.CreatedAt).Take(Limits.MaxBulkDecisions + 1)
            .Select(c => new { c.Id, c.Status }).ToListAsync(ct);
        var more = matched.Count > Limits.MaxBulkDecisions;
        matched = matched.Take(Limits.MaxBulkDecisions).ToList();
        var todo = matched.Where(c => c.Status != target).ToList();
        if (req.DryRun)
        {
            await Send.OkAsync(new Response(matched.Count, 0, matched.Count - todo.Count, more), ct);
            return;
        }

        var changed = 0;
        var actor = Decisions.ActorOf(User);
        foreach (var c in todo)
        {
            try
            {
                await decisions.ApplyAsync(req.SiteId, c.Id, req.Action, req.Reason, req.Note, actor, ct);
                changed++;
            }
            catch (ApiProblemException e) when (e.Status is 404 or 409)
            {
                // Deleted or decided by someone else meanwhile: counted as skipped.
            }
            db.ChangeTracker.Clear();
        }
        await Send.OkAsync(new Response(matched.Count, changed, matched.Count - changed, more), ct);
    }
}

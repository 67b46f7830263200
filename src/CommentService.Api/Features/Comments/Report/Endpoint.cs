using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using CommentService.Api.Features.Webhooks;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.RateLimiting;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Comments.Report;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }

    /// <summary>spam, abuse, offtopic or other.</summary>
    public string Reason { get; set; } = "";

    /// <summary>A few words for the moderators.</summary>
    public string? Note { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public static readonly string[] Reasons = ["spam", "abuse", "offtopic", "other"];

    public Validator()
    {
        RuleFor(r => r.Reason).Must(r => Reasons.Contains(r)).WithMessage("reason is spam, abuse, offtopic or other.");
        RuleFor(r => r.Note).CleanText("note", Limits.ReasonLength, multiline: true).When(r => r.Note is not null);
    }
}

/// <param name="Received">Always true: a repeated report by the same reader counts once.</param>
public sealed record Response(bool Received);

public sealed class Endpoint(
    CommentsDb db, CommentTree tree, ReaderIdentity readers, ClientRateLimits limits, WebhookEvents events, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/sites/{siteId}/comments/{commentId}/reports");
        AllowAnonymous();
        Description(b => b.WithName("reportComment").Produces<Response>(202).ProducesProblems(400, 401, 403, 404, 429).AcceptsKey(Infrastructure.Auth.ApiScopes.CommentsWrite).AcceptsHeaders(CommentService.Api.Infrastructure.UserTokens.Header, CommentService.Api.Infrastructure.ReaderIdentity.Header));
        Summary(s =>
        {
            s.Summary = "Report a comment";
            s.Description = "A reader flags a comment for moderators, once per reader. After the site's number of reports "
                + "(policy reportThreshold, default 3) an approved comment goes back to the moderation queue.";
            s.ExampleRequest = new Request { SiteId = "film-blog", CommentId = Guid.Empty, Reason = "abuse", Note = "Insults another reader." };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsWrite);
        var site = await db.RequireAsync(req.SiteId, ct);
        var (reporter, address) = await readers.IdentifyAsync(HttpContext, site, ct);
        await limits.EnforceAsync(User, RateLimitedAction.Reports, site.Id, address, reporter, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await tree.LockThreadOfAsync(req.SiteId, req.CommentId, ct))
        {
            throw ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'");
        }
        var comment = await db.Comments.SingleAsync(c => c.Id == req.CommentId, ct);
        var articleId = await db.Threads.Where(t => t.Id == comment.ThreadId).Select(t => t.ArticleId).SingleAsync(ct);
        if (comment.Status != CommentStatus.Approved)
        {
            throw ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'");
        }
        var now = clock.GetUtcNow();
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO comment_reports (comment_id, reporter_key, reason, note, created_at)
            VALUES ({comment.Id}, {reporter}, {req.Reason}, {req.Note}, {now})
            ON CONFLICT DO NOTHING
            """, ct);
        if (inserted == 1)
        {
            comment.ReportCount++;
            await events.CommentReportedAsync(comment, articleId, new { reason = req.Reason, note = req.Note, reportCount = comment.ReportCount }, ct);
            var threshold = site.Policy.ReportThreshold;
            if (threshold > 0 && comment.ReportCount >= threshold)
            {
                // Enough readers object: back to the moderators, on the record.
                comment.ModeratedAt = now;
                db.ModerationDecisions.Add(ModerationDecision.Record(comment, "readers", "hold", CommentStatus.Pending, "reports", $"{comment.ReportCount} reports", now));
                await tree.SaveWithStatusAsync(comment, CommentStatus.Pending, ct);
                await events.CommentHeldAsync(comment, articleId, "reports", ct);
            }
            else
            {
                await db.SaveChangesAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
        await Send.ResponseAsync(new Response(true), 202, ct);
    }
}

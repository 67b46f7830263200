using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Moderation;
using CommentService.Api.Features.Sites;
using CommentService.Api.Features.Webhooks;
using Microsoft.EntityFrameworkCore;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Comments.Edit;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }

    /// <summary>The new text.</summary>
    public string Body { get; set; } = "";
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Body).CleanText("body", Limits.BodyLength, multiline: true);
    }
}

public sealed class Endpoint(
    CommentsDb db, CommentTree tree, ModerationGate gate, BodyRenderer renderer, UserTokens tokens, KeyedHashes hashes, WebhookEvents events,
    TimeProvider clock) : Endpoint<Request, CommentResponse>
{
    public override void Configure()
    {
        Patch("/sites/{siteId}/comments/{commentId}");
        AllowAnonymous();
        Description(b => b.WithName("editComment").ProducesProblems(400, 401, 403, 404, 409).AcceptsKey(Infrastructure.Auth.ApiScopes.Moderate).AcceptsHeaders(CommentService.Api.Features.Comments.CommentAccess.EditTokenHeader, CommentService.Api.Infrastructure.UserTokens.Header));
        Summary(s =>
        {
            s.Summary = "Edit a comment";
            s.Description = "The author edits with X-Edit-Token within the site's edit window (409 after it); a moderate key edits any time. "
                + "An author's edit is judged again like a new comment; a comment a moderator rejected or marked spam cannot be edited by its author.";
            s.ExampleRequest = new Request { SiteId = "film-blog", CommentId = Guid.Empty, Body = "Edited: the ending stayed with me for weeks." };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct);
        var (current, thread) = await db.RequireAsync(req.SiteId, req.CommentId, ct);
        var now = clock.GetUtcNow();
        var signedIn = await AuthorIdentity.SignedInKeyAsync(HttpContext, site, tokens, hashes, ct);
        var role = CommentAccess.RequireChange(User, HttpContext, current, site.EditWindowMinutes, now, signedInAuthorKey: signedIn);
        RequireEditable(current.Status, role);
        if (role == CommentRole.Author && await db.Appeals.AnyAsync(a => a.CommentId == current.Id && a.State == AppealState.Open, ct))
        {
            // The moderator decides the appeal on the text the author appealed.
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, "The comment is under appeal; it cannot be edited until a moderator decides.");
        }

        // Judge the new text before taking the thread lock: the pipeline reads history and may call out.
        var decision = role == CommentRole.Author
            ? await gate.DecideAsync(new CommentDraft
            {
                Site = site,
                ArticleId = thread.ArticleId,
                AuthorName = current.AuthorName,
                AuthorKey = current.AuthorKey,
                Body = req.Body,
                AuthorUrl = current.AuthorUrl,
                IpHash = current.IpHash,
                ClientAddress = HttpContext.Connection.RemoteIpAddress,
                UserAgent = HttpContext.Request.Headers.UserAgent.ToString(),
                ParentId = current.ParentId,
                EditedCommentId = current.Id,
            }, ct)
            : null;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await tree.LockThreadOfAsync(req.SiteId, req.CommentId, ct);
        var comment = await db.Comments.SingleAsync(c => c.Id == req.CommentId, ct);
        RequireEditable(comment.Status, role);
        comment.Body = req.Body;
        comment.BodyHtml = renderer.ToHtml(req.Body);
        comment.EditedAt = now;
        if (decision is not null)
        {
            comment.Verdict = decision.Verdict;
            await Features.Moderation.Rules.ShadowRecords.ReplaceAsync(db, decision, comment.Id, site.Id, now, ct);
        }
        var before = comment.Status;
        await tree.SaveWithStatusAsync(comment, decision?.Status ?? comment.Status, ct);
        if (before == CommentStatus.Approved && comment.Status is CommentStatus.Pending or CommentStatus.Spam)
        {
            await events.CommentHeldAsync(comment, thread.ArticleId, "edit", ct);
        }
        await tx.CommitAsync(ct);
        await Send.OkAsync(CommentResponse.From(comment, thread.ArticleId), ct);
    }

    private static void RequireEditable(CommentStatus status, CommentRole role)
    {
        if (status == CommentStatus.Deleted)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, "A deleted comment cannot be edited.");
        }
        if (role == CommentRole.Author && status is CommentStatus.Rejected or CommentStatus.Spam)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, "A moderator has decided on this comment; it cannot be edited.");
        }
    }
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
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

public sealed class Endpoint(CommentsDb db, CommentTree tree, CommentVerdicts verdicts, TimeProvider clock) : Endpoint<Request, CommentResponse>
{
    public override void Configure()
    {
        Patch("/sites/{siteId}/comments/{commentId}");
        AllowAnonymous();
        Description(b => b.WithName("editComment").ProducesProblems(400, 401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "Edit a comment";
            s.Description = "The author edits with X-Edit-Token within the site's edit window (409 after it); a moderate key edits any time. "
                + "An author's edit is judged again like a new comment.";
            s.ExampleRequest = new Request { SiteId = "film-blog", CommentId = Guid.Empty, Body = "Edited: the ending stayed with me for weeks." };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await tree.LockThreadOfAsync(req.SiteId, req.CommentId, ct);
        var (comment, thread) = await db.RequireAsync(req.SiteId, req.CommentId, ct);
        var now = clock.GetUtcNow();
        var role = CommentAccess.RequireChange(User, HttpContext, comment, site.EditWindowMinutes, now);
        if (comment.Status == CommentStatus.Deleted)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, "A deleted comment cannot be edited.");
        }

        var before = comment.Status;
        comment.Body = req.Body;
        comment.EditedAt = now;
        if (role == CommentRole.Author)
        {
            comment.Status = verdicts.Decide(new CommentDraft(site.Id, thread.ArticleId, comment.AuthorName, comment.AuthorUrl, req.Body, false));
        }
        await db.SaveChangesAsync(ct);
        var delta = (comment.Status == CommentStatus.Approved ? 1 : 0) - (before == CommentStatus.Approved ? 1 : 0);
        if (delta != 0)
        {
            await tree.ApplyVisibilityChangeAsync(thread.Id, comment.ParentId, comment.Path, delta, ct);
        }
        await tx.CommitAsync(ct);
        await Send.OkAsync(CommentResponse.From(comment, thread.ArticleId), ct);
    }
}

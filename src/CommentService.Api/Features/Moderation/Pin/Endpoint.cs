using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Comments;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Pin;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }

    /// <summary>true to pin, false to unpin.</summary>
    public bool Pinned { get; set; }
}

public sealed class Endpoint(CommentsDb db, CommentTree tree) : Endpoint<Request, ModeratedComment>
{
    public override void Configure()
    {
        Post("comments/{commentId}/pin");
        Group<ModerationGroup>();
        Description(b => b.WithName("pinComment").ProducesProblems(400, 401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "Pin or unpin a top-level comment";
            s.Description = $"Pinned comments lead the first page of their thread, at most {Limits.MaxPinnedPerThread} per thread. Only approved top-level comments can be pinned.";
            s.ExampleRequest = new Request { SiteId = "film-blog", CommentId = Guid.Empty, Pinned = true };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await tree.LockThreadOfAsync(req.SiteId, req.CommentId, ct))
        {
            throw ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'");
        }
        var (comment, thread) = await db.RequireAsync(req.SiteId, req.CommentId, ct);
        if (req.Pinned && !comment.Pinned)
        {
            if (comment.ParentId is not null)
            {
                throw ApiProblemException.Field("commentId", "Only top-level comments can be pinned.");
            }
            if (comment.Status != CommentStatus.Approved)
            {
                throw ApiProblemException.Conflict(ProblemTypes.Conflict, "Only approved comments can be pinned.");
            }
            if (await db.Comments.CountAsync(c => c.ThreadId == thread.Id && c.Pinned, ct) >= Limits.MaxPinnedPerThread)
            {
                throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"A thread has at most {Limits.MaxPinnedPerThread} pinned comments.");
            }
        }
        comment.Pinned = req.Pinned;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await Send.OkAsync(ModeratedComment.From(comment, thread.ArticleId), ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;

namespace CommentService.Api.Features.Comments.Delete;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }
}

public sealed class Endpoint(CommentsDb db, CommentTree tree, UserTokens tokens, KeyedHashes hashes, TimeProvider clock) : Endpoint<Request>
{
    public override void Configure()
    {
        Delete("/sites/{siteId}/comments/{commentId}");
        AllowAnonymous();
        Description(b => b.WithName("deleteComment").Produces(204).ProducesProblems(400, 401, 403, 404, 409).AcceptsKey(Infrastructure.Auth.ApiScopes.Moderate).AcceptsHeaders(CommentService.Api.Features.Comments.CommentAccess.EditTokenHeader, CommentService.Api.Infrastructure.UserTokens.Header));
        Summary(s =>
        {
            s.Summary = "Delete a comment";
            s.Description = "The author deletes with X-Edit-Token within the edit window; a moderate key deletes any time. "
                + "The text, email and link are erased; if replies remain visible the comment stays as a tombstone. Deleting twice is harmless.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct);
        var signedIn = await AuthorIdentity.SignedInKeyAsync(HttpContext, site, tokens, hashes, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await tree.LockThreadOfAsync(req.SiteId, req.CommentId, ct);
        var (comment, thread) = await db.RequireAsync(req.SiteId, req.CommentId, ct);
        // Deleting twice is harmless, but only for those who could delete it in the first place.
        var alreadyDeleted = comment.Status == CommentStatus.Deleted;
        CommentAccess.RequireChange(User, HttpContext, comment, site.EditWindowMinutes, clock.GetUtcNow(), checkWindow: !alreadyDeleted, signedInAuthorKey: signedIn);
        if (!alreadyDeleted)
        {
            comment.Body = "";
            comment.BodyHtml = "";
            comment.AuthorEmailProtected = null;
            comment.AuthorUrl = null;
            await tree.SaveWithStatusAsync(comment, CommentStatus.Deleted, ct);
            await tx.CommitAsync(ct);
        }
        await Send.NoContentAsync(ct);
    }
}

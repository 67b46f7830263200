using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Features.Sites;
using FastEndpoints;

namespace CommentService.Api.Features.Comments.Get;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }
}

public sealed class Endpoint(CommentsDb db, UserTokens tokens, KeyedHashes hashes) : Endpoint<Request, CommentResponse>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/comments/{commentId}");
        AllowAnonymous();
        Description(b => b.WithName("getComment").ProducesProblems(400, 401, 403, 404).AcceptsKey(Infrastructure.Auth.ApiScopes.CommentsRead).AcceptsHeaders(CommentService.Api.Features.Comments.CommentAccess.EditTokenHeader, CommentService.Api.Infrastructure.UserTokens.Header));
        Summary(s =>
        {
            s.Summary = "Get one comment";
            s.Description = "Approved comments are public. A comment that is not approved is shown only to its author "
                + "(X-Edit-Token) and to moderators; to anyone else it does not exist. Moderators get the comment's moderation ETag (If-Match for decideComment).";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsRead);
        var (comment, thread) = await db.RequireAsync(req.SiteId, req.CommentId, ct);
        // Readers see approved comments; authors also their own held ones; moderators everything.
        var role = comment.Status == CommentStatus.Approved
            ? CommentRole.Reader
            : CommentAccess.RoleOf(User, HttpContext, comment,
                await AuthorIdentity.SignedInKeyAsync(HttpContext, await db.RequireAsync(req.SiteId, ct), tokens, hashes, ct));
        var visible = comment.Status switch
        {
            CommentStatus.Approved => true,
            CommentStatus.Deleted => role == CommentRole.Moderator,
            _ => role != CommentRole.Reader,
        };
        if (!visible)
        {
            throw ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'");
        }
        if (User.Can(req.SiteId, ApiScopes.Moderate))
        {
            // What a moderator sends back as If-Match when deciding on this comment.
            HttpContext.Response.Headers.ETag = Moderation.ModerationETag.Of(comment);
        }
        await Send.OkAsync(CommentResponse.From(comment, thread.ArticleId), ct);
    }
}

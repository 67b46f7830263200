using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.Scaling;
using FastEndpoints;

namespace CommentService.Api.Features.Comments.ListThread;

public sealed class Endpoint(ReadDb reads, ThreadReader reader, TimeProvider clock) : Endpoint<Request, ThreadPage>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/articles/{articleId}/comments");
        AllowAnonymous();
        Description(b => b.WithName("listThread").ProducesProblems(400, 401, 403, 404).AcceptsKey(Infrastructure.Auth.ApiScopes.CommentsRead));
        Summary(s =>
        {
            s.Summary = "Read an article's thread";
            s.Description = "A page of top-level comments (or, with parentId, of one comment's replies), each with its approved replies "
                + "nested in depth-first order up to maxReplies per item. A comment whose replies are cut short carries a repliesCursor. "
                + "An article nobody commented on yet has an empty thread.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var articleId = ArticleIds.FromRoute(HttpContext);
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsRead);
        var site = await (await reads.GetAsync(ct)).RequireAsync(req.SiteId, ct);
        var sort = req.Sort switch { "newest" => ThreadSort.Newest, "top" => ThreadSort.Top, _ => ThreadSort.Oldest };
        var after = req.Cursor is null ? (ThreadPosition?)null
            : ThreadCursor.Decode(req.Cursor, sort) ?? throw ApiProblemException.Field("cursor", "The cursor is not valid for this sort.");

        var thread = await reader.FindThreadAsync(req.SiteId, articleId, ct);
        if (thread is null)
        {
            if (req.ParentId is not null)
            {
                throw ApiProblemException.Field("parentId", "The parent comment does not exist in this article.");
            }
            await Send.OkAsync(new ThreadPage(articleId, null, false, 0, [], null), ct);
            return;
        }

        var levelPath = "";
        if (req.ParentId is { } parentId)
        {
            levelPath = await reader.FindShownPathAsync(thread.Id, parentId, ct)
                        ?? throw ApiProblemException.Field("parentId", "The parent comment does not exist in this article.");
        }
        if (after is { Path: var afterPath } && !(afterPath.StartsWith(levelPath, StringComparison.Ordinal)
                                                  && afterPath.Length - levelPath.Length is 0 or CommentPath.SegmentWidth))
        {
            throw ApiProblemException.Field("cursor", "The cursor belongs to another list.");
        }

        // A replies cursor that points at the parent itself means "from the first reply".
        var (items, last, hasMore) = await reader.ReadPageAsync(thread.Id, req.ParentId, sort,
            after?.Path == levelPath ? null : after, req.Limit ?? Limits.DefaultPageSize, req.MaxReplies ?? Limits.DefaultRepliesPerItem, ct);
        var next = hasMore && last is { } position ? ThreadCursor.Encode(sort, position) : null;
        await Send.OkAsync(new ThreadPage(articleId, thread.Title,
            ArticleThread.IsClosed(thread.Closed, thread.CreatedAt, site.AutoCloseAfterDays, clock.GetUtcNow()), thread.ApprovedCount, items, next), ct);
    }
}

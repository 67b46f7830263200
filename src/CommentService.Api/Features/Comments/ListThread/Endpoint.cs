using System.Security.Cryptography;
using System.Text;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.Scaling;
using FastEndpoints;
using Microsoft.Net.Http.Headers;

namespace CommentService.Api.Features.Comments.ListThread;

public sealed class Endpoint(ReadDb reads, ThreadReadSource sources, ThreadReader reader, TimeProvider clock) : Endpoint<Request, ThreadPage>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/articles/{articleId}/comments");
        AllowAnonymous();
        Description(b => b.WithName("listThread").ProducesProblems(400, 401, 403, 404).Produces(304).AcceptsKey(Infrastructure.Auth.ApiScopes.CommentsRead));
        Summary(s =>
        {
            s.Summary = "Read an article's thread";
            s.Description = "A page of top-level comments (or, with parentId, of one comment's replies), each with its approved replies "
                + "nested in depth-first order up to maxReplies per item. A comment whose replies are cut short carries a repliesCursor. "
                + "An article nobody commented on yet has an empty thread. The answer carries an ETag: send it back as If-None-Match "
                + "and an unchanged page is 304 Not Modified with no body.";
            s.Responses[304] = "The page has not changed since the ETag sent in If-None-Match.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var articleId = ArticleIds.FromRoute(HttpContext);
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsRead);
        var sort = req.Sort switch { "newest" => ThreadSort.Newest, "top" => ThreadSort.Top, _ => ThreadSort.Oldest };
        var after = req.Cursor is null ? (ThreadPosition?)null
            : ThreadCursor.Decode(req.Cursor, sort) ?? throw ApiProblemException.Field("cursor", "The cursor is not valid for this sort.");

        // The replica when it is usable and the caller need not see its own writes (ReadDb decides, once per request).
        var from = reads.SourceFor(sources);
        var found = await reader.FindAsync(from, req.SiteId, articleId, req.ParentId, ct)
                    ?? throw ApiProblemException.NotFound($"Site '{req.SiteId}'");
        if (found.Thread is not { } thread)
        {
            if (req.ParentId is not null)
            {
                throw ApiProblemException.Field("parentId", "The parent comment does not exist in this article.");
            }
            await Send.OkAsync(new ThreadPage(articleId, null, false, 0, [], null), ct);
            return;
        }

        var levelPath = "";
        if (req.ParentId is not null)
        {
            levelPath = thread.ParentPath ?? throw ApiProblemException.Field("parentId", "The parent comment does not exist in this article.");
        }
        if (after is { Path: var afterPath } && !(afterPath.StartsWith(levelPath, StringComparison.Ordinal)
                                                  && afterPath.Length - levelPath.Length is 0 or CommentPath.SegmentWidth))
        {
            throw ApiProblemException.Field("cursor", "The cursor belongs to another list.");
        }

        var closed = ArticleThread.IsClosed(thread.Closed, thread.CreatedAt, found.AutoCloseAfterDays, clock.GetUtcNow());
        var etag = ETagOf(thread, closed, HttpContext.Request.QueryString.Value);
        HttpContext.Response.Headers.ETag = etag;
        // Caches may keep the page but must ask again each time; the ETag makes asking cheap.
        HttpContext.Response.Headers.CacheControl = "no-cache";
        if (HttpContext.Request.Headers.IfNoneMatch.Count > 0 && Matches(HttpContext.Request.Headers.IfNoneMatch, etag))
        {
            await Send.ResultAsync(TypedResults.StatusCode(StatusCodes.Status304NotModified));
            return;
        }

        // A replies cursor that points at the parent itself means "from the first reply".
        var (items, last, hasMore) = await reader.ReadPageAsync(from, thread.Id, req.ParentId, sort,
            after?.Path == levelPath ? null : after, req.Limit ?? Limits.DefaultPageSize, req.MaxReplies ?? Limits.DefaultRepliesPerItem, ct);
        var next = hasMore && last is { } position ? ThreadCursor.Encode(sort, position) : null;
        await PageJson.WriteAsync(HttpContext.Response, new ThreadPage(articleId, thread.Title, closed, thread.ApprovedCount, items, next), ct);
    }

    /// <summary>
    /// The page's entity tag: the thread's version (bumped by a trigger in the transaction of any change to its
    /// comments, so it is the same on every replica), its own shown fields and the query. Nothing else goes
    /// into the page.
    /// </summary>
    private static string ETagOf(ThreadReader.ThreadInfo thread, bool closed, string? query)
    {
        var text = $"v1|{thread.Id}|{thread.Version}|{thread.ApprovedCount}|{closed}|{thread.Title}|{query}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return "\"" + Convert.ToHexStringLower(hash[..12]) + "\"";
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }
        // If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x".
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.AsSpan().SequenceEqual(etag));
    }
}

using Microsoft.EntityFrameworkCore;
using CommentService.Api.Data;
using CommentService.Api.Domain;

namespace CommentService.Api.Features.Comments;

/// <summary>A comment as the API shows it: never the author's email or address.</summary>
public record CommentResponse
{
    public Guid Id { get; init; }
    public string SiteId { get; init; } = "";
    public string ArticleId { get; init; } = "";
    public Guid? ParentId { get; init; }

    /// <summary>0 for a top-level comment.</summary>
    public int Depth { get; init; }

    /// <summary>pending, approved, rejected, spam or deleted.</summary>
    public string Status { get; init; } = "";
    public string AuthorName { get; init; } = "";
    public string? AuthorUrl { get; init; }

    /// <summary>The site vouched for this author (signed user token).</summary>
    public bool AuthorVerified { get; init; }
    public string? AuthorAvatarUrl { get; init; }
    public string Body { get; init; } = "";

    /// <summary>The body as safe HTML (Markdown subset, sanitised): the only comment text to insert into a page as HTML.</summary>
    public string BodyHtml { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>Approved direct replies.</summary>
    public int ReplyCount { get; init; }
    public int Upvotes { get; init; }
    public int Downvotes { get; init; }
    public int Score { get; init; }

    public static CommentResponse From(Comment c, string articleId) => new()
    {
        Id = c.Id,
        SiteId = c.SiteId,
        ArticleId = articleId,
        ParentId = c.ParentId,
        Depth = c.Depth,
        Status = c.Status.ToWire(),
        AuthorName = c.AuthorName,
        AuthorUrl = c.AuthorUrl,
        AuthorVerified = c.AuthorVerified,
        AuthorAvatarUrl = c.AuthorAvatarUrl,
        Body = c.Body,
        BodyHtml = c.BodyHtml,
        CreatedAt = c.CreatedAt,
        EditedAt = c.EditedAt,
        ReplyCount = c.ReplyCount,
        Upvotes = c.Upvotes,
        Downvotes = c.Downvotes,
        Score = c.Score,
    };
}

/// <summary>Loads one comment with its thread, for the single-comment routes.</summary>
public static class CommentLookup
{
    public sealed record Found(Comment Comment, ArticleThread Thread);

    public static async Task<Found> RequireAsync(this CommentsDb db, string siteId, Guid commentId, CancellationToken ct)
    {
        var found = await (from c in db.Comments
                           join t in db.Threads on c.ThreadId equals t.Id
                           where c.Id == commentId && c.SiteId == siteId
                           select new Found(c, t)).SingleOrDefaultAsync(ct);
        return found ?? throw Infrastructure.ApiProblemException.NotFound($"Comment '{commentId}' of site '{siteId}'");
    }
}

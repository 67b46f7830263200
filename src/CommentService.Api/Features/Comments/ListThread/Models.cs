using CommentService.Api.Domain;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Comments.ListThread;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>oldest (default), newest or top (by votes): the order of the page's items. Nested replies are always oldest first.</summary>
    [QueryParam]
    public string? Sort { get; set; }

    /// <summary>Items per page, 1 to 100; default 20.</summary>
    [QueryParam]
    public int? Limit { get; set; }

    /// <summary>nextCursor of the previous page, or a comment's repliesCursor (with its parentId).</summary>
    [QueryParam]
    public string? Cursor { get; set; }

    /// <summary>Page through the replies of this comment instead of the top-level comments.</summary>
    [QueryParam]
    public Guid? ParentId { get; set; }

    /// <summary>Nested replies included under each item, in depth-first order, 0 to 200; default 50.</summary>
    [QueryParam]
    public int? MaxReplies { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Sort).Must(s => s is null or "oldest" or "newest" or "top").WithMessage("sort is oldest, newest or top.");
        RuleFor(r => r.Limit).InclusiveBetween(1, Limits.MaxPageSize);
        RuleFor(r => r.MaxReplies).InclusiveBetween(0, Limits.MaxRepliesPerItem);
        RuleFor(r => r.Cursor).MaximumLength(1024);
    }
}

/// <param name="ArticleId">The article, as decoded from the path.</param>
/// <param name="Title">The article's title, when a moderator set one.</param>
/// <param name="Closed">A closed thread takes no new comments.</param>
/// <param name="TotalCount">Approved comments in the whole thread.</param>
/// <param name="Items">This page's comments, each with nested replies.</param>
/// <param name="NextCursor">Pass as cursor for the next page; null on the last.</param>
public sealed record ThreadPage(string ArticleId, string? Title, bool Closed, int TotalCount, IReadOnlyList<ThreadComment> Items, string? NextCursor);

/// <summary>
/// A comment in a thread page. A comment that is deleted or hidden but has visible replies appears as
/// a tombstone: status deleted, no author, no body.
/// </summary>
public sealed class ThreadComment
{
    public Guid Id { get; init; }
    public Guid? ParentId { get; init; }
    public int Depth { get; init; }
    public string Status { get; init; } = "";
    public bool Tombstone { get; init; }

    /// <summary>Pinned by a moderator: shown first on the thread's first page.</summary>
    public bool Pinned { get; init; }
    public string? AuthorName { get; init; }
    public string? AuthorUrl { get; init; }

    /// <summary>The site vouched for this author (signed user token).</summary>
    public bool AuthorVerified { get; init; }
    public string? AuthorAvatarUrl { get; init; }
    public string? Body { get; init; }

    /// <summary>The body as safe HTML; the only comment text to insert into a page as HTML.</summary>
    public string? BodyHtml { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; init; }

    public int Upvotes { get; init; }
    public int Downvotes { get; init; }

    /// <summary>Upvotes minus downvotes: the order of sort=top.</summary>
    public int Score { get; init; }

    /// <summary>Approved direct replies, whether or not this page includes them.</summary>
    public int ReplyCount { get; init; }
    public List<ThreadComment> Replies { get; init; } = [];

    /// <summary>Set when this page leaves out some of the replies: pass with parentId to fetch them.</summary>
    public string? RepliesCursor { get; set; }
}

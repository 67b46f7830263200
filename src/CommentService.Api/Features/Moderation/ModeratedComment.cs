using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Comments.Appeals;

namespace CommentService.Api.Features.Moderation;

/// <summary>A comment as moderators see it: with its verdict, flags and evidence, and the author's opaque identity.</summary>
public sealed record ModeratedComment
{
    public Guid Id { get; init; }
    public string ArticleId { get; init; } = "";
    public Guid? ParentId { get; init; }
    public int Depth { get; init; }
    public string Status { get; init; } = "";
    public string AuthorName { get; init; } = "";
    public string? AuthorUrl { get; init; }
    public bool AuthorVerified { get; init; }

    /// <summary>The author's stable, opaque identity on this site: what bans and history match on.</summary>
    public string AuthorKey { get; init; } = "";
    public string Body { get; init; } = "";
    public string BodyHtml { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; init; }
    public DateTimeOffset? ModeratedAt { get; init; }
    public bool Pinned { get; init; }

    /// <summary>Readers' reports so far.</summary>
    public int ReportCount { get; init; }
    public int Score { get; init; }

    /// <summary>What the pipeline decided and why.</summary>
    public StoredVerdict? Verdict { get; init; }

    /// <summary>The author's appeal, when there is one.</summary>
    public ModeratorAppeal? Appeal { get; init; }

    /// <summary>The comment's moderation ETag: send it as If-Match with a decision to decide only on what you saw.</summary>
    public string Etag { get; init; } = "";

    public static ModeratedComment From(Comment c, string articleId, Appeal? appeal = null) => new()
    {
        Id = c.Id,
        ArticleId = articleId,
        ParentId = c.ParentId,
        Depth = c.Depth,
        Status = c.Status.ToWire(),
        AuthorName = c.AuthorName,
        AuthorUrl = c.AuthorUrl,
        AuthorVerified = c.AuthorVerified,
        AuthorKey = c.AuthorKey,
        Body = c.Body,
        BodyHtml = c.BodyHtml,
        CreatedAt = c.CreatedAt,
        EditedAt = c.EditedAt,
        ModeratedAt = c.ModeratedAt,
        Pinned = c.Pinned,
        ReportCount = c.ReportCount,
        Score = c.Score,
        Verdict = c.Verdict,
        Appeal = appeal is null ? null : ModeratorAppeal.From(appeal),
        Etag = ModerationETag.Of(c),
    };
}

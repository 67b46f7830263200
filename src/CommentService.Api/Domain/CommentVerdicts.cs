namespace CommentService.Api.Domain;

/// <summary>What the verdict sees of a new or edited comment.</summary>
public sealed record CommentDraft(string SiteId, string ArticleId, string AuthorName, string? AuthorUrl, string Body, bool PostedWithKey);

/// <summary>
/// The one place where a new or edited comment's status is decided. Until the moderation pipeline
/// lands (issue 3) every comment is approved; the pipeline replaces this body, nothing else.
/// </summary>
public sealed class CommentVerdicts
{
    public CommentStatus Decide(CommentDraft draft) => CommentStatus.Approved;
}

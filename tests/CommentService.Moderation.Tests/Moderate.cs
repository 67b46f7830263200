namespace CommentService.Moderation.Tests;

/// <summary>Runs comments through the default pipeline, as the API does.</summary>
internal static class Moderate
{
    /// <summary>An author with one approved comment: neither new nor trusted, so only content decides.</summary>
    public static readonly AuthorStanding Regular = new(1, 0, 0, 0, false);

    public static readonly AuthorStanding Trusted = new(10, 0, 0, 0, false);

    public static Task<ModerationVerdict> Comment(string body, AuthorStanding? author = null, ModerationPolicy? policy = null, string? parentAuthor = null) =>
        ModerationPipeline.CreateDefault().RunAsync(new ModerationRequest
        {
            Body = body,
            AuthorName = "Reader",
            Author = author ?? Regular,
            Policy = policy ?? ModerationPolicy.Default,
            ParentAuthorName = parentAuthor,
            ParentBody = parentAuthor is null ? null : "The parent comment.",
        }).AsTask();

    public static ModerationContext Context(string body) => new(new ModerationRequest { Body = body, AuthorName = "Reader", Author = Regular });
}

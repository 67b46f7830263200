namespace CommentService.Moderation.Authors;

/// <summary>What an author's standing on a site says, shared by the phases that treat authors differently.</summary>
public static class AuthorSignals
{
    /// <summary>
    /// Trusted: at least <see cref="ModerationPolicy.TrustedAfterApproved"/> approved comments and none
    /// rejected or marked spam. Trusted authors skip pre-moderation but are still checked for content.
    /// </summary>
    public static bool IsTrusted(AuthorStanding author, ModerationPolicy policy) =>
        !author.Banned && author.Approved >= policy.TrustedAfterApproved && author.Rejected == 0 && author.Spam == 0;

    /// <summary>New: no approved comment on this site yet (whatever is still waiting in the queue).</summary>
    public static bool IsNew(AuthorStanding author) => !author.Banned && author.Approved == 0;
}

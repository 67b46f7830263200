using CommentService.Moderation.Authors;

namespace CommentService.Moderation.Tests.Authors;

public sealed class AuthorPhaseTests
{
    [Fact]
    public async Task A_banned_author_is_rejected_before_content_is_read()
    {
        var verdict = await Moderate.Comment("Lovely review.", new AuthorStanding(20, 0, 0, 0, Banned: true));
        Assert.Equal(ModerationOutcome.Rejected, verdict.Outcome);
        Assert.Equal(AuthorPhase.PhaseName, verdict.DecidedBy);
        Assert.Equal("author.banned", Assert.Single(verdict.Flags).Reason);
    }

    [Fact]
    public async Task A_new_author_is_flagged_but_approved_without_pre_moderation()
    {
        var verdict = await Moderate.Comment("Lovely review.", AuthorStanding.New);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Reason == "author.new");
    }

    [Fact]
    public async Task A_trusted_author_is_flagged_and_still_checked()
    {
        var verdict = await Moderate.Comment("Lovely review.", Moderate.Trusted);
        Assert.Contains(verdict.Flags, f => f.Reason == "author.trusted");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
    }

    [Theory]
    [InlineData(3, 0, 0, true)]
    [InlineData(2, 0, 0, false)]
    [InlineData(10, 1, 0, false)]
    [InlineData(10, 0, 1, false)]
    public void Trust_needs_enough_approved_comments_and_none_rejected_or_spam(int approved, int rejected, int spam, bool trusted) =>
        Assert.Equal(trusted, AuthorSignals.IsTrusted(new AuthorStanding(approved, 0, rejected, spam, false), ModerationPolicy.Default));

    [Fact]
    public void A_banned_author_is_never_trusted() =>
        Assert.False(AuthorSignals.IsTrusted(new AuthorStanding(50, 0, 0, 0, true), ModerationPolicy.Default));

    [Fact]
    public void An_author_with_held_comments_but_none_approved_is_new() =>
        Assert.True(AuthorSignals.IsNew(new AuthorStanding(0, 3, 0, 0, false)));
}

namespace CommentService.Moderation.Tests.Spam;

public sealed class TrustedAuthorTests
{
    // Spun flattery: enough to hold a stranger for review, not enough to hold a regular reader back.
    private const string Borderline = "Marvelous post, I genuinely appreciated reading it. Keep up the superb work!";

    // Unmistakable spam, as a hijacked account would post.
    private const string Blatant = "Earn $5000 a week from home!!! Contact me on WhatsApp +1 555 123 4567 http://bit.ly/rich-fast";

    [Fact]
    public async Task Weak_spam_signals_hold_a_new_reader_but_not_a_trusted_one()
    {
        var fresh = await Moderate.Comment(Borderline, AuthorStanding.New);
        var trusted = await Moderate.Comment(Borderline, Moderate.Trusted);
        Assert.NotEqual(ModerationOutcome.Approved, fresh.Outcome);
        Assert.Equal(ModerationOutcome.Approved, trusted.Outcome);
    }

    [Fact]
    public async Task Blatant_spam_from_a_trusted_account_is_still_stopped()
    {
        var trusted = await Moderate.Comment(Blatant, Moderate.Trusted);
        Assert.NotEqual(ModerationOutcome.Approved, trusted.Outcome);
    }
}

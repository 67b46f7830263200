namespace CommentService.Moderation.Tests.Crude;

/// <summary>What the real thread shows must pass: holding back real readers is as bad as letting junk through.</summary>
public sealed class LegitimateCommentsTests
{
    [Theory]
    // Blunt disagreement.
    [InlineData("Honestly, it's a stupid premise and the second half drags.")]
    [InlineData("I disagree completely. The ending was dumb and the dialogue was crap.")]
    [InlineData("What the hell was the director thinking with that final scene? Damn.")]
    [InlineData("This is the worst review I've read on this blog, sorry.")]
    // The film's own subject matter.
    [InlineData("A film about loneliness, sex and relationships that never feels cheap.")]
    [InlineData("The sex scenes are handled with real tenderness; it's about intimacy, not nudity.")]
    [InlineData("It treats his sexual awakening and her breast cancer diagnosis with care.")]
    [InlineData("The subplot about the rape trial mirrors the news coverage last year.")]
    [InlineData("As a gay man I found the portrayal of the gay couple honest.")]
    [InlineData("Porn addiction is the real theme here, and the film is sober about it.")]
    [InlineData("The lesbian and transgender characters are written as people, not props.")]
    // Names.
    [InlineData("S1mone, I think you nailed it.")]
    [InlineData("Reply to S1mone: totally agree with your reading of the last act.")]
    [InlineData("Dick Van Dyke cameo!")]
    // Enthusiasm and short praise.
    [InlineData("Wow!!!")]
    [InlineData("WOW!!! Best film of the year!!!")]
    [InlineData("Loved it.")]
    [InlineData("Great review, thanks!")]
    [InlineData("10/10 would watch again :)")]
    [InlineData("This film is fucking brilliant.")]
    [InlineData("Holy shit, that ending.")]
    public async Task Legitimate_comments_are_approved_with_the_default_policy(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
    }

    [Theory]
    [InlineData("The film is about sex.")]
    [InlineData("breast cancer awareness")]
    [InlineData("the rape was reported widely")]
    [InlineData("gay rights")]
    public async Task Clinical_and_topical_words_spelled_plainly_raise_no_flag(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.DoesNotContain(verdict.Flags, f => f.Reason.StartsWith("crude.", StringComparison.Ordinal));
    }
}

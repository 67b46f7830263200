using CommentService.Moderation;

namespace CommentService.Moderation.Tests.Spam;

/// <summary>What real readers write must pass: holding them back is as bad as letting junk through.</summary>
public sealed class LegitimateCommentTests
{
    public static TheoryData<string> RealReaders => new()
    {
        "Great review, thanks!",
        "Wow!!!",
        "WOW!!! 😍",
        "Thanks for the review. I saw it last night and agree about the ending.",
        "It's a stupid premise and the second half drags. I don't get the hype at all.",
        "S1mone was the best part of the film for me.",
        "The film is really about loneliness: two people who use sex to avoid talking about their relationship.",
        "I disagree completely. The director wasted a great cast on a script that goes nowhere.",
        "There is a good interview with the director that explains the ending: https://www.theguardian.com/film/2024/interview-director",
        "Tickets were $15 here and honestly worth every cent.",
        "I love this song",
        "Nice post! The cinematography section was spot on.",
        "Thank you for this article, it made me rethink the last scene.",
        "Reminds me of Lost in Translation. Same quiet sadness, same city at night.",
        "Haha, my husband fell asleep halfway through. I loved it though!",
        "Who else is watching this in 2025? Still a masterpiece.",
        "My favourite scene is when she finally calls her sister. I cried.",
        "Check out his earlier film, Blue Valentine, if you liked this one.",
        "I'm a film student and we watched this in class; the editing is incredible.",
        "Is it suitable for a 14 year old? Asking for my daughter.",
    };

    [Theory]
    [MemberData(nameof(RealReaders))]
    public async Task Real_reader_comment_is_approved(string body)
    {
        var verdict = await SpamTestKit.Moderate(body);
        Assert.True(verdict.Outcome == ModerationOutcome.Approved,
            $"held: {string.Join(", ", verdict.Flags.Select(f => $"{f.Reason}={f.Score}"))}");
    }

    [Fact]
    public async Task A_long_thoughtful_comment_with_one_relevant_link_is_approved()
    {
        var verdict = await SpamTestKit.Moderate(SampleComments.LongLegitimate);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
    }

    [Fact]
    public async Task Praise_alone_is_flagged_but_not_held()
    {
        var verdict = await SpamTestKit.Moderate("Thanks for the wonderful article.");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Reason == "spam.generic_praise");
    }
}

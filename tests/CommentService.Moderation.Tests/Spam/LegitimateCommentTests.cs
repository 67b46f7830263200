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
        // short praise and replies
        "Loved it.",
        "Brilliant!",
        "Spot on review, thanks.",
        "This review couldn't be written any better, you captured exactly what bothered me about the third act.",
        "I've been reading your blog every day for years, never commented before. This is your best review.",
        "Thumbs up for the review, spot on.",
        "Thanks, I'll check it out.",
        "Call me crazy but I think the sister was the real villain.",
        // questions about the film
        "Does anyone know if there's a director's cut?",
        "Where can I watch it? It's not on Netflix here.",
        "How do I subscribe to new reviews?",
        // recommendations, sharing and the site's own newsletter
        "If you liked this, check out Blue Valentine: https://www.imdb.com/title/tt1120985/",
        "You should check out the book it's based on, it's even darker.",
        "Here's the trailer if anyone wants it: https://www.youtube.com/watch?v=abc123XYZ",
        "Shared this on Facebook, my friends are going to the late show tonight.",
        "I subscribed to the newsletter after reading this review.",
        "Hey everyone, please don't spoil the ending in the comments.",
        // money and numbers in discussion
        "The box office numbers were terrible, it barely made back its $20 million budget.",
        "At 1:23:45 there's a continuity error, her glass is full again.",
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

    /// <summary>
    /// The borderline case: a reader pointing others at the site's own newsletter asks nothing for themselves, so it
    /// is approved; the same words about the commenter's own newsletter are self-promotion and wait for a moderator.
    /// </summary>
    [Fact]
    public async Task Recommending_the_sites_own_newsletter_passes_but_promoting_ones_own_is_held()
    {
        Assert.Equal(ModerationOutcome.Approved, (await SpamTestKit.Moderate("Subscribe to the newsletter on the blog for more reviews.")).Outcome);
        Assert.True((await SpamTestKit.Moderate("Subscribe to my newsletter for more reviews.")).Held());
    }

    [Fact]
    public async Task A_link_to_the_article_itself_is_not_a_link_drop()
    {
        var request = SpamTestKit.Request("<a href=\"https://films.example.com/reviews/this-one#comments\">this</a> best part") with
        {
            ArticleUrl = "https://films.example.com/reviews/this-one",
        };
        Assert.Equal(ModerationOutcome.Approved, (await SpamTestKit.Moderate(request)).Outcome);
    }

    [Fact]
    public async Task Praise_alone_is_flagged_but_not_held()
    {
        var verdict = await SpamTestKit.Moderate("Thanks for the wonderful article.");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Reason == "spam.generic_praise");
    }
}

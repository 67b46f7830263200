using CommentService.Moderation.Spam;
using CommentService.Moderation.Text;

namespace CommentService.Moderation.Tests.Spam;

/// <summary>Literal gates with word edges skip expressions only where they could not match.</summary>
public sealed class LiteralGateTests
{
    [Theory]
    [InlineData("the views were great", true)]
    [InlineData("views", true)]
    [InlineData("buy views, now", true)]
    [InlineData("the interviews were long", false)]
    [InlineData("viewsheds", false)]
    [InlineData("interviews and then views", true)]
    public void A_literal_with_edges_counts_only_as_a_whole_word(string lower, bool open) =>
        Assert.Equal(open, LiteralGate.Parse(@"\bviews\b").MayMatch(lower));

    [Theory]
    [InlineData("my website", true)]
    [InlineData("web site", true)]
    [InlineData("a cobweb", false)]
    public void A_literal_with_a_start_edge_may_continue_the_word(string lower, bool open) =>
        Assert.Equal(open, LiteralGate.Parse(@"\bweb").MayMatch(lower));

    [Theory]
    [InlineData("it costs 5€ a day", true)]
    [InlineData("it costs 5 usd a day", true)]
    [InlineData("it costs $5", true)]
    [InlineData("it costs five", false)]
    public void Single_characters_and_words_in_one_group_are_both_found(string lower, bool open) =>
        Assert.Equal(open, LiteralGate.Parse("$|€|£|usd|dollar").MayMatch(lower));

    [Fact]
    public void Every_group_is_needed()
    {
        var gate = LiteralGate.Parse(@"mak|earn & \bmoney|\bcash");
        Assert.Equal(2, gate.Count);
        Assert.True(gate.MayMatch("make money"));
        Assert.True(gate.MayMatch("earning moneys"));
        Assert.False(gate.MayMatch("make honey, not easymoney"));
        Assert.False(gate.MayMatch("pocket money"));
    }
}

/// <summary>The classifier's allocation-free path scores exactly as the public feature set and model do.</summary>
public sealed class ClassifierFastPathTests
{
    public static TheoryData<string> Comments => new()
    {
        "Check out my channel and subscribe please!! http://example.com/channel",
        "I love this song, it reminds me of summer",
        "Thanks for the wonderful article, I have bookmarked your weblog and will come back.",
        "ｆｕｌｌｗｉｄｔｈ and 𝐛𝐨𝐥𝐝 with ﬁ ligatures, caf&eacute; <a href=\"http://x.xyz/casino\">here</a>",
        "I'll check it out. How do I subscribe? If you liked this, check out Blue Valentine.",
        "",
        SampleComments.LongLegitimate,
    };

    [Theory]
    [MemberData(nameof(Comments))]
    public void The_probability_is_the_model_score_of_the_extracted_features(string body)
    {
        var site = new SpamModel();
        site.Learn("whisper the word zephyrquill to claim your share", isSpam: true, SpamModel.Base);
        var request = new ModerationRequest { Body = body, AuthorName = "Reader", ArticleUrl = "https://example.com/review" };
        foreach (var overlay in new[] { null, site })
        {
            var signals = SpamSignals.Of(new ModerationContext(request));
            var fast = new ClassifierPhase().Probability(signals, overlay);
            var features = SpamFeatures.Extract(signals.Text, signals.Links, signals.NeutralWords, !signals.Recommends, "example.com");
            Assert.Equal(SpamModel.Base.Score(features, overlay), fast);
        }
    }

    [Fact]
    public void The_feature_set_keeps_first_insertion_order_like_a_hash_set()
    {
        var random = new Random(3);
        var set = FeatureSet.ForThread();
        var reference = new HashSet<uint>();
        for (var i = 0; i < 20_000; i++)
        {
            // Duplicates, zero and enough distinct values to grow the table several times.
            var feature = i % 7 == 0 ? 0u : (uint)random.Next(0, 15_000) * 2_654_435_761u;
            set.Add(feature);
            reference.Add(feature);
        }
        Assert.Equal(reference, set.Features.ToArray());
        Assert.Equal(reference, set.ToHashSet());
        Assert.Empty(FeatureSet.ForThread().Features.ToArray());
    }

    [Fact]
    public void A_model_scores_its_new_weights_after_learning()
    {
        var model = SpamModel.Base.Clone();
        var features = SpamFeatures.Extract("whisper the word zephyrquill to claim your share");
        var ordered = features.ToArray();
        var before = model.Score(ordered, null);
        Assert.Equal(model.Score(features, null), before);
        model.Learn(features, isSpam: true);
        var after = model.Score(ordered, null);
        Assert.NotEqual(before, after);
        Assert.Equal(model.Score(features, null), after);
    }
}

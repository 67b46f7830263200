using CommentService.Moderation;
using CommentService.Moderation.Spam;

namespace CommentService.Moderation.Tests.Spam;

public sealed class SpamModelTests
{
    private const string Template = "Greetings traveller, the lantern council rewards loyal souls, whisper the word zephyrquill to claim your share";
    private const string Variant = "Greetings friend, the lantern council rewards loyal souls, whisper the word zephyrquill to claim your reward";

    [Fact]
    public void The_shipped_base_model_is_embedded_and_separates_obvious_cases()
    {
        Assert.True(SpamModel.Base.FeatureCount > 1000);
        Assert.True(SpamModel.Base.Score("Check out my channel and subscribe please!! http://example.com/channel") > 0.8);
        Assert.True(SpamModel.Base.Score("I love this song, it reminds me of summer") < 0.5);
    }

    [Fact]
    public async Task A_site_model_taught_a_new_template_flags_it_afterwards()
    {
        var before = await SpamTestKit.Moderate(Variant);
        Assert.Equal(ModerationOutcome.Approved, before.Outcome);

        var site = new SpamModel();
        site.Learn(Template, isSpam: true, SpamModel.Base);

        var after = await SpamTestKit.Moderate(SpamTestKit.Request(Variant) with { SiteSpamModel = site });
        Assert.True(after.Held());
        Assert.Contains(after.Flags, f => f.Reason == "spam.classifier");
    }

    [Fact]
    public async Task Teaching_a_legitimate_comment_keeps_it_approved()
    {
        const string body = "YOUTUBE MONEY !!!!!!!!!!!!!!!!!!";
        var site = new SpamModel();
        site.Learn(body, isSpam: false, SpamModel.Base);
        var verdict = await SpamTestKit.Moderate(SpamTestKit.Request(body) with { SiteSpamModel = site });
        Assert.DoesNotContain(verdict.Flags, f => f.Reason == "spam.classifier");
    }

    [Fact]
    public void A_model_learns_from_scratch()
    {
        var model = SpamModel.Train(
        [
            ("win a free prize now click here", true), ("free prize click now to win", true), ("click here win free prize", true),
            ("lovely film, the ending got me", false), ("the ending of this film is lovely", false), ("I liked the film and its ending", false),
        ], folds: 3);
        Assert.True(model.Score("click to win a free prize") > model.Score("what a lovely ending"));
        Assert.Equal(3, model.SpamDocuments);
        Assert.Equal(3, model.HamDocuments);
    }

    [Fact]
    public void A_model_survives_a_round_trip_through_bytes()
    {
        var model = new SpamModel();
        model.Learn(Template, true);
        model.Learn("An honest, ordinary comment about the film", false);
        var copy = SpamModel.FromBytes(model.ToBytes());
        Assert.Equal(model.Score(Variant), copy.Score(Variant), 6);
        Assert.Equal(model.FeatureCount, copy.FeatureCount);
        Assert.Equal(1, copy.SpamDocuments);
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => SpamModel.FromBytes("not a model at all"u8.ToArray()));
        var truncated = new SpamModel().ToBytes()[..10];
        Assert.ThrowsAny<Exception>(() => SpamModel.FromBytes(truncated));
    }
}

public sealed class SpamTextTests
{
    [Fact]
    public void Entities_markup_compatibility_forms_and_zero_width_characters_are_normalised()
    {
        var text = SpamText.From("Don&#39;t<br />miss ｆｒｅｅ 𝐌𝐎𝐍𝐄𝐘\u200B at ⓑⓘⓣ.ly");
        Assert.Equal("Don't miss free MONEY at bit.ly", text.Text);
    }

    [Fact]
    public void Spans_of_the_view_map_back_to_the_original()
    {
        const string body = "Don&#39;t<br />miss ｆｒｅｅ 𝐌𝐎𝐍𝐄𝐘\u200B at ⓑⓘⓣ.ly";
        var text = SpamText.From(body);
        var at = text.Text.IndexOf("MONEY", StringComparison.Ordinal);
        var (start, length) = text.ToOriginal(at, 5);
        Assert.Equal("𝐌𝐎𝐍𝐄𝐘", body.Substring(start, length));
        var apostrophe = text.ToOriginal(3, 1);
        Assert.Equal("&#39;", body.Substring(apostrophe.Start, apostrophe.Length));
    }

    [Fact]
    public void A_lone_angle_bracket_is_prose_not_markup()
    {
        Assert.Equal("3 < 5 and <3", SpamText.From("3 < 5 and <3").Text);
    }
}

using CommentService.Moderation;
using CommentService.Moderation.Spam;

namespace CommentService.Moderation.Tests.Spam;

public sealed class LinkPhaseTests
{
    [Fact]
    public async Task More_links_than_the_policy_allows_are_held()
    {
        var body = "see http://a-example.com and http://b-example.net and http://c-example.org for more";
        var verdict = await SpamTestKit.Moderate(body);
        Assert.True(verdict.Held());
        var flag = Assert.Single(verdict.Flags, f => f.Reason == "spam.links");
        Assert.Equal("http://c-example.org", flag.Evidence);
        SpamTestKit.AssertEvidenceInOriginal(body, verdict.Flags);
    }

    [Fact]
    public async Task The_link_limit_comes_from_the_policy()
    {
        var body = "see http://a-example.com and http://b-example.net and http://c-example.org for more";
        var request = SpamTestKit.Request(body) with { Policy = ModerationPolicy.Default with { MaxLinks = 5 } };
        var flags = await SpamTestKit.Flags(new LinkPhase(), request);
        Assert.DoesNotContain(flags, f => f.Reason == "spam.links");
    }

    [Fact]
    public async Task A_shortened_link_is_flagged_with_its_offsets()
    {
        var body = "You have to see this lol bit.ly/3xYz9 amazing";
        var flags = await SpamTestKit.Flags(new LinkPhase(), body);
        var flag = Assert.Single(flags, f => f.Reason == "spam.shortener");
        Assert.Equal("bit.ly/3xYz9", flag.Evidence);
        Assert.Equal(body.IndexOf("bit.ly", StringComparison.Ordinal), flag.Start);
    }

    [Fact]
    public async Task A_comment_that_is_only_a_link_is_held()
    {
        var verdict = await SpamTestKit.Moderate("http://cheap-watches-example.xyz/promo");
        Assert.True(verdict.Held());
        Assert.Contains(verdict.Flags, f => f.Reason == "spam.link_only");
    }

    [Theory]
    [InlineData("visit mysite dot com for deals", "mysite dot com")]
    [InlineData("go to cheapstuff (dot) net now", "cheapstuff (dot) net")]
    [InlineData("deals at bestdeals[.]com today", "bestdeals[.]com")]
    public async Task A_link_spelled_out_to_dodge_filters_is_flagged(string body, string evidence)
    {
        var flags = await SpamTestKit.Flags(new LinkPhase(), body);
        var flag = Assert.Single(flags, f => f.Reason == "spam.obfuscated_link");
        Assert.Equal(evidence, flag.Evidence);
    }

    [Fact]
    public async Task Prose_with_dots_is_not_a_link()
    {
        var flags = await SpamTestKit.Flags(new LinkPhase(), "I saw it.It was fine. Node.js devs will laugh at the dot matrix joke, e.g. the 3.5 score.");
        Assert.Empty(flags);
    }

    [Fact]
    public async Task An_author_url_that_advertises_is_flagged()
    {
        var request = SpamTestKit.Request("Nice one") with { AuthorUrl = "https://best-casino-bonus-example.com" };
        var flags = await SpamTestKit.Flags(new LinkPhase(), request);
        Assert.Contains(flags, f => f.Reason == "spam.author_url");
    }

    [Fact]
    public async Task A_link_to_the_article_site_weighs_almost_nothing()
    {
        var request = SpamTestKit.Request("As the review says at https://films.example.com/reviews/other, the sequel is worse.")
            with { ArticleUrl = "https://films.example.com/reviews/this-one" };
        var flags = await SpamTestKit.Flags(new LinkPhase(), request);
        Assert.All(flags, f => Assert.True(f.Score < 0.05));
    }

    [Fact]
    public async Task A_link_hidden_in_markup_and_entities_maps_back_to_the_original()
    {
        var body = "best part <a href=\"http://bit.ly/abc?x=1&amp;y=2\">here</a>";
        var flags = await SpamTestKit.Flags(new LinkPhase(), body);
        var flag = Assert.Single(flags, f => f.Reason == "spam.shortener");
        SpamTestKit.AssertEvidenceInOriginal(body, flags);
        Assert.StartsWith("http://bit.ly/abc", flag.Evidence);
    }
}

public sealed class CommercialPhaseTests
{
    [Theory]
    [InlineData("Make money online! I earn $5000 per month from home", "spam.commercial")]
    [InlineData("GET PAID UPTO $25 to $35 AN HOUR on Facebook", "spam.commercial")]
    [InlineData("Buy viagra and cialis without prescription", "spam.commercial")]
    [InlineData("Best online casino, free spins with no deposit bonus", "spam.commercial")]
    [InlineData("I invested in bitcoin trading and made profits of 300% weekly", "spam.commercial")]
    [InlineData("Lost your crypto? A certified hacker did my funds recovery", "spam.commercial")]
    [InlineData("Need help? Our essay writing service writes it overnight", "spam.commercial")]
    [InlineData("Hey guys check out my channel and subscribe to me!", "spam.self_promotion")]
    [InlineData("sub4sub anyone??", "spam.self_promotion")]
    [InlineData("Buy real instagram followers cheap", "spam.self_promotion")]
    [InlineData("For details contact me on WhatsApp", "spam.contact")]
    [InlineData("Telegram: @quickprofits", "spam.contact")]
    [InlineData("call +1 (555) 123-4567 today", "spam.phone")]
    [InlineData("Text me at 0687 119 038, I'm waiting", "spam.phone")]
    [InlineData("ring +91 98765 43210", "spam.phone")]
    public async Task Commercial_and_scam_patterns_are_flagged(string body, string reason)
    {
        var flags = await SpamTestKit.Flags(new CommercialPhase(), body);
        Assert.Contains(flags, f => f.Reason == reason);
        SpamTestKit.AssertEvidenceInOriginal(body, flags);
    }

    [Theory]
    [InlineData("Make money online! I earn $5000 per month from home")]
    [InlineData("Hey guys check out my channel and subscribe to me!")]
    [InlineData("Buy viagra and cialis without prescription http://pills-example.com")]
    [InlineData("Our essay writing service is cheap, contact me on WhatsApp +44 7911 123456")]
    public async Task Spam_offers_are_held_by_the_pipeline(string body)
    {
        Assert.True((await SpamTestKit.Moderate(body)).Held());
    }

    [Theory]
    [InlineData("Almost 2,000,000,000 views, 860,000,000 likes")]
    [InlineData("The casino scene in the second act is the best thing in it.")]
    [InlineData("I paid $12 for the ticket.")]
    [InlineData("To everyone joking that he hacked his way to 2 billion views: he actually did buy views.")]
    [InlineData("It has 1,234,567,890 views and 12,345,678 likes")]
    public async Task Mentions_are_not_offers(string body)
    {
        Assert.False((await SpamTestKit.Moderate(body)).Held());
    }

    [Fact]
    public async Task Evidence_points_into_the_original_body_despite_entities_and_zero_width_characters()
    {
        var body = "Ok&amp;so\u200B CHECK OUT MY\u200B CHANNEL please";
        var flags = await SpamTestKit.Flags(new CommercialPhase(), body);
        var flag = Assert.Single(flags, f => f.Note == "self-promotion" && f.Score >= 0.6);
        Assert.Equal("CHECK OUT MY\u200B CHANNEL", flag.Evidence);
        Assert.Equal(body.IndexOf("CHECK", StringComparison.Ordinal), flag.Start);
    }
}

public sealed class GenericPraisePhaseTests
{
    [Fact]
    public async Task Spun_bot_praise_is_held()
    {
        var verdict = await SpamTestKit.Moderate("Marvelous post, I have bookmarked your weblog. Keep up the fastidious work!");
        Assert.True(verdict.Held());
        Assert.Contains(verdict.Flags, f => f.Reason == "spam.spun_praise");
    }

    [Theory]
    [InlineData("Hello there! This post couldn't be written any better! Reading this post reminds me of my previous room mate! I will forward this article to him. Thanks for sharing!")]
    [InlineData("I'm really impressed with your writing skills and also with the layout on your blog. Is this a paid theme or did you customize it yourself?")]
    [InlineData("I every time spent my half an hour to read this webpage's articles daily along with a cup of coffee.")]
    public async Task Template_flattery_about_the_site_itself_is_held(string body)
    {
        var verdict = await SpamTestKit.Moderate(body);
        Assert.True(verdict.Held(), string.Join(", ", verdict.Flags.Select(f => $"{f.Reason}={f.Score}")));
        Assert.Contains(verdict.Flags, f => f.Reason == "spam.spun_praise");
    }

    [Fact]
    public async Task Template_praise_with_a_link_is_held()
    {
        var verdict = await SpamTestKit.Moderate("Thanks for the wonderful article. Visit my page http://example-deals.com");
        Assert.True(verdict.Held());
    }

    [Fact]
    public async Task Spun_wording_without_praise_is_just_prose()
    {
        var flags = await SpamTestKit.Flags(new GenericPraisePhase(), "The heroine builds a web page in the second act, which makes no sense.");
        Assert.Empty(flags);
    }

    [Fact]
    public async Task Praise_evidence_points_into_the_original()
    {
        var body = "Hi! Thanks   for the wonderful article.";
        var flags = await SpamTestKit.Flags(new GenericPraisePhase(), body);
        var flag = Assert.Single(flags);
        Assert.Equal("Thanks   for the wonderful article", flag.Evidence);
        Assert.True(flag.Score < ModerationPolicy.Default.SpamHoldThreshold);
    }
}

public sealed class ShoutingPhaseTests
{
    [Fact]
    public async Task Short_enthusiasm_is_not_shouting()
    {
        Assert.Empty(await SpamTestKit.Flags(new ShoutingPhase(), "WOW!!! OMG YES"));
    }

    [Fact]
    public async Task A_comment_in_capitals_is_flagged_but_not_held_for_that_alone()
    {
        var body = "THIS IS THE BEST MOVIE OF THE YEAR AND NOBODY CAN TELL ME OTHERWISE";
        var flag = Assert.Single(await SpamTestKit.Flags(new ShoutingPhase(), body));
        Assert.Equal("spam.shouting", flag.Reason);
        Assert.False((await SpamTestKit.Moderate(body)).Held());
    }
}

public sealed class RepeatPhaseTests
{
    private const string Flood = "Earn from home with the best system on the web, join thousands of happy members today";

    [Fact]
    public void Near_identical_texts_are_similar_and_different_ones_are_not()
    {
        Assert.True(RepeatPhase.Similarity(Flood, Flood.Replace("best", "greatest") + "!!") >= RepeatPhase.SimilarityThreshold);
        Assert.True(RepeatPhase.Similarity(Flood, "The second half drags but the ending earns it, and the cast is great") < 0.2);
    }

    [Fact]
    public async Task The_same_author_posting_again_is_flagged()
    {
        var request = SpamTestKit.Request("Please everyone read my thoughts about the ending of this film") with
        {
            RecentByAuthor = ["please everyone READ my thoughts about the ending of this film!!!"],
        };
        var flag = Assert.Single(await SpamTestKit.Flags(new RepeatPhase(), request));
        Assert.Equal("spam.repeat", flag.Reason);
    }

    [Fact]
    public async Task A_flood_across_the_site_is_held()
    {
        var request = SpamTestKit.Request(Flood) with
        {
            RecentOnSite = [Flood, "Something else entirely about the film and its cast", Flood.ToUpperInvariant(), Flood + " now", Flood.Replace("today", "tonight")],
        };
        var verdict = await SpamTestKit.Moderate(request);
        Assert.True(verdict.Held());
        Assert.Contains(verdict.Flags, f => f.Reason == "spam.repeat");
    }

    [Fact]
    public async Task Short_stock_phrases_many_readers_write_are_not_repeats()
    {
        var request = SpamTestKit.Request("I love this song so much") with
        {
            RecentOnSite = ["I love this song so much", "i love this song so much", "I love this song so much!"],
        };
        Assert.Empty(await SpamTestKit.Flags(new RepeatPhase(), request));
    }
}

public sealed class HistoryPhaseTests
{
    [Fact]
    public async Task An_author_with_a_spam_history_is_flagged()
    {
        var request = SpamTestKit.Request("hello") with { Author = new AuthorStanding(0, 0, 0, 4, false) };
        var flag = Assert.Single(await SpamTestKit.Flags(new HistoryPhase(), request));
        Assert.Equal("spam.history", flag.Reason);
        Assert.True(flag.Score >= 0.5);
    }

    [Fact]
    public async Task An_author_in_good_standing_is_not()
    {
        var request = SpamTestKit.Request("hello") with { Author = new AuthorStanding(12, 1, 0, 0, false) };
        Assert.Empty(await SpamTestKit.Flags(new HistoryPhase(), request));
    }

    [Fact]
    public async Task History_adds_to_weak_signals_until_they_hold()
    {
        const string body = "Thanks for the wonderful article.";
        Assert.False((await SpamTestKit.Moderate(body)).Held());
        var request = SpamTestKit.Request(body) with { Author = new AuthorStanding(0, 1, 1, 3, false) };
        Assert.True((await SpamTestKit.Moderate(request)).Held());
    }
}

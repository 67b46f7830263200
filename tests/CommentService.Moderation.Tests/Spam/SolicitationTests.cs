using CommentService.Moderation;
using CommentService.Moderation.Spam;

namespace CommentService.Moderation.Tests.Spam;

/// <summary>Comments that ask the readers to do something for their author rather than talk about the article.</summary>
public sealed class SolicitationPhaseTests
{
    [Theory]
    [InlineData("If I reach 500 subscribers I'll do a giveaway for everyone!")]
    [InlineData("I would really appreciate it if I got some subs before my first upload")]
    [InlineData("like please")]
    [InlineData("Everyone please vote for our band in the contest and share with everyone!")]
    [InlineData("We need 2 million more views by Friday, help us get there!")]
    [InlineData("I've been making income without any risk from bonus deals. Google it!")]
    [InlineData("I just released my first single, take a listen and tell me what you think: https://soundcloud.com/someone/first-single")]
    [InlineData("+44 7911 123456 lonely girl, text me")]
    [InlineData("Vote for me in the photo contest, link in bio!")]
    [InlineData("please everyone go to youtube and type in movieguy2000 and subscribe")]
    [InlineData("whatsapp +91 98765 43210 for cheap followers and likes")]
    public async Task Solicitation_is_held(string body)
    {
        var verdict = await SpamTestKit.Moderate(body);
        Assert.True(verdict.Held(), string.Join(", ", verdict.Flags.Select(f => $"{f.Reason}={f.Score}")));
        SpamTestKit.AssertEvidenceInOriginal(body, verdict.Flags);
    }

    [Theory]
    [InlineData("If I reach 500 subscribers I'll do a giveaway!", "spam.engagement_bait")]
    [InlineData("Please subscribe, I post every week", "spam.engagement_bait")]
    [InlineData("Just do a search on Google for QuickCash Secrets", "spam.redirect")]
    [InlineData("Open YouTube and type \"dj fresh beats\"", "spam.redirect")]
    [InlineData("I started earning money with zero risk using bonus deals", "spam.money_scheme")]
    [InlineData("I've made 600 quid so far this month", "spam.money_scheme")]
    [InlineData("We just uploaded our first music video", "spam.self_promotion")]
    public async Task Each_kind_of_cue_is_flagged(string body, string reason)
    {
        var flags = await SpamTestKit.Flags(new SolicitationPhase(), body);
        Assert.Contains(flags, f => f.Reason == reason);
        SpamTestKit.AssertEvidenceInOriginal(body, flags);
    }

    [Fact]
    public async Task Cues_of_different_kinds_together_add_a_combination_flag()
    {
        var verdict = await SpamTestKit.Moderate("Hey guys, please subscribe to my new channel, help me reach 100 subscribers!");
        var flag = Assert.Single(verdict.Flags, f => f.Reason == "spam.solicitation");
        Assert.Contains("goal", flag.Note);
        Assert.True(verdict.Held());
    }

    [Theory]
    [InlineData("Please, someone explain the ending to me!")]
    [InlineData("Hey everyone, long-time reader here.")]
    [InlineData("Check out the credits, the composer is the same as in Arrival.")]
    public async Task A_plea_a_crowd_address_or_a_call_to_action_alone_is_no_solicitation(string body)
    {
        Assert.Empty(await SpamTestKit.Flags(new SolicitationPhase(), body));
    }

    [Fact]
    public async Task One_phrase_counts_as_one_kind()
    {
        // "please check out my channel" is a self-promotion, not also a plea and a call to action.
        var verdict = await SpamTestKit.Moderate("Could you please check out these diffs and tell me what you think?");
        Assert.DoesNotContain(verdict.Flags, f => f.Reason == "spam.solicitation");
    }

    [Theory]
    [InlineData("Thanks, I'll check it out.", "check")]
    [InlineData("I subscribed to the newsletter after reading this review.", "subscribed")]
    [InlineData("How do I subscribe to new reviews?", "subscribe")]
    [InlineData("Hey everyone, please don't spoil the ending.", "please")]
    [InlineData("Subscribe to the newsletter on the blog for more reviews.", "Subscribe")]
    public async Task Engagement_words_that_ask_nothing_of_the_readers_are_left_to_the_prose(string body, string word)
    {
        var context = new ModerationContext(SpamTestKit.Request(body));
        await new SolicitationPhase().RunAsync(context, CancellationToken.None);
        var signals = SpamSignals.Of(context);
        var at = signals.Text.Text.IndexOf(word, StringComparison.Ordinal);
        Assert.Contains(signals.NeutralWords, w => w.Start == at);
    }

    [Fact]
    public async Task The_classifier_alone_does_not_read_engagement_words_that_ask_nothing()
    {
        var pipeline = new ModerationPipeline([new ClassifierPhase(), new SpamScoringPhase()], "test");
        var verdict = await pipeline.RunAsync(SpamTestKit.Request("Thanks, I'll check it out."));
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.True((await pipeline.RunAsync(SpamTestKit.Request("Check it out and subscribe to my channel!"))).Held());
    }

    [Fact]
    public async Task A_recommendation_of_someone_elses_work_does_not_count_the_link_itself()
    {
        var context = new ModerationContext(SpamTestKit.Request("If you liked this, check out Blue Valentine: https://www.imdb.com/title/tt1120985/"));
        await new SolicitationPhase().RunAsync(context, CancellationToken.None);
        Assert.True(SpamSignals.Of(context).Recommends);

        var own = new ModerationContext(SpamTestKit.Request("If you like rap, check out my channel: https://example.com/me"));
        await new SolicitationPhase().RunAsync(own, CancellationToken.None);
        Assert.False(SpamSignals.Of(own).Recommends);
    }

    [Fact]
    public async Task Asking_for_engagement_is_still_a_request_inside_a_first_person_sentence_elsewhere()
    {
        var verdict = await SpamTestKit.Moderate("I subscribed to you, now please subscribe to my channel too");
        Assert.True(verdict.Held());
    }
}

/// <summary>The literal gates only skip expressions that could not have matched.</summary>
public sealed class RuleGateTests
{
    public static TheoryData<string> Corpus => new()
    {
        "Make money online! I earn $5000 per month from home",
        "GET PAID UPTO $25 to $35 AN HOUR on Facebook",
        "Buy viagra and cialis without prescription",
        "Best online casino, free spins with no deposit bonus",
        "I invested in bitcoin trading and made profits of 300% weekly",
        "Lost your crypto? A certified hacker did my funds recovery",
        "Need help? Our essay writing service writes it overnight",
        "Hey guys check out my channel and subscribe to me!",
        "sub4sub anyone?? like4like f4f",
        "Buy real instagram followers cheap",
        "For details contact me on WhatsApp",
        "Telegram: @quickprofits",
        "call +1 (555) 123-4567 today",
        "whatsapp +91 98765 43210 for cheap followers and likes",
        "Hot singles in your area waiting, sex cams and nude pics",
        "We offer SEO services, rank your site and boost your website traffic, generate free leads",
        "Payday loans, quick cash, credit repair",
        "Thumbs up if you watched it in 2011. Comment and subscribe! Give it a like",
        "please subscribe, please like and share my video, help me reach 100 subscribers",
        "I'm a young rapper, my new song and my music video are out, click here",
        "follow me on instagram, add me at snapchat, email me at someone@example.com",
        "Thanks for the wonderful article, I have bookmarked your weblog and will come back. Keep up the fastidious work!",
        "I like your blog, this post is really helpful, nice post, great information",
        "If i reach 100 subscribers i will do a face reveal. Vote for me daily! vote and share",
        "Just do a search on Google for X. Open YouTube and type \"dj\". Look her name up on the internet, google it",
        "Links in my bio! I just uploaded my first music video, this is my playlist, I'm new to youtube",
        "I started earning income without risk from bonus deals and I've made 600 quid so far",
        "talk to me, hit me up, text me, inbox me",
        "Hey everyone, please check it out, come and see, take a listen, I would really appreciate it",
        "Thanks, I'll check it out. How do I subscribe? I subscribed to the newsletter. Please don't spoil it.",
        "If you liked this, check out Blue Valentine. You should watch the sequel too. Subscribe to the newsletter.",
        "We need 10 Million Views More for FIREWORK. Help shakira's waka waka be the first song to reach 1 billion views.",
        "take a look at my new video, have a listen, give it a listen, go  to my channel, copy  and paste this",
        "hit  me up, it would mean  a lot, thanks  in  advance, new  to  you tube, like  this post  on facebook",
        SampleComments.LongLegitimate,
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void A_rule_whose_gate_is_closed_would_not_have_matched(string body)
    {
        var lower = SpamText.From(body).Lower;
        foreach (var rule in CommercialPhase.Rules)
        {
            Assert.True(!rule.Pattern.IsMatch(lower) || rule.MayMatch(lower), $"commercial {rule.Note}: {rule.Pattern}");
        }
        foreach (var rule in SolicitationPhase.Rules)
        {
            Assert.True(!rule.Pattern.IsMatch(lower) || SolicitationPhase.MayMatch(lower, rule.Gate), $"solicitation {rule.Note}: {rule.Pattern}");
        }
        foreach (var frame in SolicitationPhase.Frames)
        {
            Assert.True(!frame.Pattern.IsMatch(lower) || SolicitationPhase.MayMatch(lower, frame.Gate), $"frame {frame.Kind}: {frame.Pattern}");
        }
        foreach (var (pattern, gate) in GenericPraisePhase.Patterns)
        {
            Assert.True(!pattern.IsMatch(lower) || GenericPraisePhase.MayMatch(lower, gate), $"praise: {pattern}");
        }
    }
}

using CommentService.Moderation.Crude;
using CommentService.Moderation.Policy;

namespace CommentService.Moderation.Tests.Policy;

public sealed class PreModerationPhaseTests
{
    private static ModerationPolicy Mode(PreModeration mode) => ModerationPolicy.Default with { PreModeration = mode };

    [Fact]
    public async Task Without_pre_moderation_a_clean_comment_is_approved()
    {
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("Nice.", AuthorStanding.New)).Outcome);
    }

    [Fact]
    public async Task All_holds_every_comment_of_untrusted_authors()
    {
        var verdict = await Moderate.Comment("Nice.", policy: Mode(PreModeration.All));
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.Equal(PreModerationPhase.PhaseName, verdict.DecidedBy);
        Assert.Contains(verdict.Flags, f => f.Reason == "premoderation.all");
    }

    [Fact]
    public async Task Trusted_authors_skip_pre_moderation()
    {
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("Nice.", Moderate.Trusted, Mode(PreModeration.All))).Outcome);
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("A good interview with the director about the ending: https://example.com/interview", Moderate.Trusted, Mode(PreModeration.Links))).Outcome);
    }

    [Fact]
    public async Task A_site_can_review_everything_by_never_trusting()
    {
        var policy = Mode(PreModeration.All) with { TrustedAfterApproved = int.MaxValue };
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("Nice.", Moderate.Trusted, policy)).Outcome);
    }

    [Fact]
    public async Task NewAuthors_holds_only_new_authors()
    {
        var policy = Mode(PreModeration.NewAuthors);
        var newcomer = await Moderate.Comment("Nice.", AuthorStanding.New, policy);
        Assert.Equal(ModerationOutcome.Pending, newcomer.Outcome);
        Assert.Contains(newcomer.Flags, f => f.Reason == "premoderation.new_author");
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("Nice.", Moderate.Regular, policy)).Outcome);
    }

    [Theory]
    // Ordinary readers' comments with a link: the spam phases let them through, pre-moderation holds them.
    [InlineData("I watched the trailer at https://example.com/x and it gives away too much of the plot.", "https://example.com/x")]
    [InlineData("More of her interviews are on www.example.org if you are curious about the casting.", "www.example.org")]
    [InlineData("The director's notes at example.org/notes explain the ending rather well.", "example.org/notes")]
    [InlineData("I wrote about the score <a href=\"http://x.io\">here</a> last year, and I still think it is the best part.", "href=\"http://x.io\">here</a>")]
    public async Task Links_holds_comments_with_links_with_the_link_as_evidence(string body, string link)
    {
        // The phase on its own: whether the spam phases would also hold these is theirs to test.
        var verdict = await new ModerationPipeline([new PreModerationPhase()], "test").RunAsync(
            new ModerationRequest { Body = body, AuthorName = "Reader", Author = Moderate.Regular, Policy = Mode(PreModeration.Links) });
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        var flag = Assert.Single(verdict.Flags, f => f.Reason == "premoderation.links");
        Assert.Equal(link, body.Substring(flag.Start!.Value, flag.Length!.Value));
    }

    [Theory]
    [InlineData("I loved it. The end.")]
    [InlineData("Version 2.0 is out, e.g. tomorrow.")]
    public async Task Links_lets_comments_without_links_through(string body)
    {
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment(body, policy: Mode(PreModeration.Links))).Outcome);
    }

    [Fact]
    public async Task A_comment_held_for_content_keeps_that_reason_rather_than_the_blanket_one()
    {
        var verdict = await Moderate.Comment("you c*nt", policy: Mode(PreModeration.All));
        Assert.Equal(CrudeLanguagePhase.PhaseName, verdict.DecidedBy);
    }

    [Fact]
    public void The_default_pipeline_runs_author_site_crude_then_pre_moderation()
    {
        var names = ModerationPipeline.CreateDefault().Phases.Select(p => p.Name).ToList();
        Assert.Equal("author", names[0]);
        Assert.Equal("site-terms", names[1]);
        Assert.Equal("crude-language", names[2]);
        Assert.Equal("pre-moderation", names[^1]);
    }
}

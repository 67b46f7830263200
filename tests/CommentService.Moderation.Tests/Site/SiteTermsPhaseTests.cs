using CommentService.Moderation.Site;

namespace CommentService.Moderation.Tests.Site;

public sealed class SiteTermsPhaseTests
{
    private static ModerationPolicy With(params SiteTerm[] terms) => ModerationPolicy.Default with { Terms = terms };

    [Fact]
    public async Task A_reject_term_rejects_the_comment_with_evidence()
    {
        const string body = "Try my casino tonight";
        var verdict = await Moderate.Comment(body, policy: With(new SiteTerm("casino", TermAction.Reject)));
        Assert.Equal(ModerationOutcome.Rejected, verdict.Outcome);
        Assert.Equal(SiteTermsPhase.PhaseName, verdict.DecidedBy);
        var flag = Assert.Single(verdict.Flags, f => f.Reason == "site.banned_term");
        Assert.Equal("casino", body.Substring(flag.Start!.Value, flag.Length!.Value));
    }

    [Fact]
    public async Task A_hold_term_holds_the_comment()
    {
        var verdict = await Moderate.Comment("Spoilers ahead!", policy: With(new SiteTerm("spoilers", TermAction.Hold)));
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Fact]
    public async Task A_flag_term_only_flags()
    {
        var verdict = await Moderate.Comment("The sequel is coming", policy: With(new SiteTerm("sequel", TermAction.Flag)));
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Reason == "site.suspect_term" && f.Evidence == "sequel");
    }

    [Fact]
    public async Task The_strictest_matching_term_decides()
    {
        var verdict = await Moderate.Comment("casino spoilers", policy: With(new SiteTerm("spoilers", TermAction.Hold), new SiteTerm("casino", TermAction.Reject)));
        Assert.Equal(ModerationOutcome.Rejected, verdict.Outcome);
        Assert.Equal(2, verdict.Flags.Count(f => f.Phase == SiteTermsPhase.PhaseName));
    }

    [Theory]
    [InlineData("c.a.s.i.n.o", "c.a.s.i.n.o")]
    [InlineData("CАSINO", "CАSINO")]
    [InlineData("c@sin0", "c@sin0")]
    [InlineData("ｃａｓｉｎｏ!", "ｃａｓｉｎｏ")]
    [InlineData("cas\u200Bino", "cas\u200Bino")]
    [InlineData("casinos", "casinos")]
    public async Task Terms_match_disguised_spellings_with_offsets_into_the_original(string written, string evidence)
    {
        var body = $"Visit the {written} now";
        var verdict = await Moderate.Comment(body, policy: With(new SiteTerm("casino", TermAction.Hold)));
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        var flag = verdict.Flags.Single(f => f.Phase == SiteTermsPhase.PhaseName);
        Assert.Equal(evidence, body.Substring(flag.Start!.Value, flag.Length!.Value));
    }

    [Theory]
    [InlineData("occasional casinoesque")]
    [InlineData("casin")]
    public async Task Terms_respect_word_boundaries(string body)
    {
        var verdict = await Moderate.Comment(body, policy: With(new SiteTerm("casino", TermAction.Reject)));
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
    }

    [Fact]
    public async Task A_trailing_star_matches_any_ending()
    {
        var verdict = await Moderate.Comment("casinoesque vibes", policy: With(new SiteTerm("casino*", TermAction.Hold)));
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Fact]
    public async Task Multi_word_terms_match_words_in_sequence()
    {
        var policy = With(new SiteTerm("buy now", TermAction.Hold));
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("Click to BUY   NOW!", policy: policy)).Outcome);
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("buy it now", policy: policy)).Outcome);
    }

    [Fact]
    public async Task A_digit_term_matches_the_number_and_a_letter_term_does_not_match_digits()
    {
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("call 555", policy: With(new SiteTerm("555", TermAction.Hold)))).Outcome);
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("455 pages", policy: With(new SiteTerm("ass", TermAction.Hold)))).Outcome);
    }

    [Fact]
    public async Task Terms_in_other_scripts_match_as_written()
    {
        var verdict = await Moderate.Comment("这是 赌场 广告", policy: With(new SiteTerm("赌场", TermAction.Hold)));
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Fact]
    public async Task Site_terms_apply_to_trusted_authors_too()
    {
        var verdict = await Moderate.Comment("casino", Moderate.Trusted, With(new SiteTerm("casino", TermAction.Reject)));
        Assert.Equal(ModerationOutcome.Rejected, verdict.Outcome);
    }
}

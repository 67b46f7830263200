using CommentService.Moderation.Crude;

namespace CommentService.Moderation.Tests.Crude;

public sealed class CrudeScoringTests
{
    [Theory]
    [InlineData("damn")]
    [InlineData("hell")]
    [InlineData("crap")]
    [InlineData("bloody")]
    public async Task Mild_words_are_flagged_but_pass(string word)
    {
        var verdict = await Moderate.Comment($"Well {word}, that was long.");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        var flag = Assert.Single(verdict.Flags, f => f.Reason == "crude.profanity");
        Assert.Contains("mild", flag.Note, StringComparison.Ordinal);
        Assert.True(flag.Score < ModerationPolicy.Default.CrudeHoldThreshold);
    }

    [Theory]
    [InlineData("You are a cunt.")]
    [InlineData("what a cocksucker")]
    [InlineData("motherfucker")]
    public async Task Severe_words_are_held_on_their_own(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Note!.Contains("severe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Crude_content_is_held_for_a_moderator_not_rejected()
    {
        var verdict = await Moderate.Comment("you f*cking c*nt, suck my d1ck");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Theory]
    [InlineData("This film is fucking brilliant.", "Fuck you.")]
    [InlineData("I felt like an idiot after the twist.", "You idiot.")]
    [InlineData("The villain is a real dick.", "You're a dick.")]
    [InlineData("What a bitch of a week.", "Shut up, you bitch.")]
    public async Task The_same_word_aimed_at_a_person_weighs_more_and_is_held(string general, string aimed)
    {
        var plain = await Moderate.Comment(general);
        var directed = await Moderate.Comment(aimed);
        Assert.Equal(ModerationOutcome.Approved, plain.Outcome);
        Assert.Equal(ModerationOutcome.Pending, directed.Outcome);
        Assert.Contains("aimed at a person", directed.Flags.First(f => f.Reason.StartsWith("crude.", StringComparison.Ordinal)).Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@Simone is a dick")]
    [InlineData("Simone is a dick")]
    public async Task Words_aimed_at_a_mention_or_the_parent_author_weigh_more(string body)
    {
        var verdict = await Moderate.Comment(body, parentAuthor: "Simone");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Fact]
    public async Task A_name_not_aimed_at_passes_when_the_parent_author_is_someone_else()
    {
        var verdict = await Moderate.Comment("Simone is a dick", parentAuthor: "Marcus");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
    }

    [Theory]
    [InlineData("you are a gay anti-hindu bastard")]
    [InlineData("your a retarted shithead")]
    [InlineData("you arab idiot")]
    [InlineData("you lying fucker")]
    public async Task A_description_of_the_reader_counts_as_aimed(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Theory]
    [InlineData("you are watching a bullshit film")]
    [InlineData("Did you see the shit they pulled in the sequel?")]
    [InlineData("You're wrong, but the film is shit.")]
    public async Task A_crude_word_near_you_but_about_something_else_is_not_aimed(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.DoesNotContain(verdict.Flags, f => f.Note?.Contains("aimed", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("suck my dick")]
    [InlineData("sit on my cock")]
    [InlineData("he likes to suck dick")]
    public async Task Sexual_words_with_my_are_crude_advances(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Theory]
    [InlineData("s3x")]
    [InlineData("s e x")]
    [InlineData("r@pe")]
    [InlineData("p0rn")]
    public async Task Clinical_words_count_when_disguised(string word)
    {
        var verdict = await Moderate.Comment($"want {word}?");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.Contains("clinical", verdict.Flags.Single().Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_strong_words_add_up()
    {
        var one = await Moderate.Comment("this shit film");
        var two = await Moderate.Comment("this fucking shit film");
        Assert.Equal(ModerationOutcome.Approved, one.Outcome);
        Assert.Equal(ModerationOutcome.Pending, two.Outcome);
    }

    [Fact]
    public async Task A_site_with_a_lower_threshold_holds_more()
    {
        var strict = ModerationPolicy.Default with { CrudeHoldThreshold = 0.3 };
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("this shit film")).Outcome);
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("this shit film", policy: strict)).Outcome);
    }

    [Fact]
    public async Task Trusted_authors_are_held_only_for_severe_content()
    {
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("fuck you", Moderate.Trusted)).Outcome);
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("fuck you", Moderate.Regular)).Outcome);
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("suck my d1ck", Moderate.Trusted)).Outcome);
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("you're a cunt", Moderate.Trusted)).Outcome);
    }

    [Theory]
    [InlineData("Simone 🍆💦", ModerationOutcome.Pending)]
    [InlineData("🍑👅", ModerationOutcome.Pending)]
    [InlineData("Loved the aubergine 🍆 dinner scene", ModerationOutcome.Approved)]
    [InlineData("🍆🍑", ModerationOutcome.Pending)]
    public async Task Sexual_emoji_pairs_are_read_as_innuendo(string body, ModerationOutcome expected)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(expected, verdict.Outcome);
        if (expected == ModerationOutcome.Pending)
        {
            var flag = Assert.Single(verdict.Flags, f => f.Reason == "crude.sexual");
            Assert.Equal(body.Substring(flag.Start!.Value, flag.Length!.Value), flag.Evidence);
            Assert.Contains("emoji", flag.Note, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("In the film he keeps calling them niggers, which is the point of the scene.")]
    [InlineData("She changed 'faggot' to 'jerk' in the subtitles.")]
    [InlineData("The word \"cunt\" is used twice in the script.")]
    public async Task Talking_about_a_word_is_not_using_it(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Reason.StartsWith("crude.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("you \"cunt\"")]
    [InlineData("the word c*nt")]
    public async Task Quoting_does_not_excuse_a_word_aimed_or_disguised(string body)
    {
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment(body)).Outcome);
    }

    [Fact]
    public async Task A_lone_capital_does_not_make_a_crude_word_a_name()
    {
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("Hey Simone, show me your Dick")).Outcome);
        Assert.Equal(ModerationOutcome.Approved, (await Moderate.Comment("Philip K. Dick wrote the story.")).Outcome);
    }

    [Fact]
    public async Task Slurs_are_held()
    {
        Assert.Equal(ModerationOutcome.Pending, (await Moderate.Comment("typical f@ggot")).Outcome);
    }

    [Fact]
    public void Assessment_combines_hits_as_independent_evidence()
    {
        var phase = new CrudeLanguagePhase();
        var assessment = phase.Assess(Moderate.Context("shit and fuck"));
        Assert.Equal(2, assessment.Hits.Count);
        Assert.InRange(assessment.Score - (1 - (1 - assessment.Hits[0].Score) * (1 - assessment.Hits[1].Score)), -0.001, 0.001);
    }

    [Fact]
    public void The_embedded_term_lists_load()
    {
        Assert.True(CrudeLexicon.Default.TermCount > 150);
        Assert.All(CrudeLexicon.Default.Terms, t => Assert.False(string.IsNullOrWhiteSpace(t.Text)));
    }

    [Fact]
    public void A_malformed_term_line_is_reported()
    {
        Assert.Throws<FormatException>(() => CrudeLexicon.Parse(["sexual strong : cock"], []));
        Assert.Throws<FormatException>(() => CrudeLexicon.Parse(["sexual strong word cock"], []));
    }
}

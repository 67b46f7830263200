using CommentService.Moderation.Context;

namespace CommentService.Moderation.Tests.Context;

/// <summary>Replies judged with their parent in view, against the same words standing alone.</summary>
public sealed class ReplyContextTests
{
    private const string CleanParent = "The ending felt earned to me, the whole second act builds toward it.";

    private static Task<ModerationVerdict> Reply(string body, string parentBody, string? parentAuthor, bool inContext = true) =>
        ModerationPipeline.CreateDefault().RunAsync(new ModerationRequest
        {
            Body = body,
            AuthorName = "Reader",
            Author = Moderate.Regular,
            ParentBody = parentBody,
            ParentAuthorName = parentAuthor,
            JudgeInContext = inContext,
        }).AsTask();

    private static Task<ModerationVerdict> Alone(string body) => Moderate.Comment(body);

    private static ModerationFlag Flag(ModerationVerdict verdict, string reason) => Assert.Single(verdict.Flags, f => f.Reason == reason);

    [Theory]
    [InlineData("Mark is an idiot if he thinks that.")]
    [InlineData("Honestly Mark, only a moron would rate it that highly.")]
    [InlineData("What an idiot.")]
    [InlineData("Only a moron would write that.")]
    [InlineData("Spoken like a true idiot.")]
    public async Task An_insult_aimed_at_the_author_replied_to_is_held_though_the_same_words_alone_pass(string body)
    {
        Assert.Equal(ModerationOutcome.Approved, (await Alone(body)).Outcome);
        Assert.Equal(ModerationOutcome.Approved, (await Reply(body, CleanParent, "Mark Ellis", inContext: false)).Outcome);

        var verdict = await Reply(body, CleanParent, "Mark Ellis");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        var aimed = Flag(verdict, "context.aimed_at_parent");
        Assert.Contains("(Mark Ellis)", aimed.Note, StringComparison.Ordinal);
        Assert.Equal(aimed.Evidence, body.Substring(aimed.Start!.Value, aimed.Length!.Value));
        var changed = Flag(verdict, "context.changed_outcome");
        Assert.Contains("without context", changed.Note, StringComparison.Ordinal);
        Assert.Contains("not held", changed.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("What an idiot I was to skip this in cinemas.")]
    [InlineData("What an idiot the director is, cutting that scene.")]
    [InlineData("The villain is a real idiot, which is the point.")]
    public async Task An_insult_about_someone_else_in_a_reply_is_not_aimed_at_the_parent(string body)
    {
        var verdict = await Reply(body, CleanParent, "Mark");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.DoesNotContain(verdict.Flags, f => f.Reason.StartsWith("context.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task You_in_a_reply_weighs_more_than_you_in_a_comment_standing_alone()
    {
        const string body = "You're a jerk.";
        var alone = await Alone(body);
        var reply = await Reply(body, CleanParent, "Mark");
        Assert.Equal(ModerationOutcome.Approved, alone.Outcome);
        Assert.Equal(ModerationOutcome.Pending, reply.Outcome);
        Assert.True(Flag(reply, "crude.insult").Score > Flag(alone, "crude.insult").Score);
    }

    [Theory]
    [InlineData("Nobody asked you, Mark. Go away.")]
    [InlineData("Shut up Mark, nobody cares.")]
    [InlineData("Get lost, Mark. Nobody wants to hear your opinions.")]
    [InlineData("Mark, you're clueless. Stop posting.")]
    [InlineData("Kill yourself, Mark.")]
    public async Task Hostility_without_crude_words_aimed_at_the_parent_author_is_held(string body)
    {
        Assert.Equal(ModerationOutcome.Approved, (await Alone(body)).Outcome);
        var verdict = await Reply(body, CleanParent, "Mark");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        var hostile = verdict.Flags.First(f => f.Reason == "crude.hostile");
        Assert.Equal(hostile.Evidence, body.Substring(hostile.Start!.Value, hostile.Length!.Value));
        Assert.Contains(verdict.Flags, f => f.Reason == "context.changed_outcome");
    }

    [Theory]
    [InlineData("Shut up, Mark.")]
    [InlineData("Who asked, Mark?")]
    public async Task One_blunt_remark_alone_is_not_held(string body)
    {
        var verdict = await Reply(body, CleanParent, "Mark");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
    }

    [Theory]
    [InlineData("You're killing me, Sam, brilliant.")]
    [InlineData("Shut up, Sam, this is hilarious 😂")]
    [InlineData("Haha Sam, you clown, that's exactly it.")]
    [InlineData("Sam you absolute legend, this made my day.")]
    [InlineData("I got lost in the story for two hours, Sam.")]
    [InlineData("Nobody asked for this much genius, Sam 😂")]
    [InlineData("I agree with Sam about the pacing, the middle drags.")]
    public async Task Friendly_banter_with_names_and_you_is_not_held(string body)
    {
        var verdict = await Reply(body, "The cat is the real star of this film.", "Sam");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.DoesNotContain(verdict.Flags, f => f.Reason.StartsWith("context.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("> you're all idiots\nThat's uncalled for.", "Honestly you're all idiots for paying to see this.")]
    [InlineData("\"you're all idiots\" is not how we talk to each other here.", "Honestly you're all idiots for paying to see this.")]
    [InlineData("Did you really just write \"you stupid whore\"? Not ok.", "Shut up, you stupid whore.")]
    [InlineData("> Fuck off, Mark, you moron\nReported.", "Fuck off, Mark, you moron")]
    public async Task Quoting_a_crude_parent_to_object_is_not_held(string body, string parent)
    {
        Assert.Equal(ModerationOutcome.Pending, (await Alone(body)).Outcome);

        var verdict = await Reply(body, parent, "Dana");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        var quoted = verdict.Flags.First(f => f.Reason == "context.quotes_parent");
        Assert.Equal(0, quoted.Score);
        Assert.Contains("to object", quoted.Note, StringComparison.Ordinal);
        Assert.Equal(quoted.Evidence, body.Substring(quoted.Start!.Value, quoted.Length!.Value));
        Assert.DoesNotContain(verdict.Flags, f => f.Reason.StartsWith("crude.", StringComparison.Ordinal));
        Assert.Contains("without context", Flag(verdict, "context.changed_outcome").Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeating_the_parents_word_to_object_does_not_count()
    {
        var verdict = await Reply("Calling her a slut is not ok, whatever you think of the film.", "She only got the part because she is a slut.", "Dana");
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains("repeats the parent's word", Flag(verdict, "context.quotes_parent").Note, StringComparison.Ordinal);
        Assert.DoesNotContain(verdict.Flags, f => f.Reason == "crude.sexual");
    }

    [Fact]
    public async Task Quoting_a_crude_parent_with_approval_still_counts()
    {
        var verdict = await Reply("> you're all idiots\nThis. So true.", "Honestly you're all idiots for paying to see this.", "Dana");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.DoesNotContain(verdict.Flags, f => f.Reason == "context.quotes_parent");
    }

    [Fact]
    public async Task Crude_words_of_ones_own_next_to_an_objecting_quote_still_count()
    {
        var verdict = await Reply("> you're all idiots\nThat's uncalled for, you stupid prick.", "Honestly you're all idiots for paying to see this.", "Dana");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Reason == "context.quotes_parent");
        Assert.Contains(verdict.Flags, f => f.Reason.StartsWith("crude.", StringComparison.Ordinal) && f.Evidence == "prick");
    }

    [Theory]
    [InlineData("\"best film of the decade\" lol, what a clown.")]
    [InlineData("> the whole second act builds toward it\nJesus, absolute idiot.")]
    public async Task Quoting_the_parent_to_mock_it_aims_the_insult_at_its_author(string body)
    {
        var verdict = await Reply(body, "Honestly best film of the decade, the whole second act builds toward it.", "Mark");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.Contains("quotes the parent to mock it", Flag(verdict, "context.aimed_at_parent").Note, StringComparison.Ordinal);
        Assert.Equal(ModerationOutcome.Approved, (await Reply(body, "x", "Mark", inContext: false)).Outcome);
    }

    [Fact]
    public async Task A_quote_of_something_the_parent_did_not_say_is_not_its_words()
    {
        var verdict = await Reply("\"you're all idiots\" is what my brother says about film critics, the idiot.", CleanParent, "Mark");
        Assert.DoesNotContain(verdict.Flags, f => f.Reason == "context.quotes_parent");
    }

    [Fact]
    public async Task Judged_without_context_a_reply_gets_the_verdict_of_the_same_text_standing_alone()
    {
        const string body = "Mark is an idiot, nobody asked. Go away.";
        var alone = await Alone(body);
        var off = await Reply(body, CleanParent, "Mark", inContext: false);
        Assert.Equal(alone.Outcome, off.Outcome);
        Assert.Equal(alone.Flags, off.Flags);
    }

    [Fact]
    public async Task A_parent_text_without_an_author_name_still_gives_context()
    {
        var verdict = await Reply("> you're all idiots\nThat's uncalled for.", "Honestly you're all idiots for paying to see this.", parentAuthor: null);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains("without context: 0.55, held", Flag(verdict, "context.changed_outcome").Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_holds_a_reply_for_a_moderator_and_never_rejects_it()
    {
        var verdict = await ModerationPipeline.CreateDefault().RunAsync(new ModerationRequest
        {
            Body = "Kill yourself, Mark. Nobody asked.",
            AuthorName = "Reader",
            Author = Moderate.Regular,
            ParentBody = CleanParent,
            ParentAuthorName = "Mark",
        });
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Theory]
    [InlineData("> quoted line\nanswer", new[] { "quoted line" })]
    [InlineData("she said \"not again\" and left", new[] { "not again" })]
    [InlineData("you're right, it's 'fine' I guess", new[] { "fine" })]
    [InlineData("“curly” and ‘single’", new[] { "curly", "single" })]
    [InlineData("don't, won't, can't", new string[0])]
    public void Quotations_are_found_and_apostrophes_are_not_quotes(string body, string[] expected)
    {
        var spans = ReplyReading.QuotedSpans(body).Select(s => body[s.Start..s.End].Trim()).ToArray();
        Assert.Equal(expected, spans);
    }

    [Fact]
    public async Task A_long_reply_of_nothing_but_quotations_is_read_in_bounded_time()
    {
        var body = string.Concat(Enumerable.Repeat("\"you idiot\" 'a ", 900))[..10_000];
        var parent = string.Concat(Enumerable.Repeat("you idiot ", 1_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var verdict = await Reply(body, parent, "Mark");
        Assert.True(watch.ElapsedMilliseconds < 2_000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.True(ReplyReading.QuotedSpans(body).Count <= ReplyReading.MaxQuotations);
        Assert.Contains(verdict.Flags, f => f.Reason == "context.quotes_parent");
    }
}

using CommentService.Moderation;

namespace CommentService.Moderation.Tests;

public sealed class PipelineTests
{
    private sealed class Fixed(string name, ModerationOutcome? decision) : IModerationPhase
    {
        public string Name => name;
        public int Runs { get; private set; }

        public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
        {
            Runs++;
            return ValueTask.FromResult(new PhaseResult([new ModerationFlag($"test.{name}", name, 0.5)], decision));
        }
    }

    [Fact]
    public async Task The_first_deciding_phase_ends_the_run_and_earlier_flags_are_kept()
    {
        var first = new Fixed("first", null);
        var decider = new Fixed("decider", ModerationOutcome.Spam);
        var never = new Fixed("never", ModerationOutcome.Approved);
        var verdict = await new ModerationPipeline([first, decider, never], "v-test")
            .RunAsync(new ModerationRequest { Body = "x", AuthorName = "a" });

        Assert.Equal(ModerationOutcome.Spam, verdict.Outcome);
        Assert.Equal("decider", verdict.DecidedBy);
        Assert.Equal(["test.first", "test.decider"], verdict.Flags.Select(f => f.Reason));
        Assert.Equal(0, never.Runs);
        Assert.Equal("v-test", verdict.RulesVersion);
    }

    [Fact]
    public async Task Without_a_decision_the_comment_is_approved()
    {
        var verdict = await new ModerationPipeline([new Fixed("quiet", null)], "v").RunAsync(new ModerationRequest { Body = "x", AuthorName = "a" });
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Null(verdict.DecidedBy);
    }
}

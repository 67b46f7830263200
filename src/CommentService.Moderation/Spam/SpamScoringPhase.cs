namespace CommentService.Moderation.Spam;

/// <summary>
/// Combines every spam flag of the run (<see cref="SpamSignals.NoisyOr"/>) into one score and decides:
/// Spam at <see cref="ModerationPolicy.SpamThreshold"/>, Pending at <see cref="ModerationPolicy.SpamHoldThreshold"/>,
/// otherwise no decision (later phases, or approval, follow). A trusted author (enough approved comments,
/// none rejected or spam) is held only from the spam threshold and marked spam only from
/// <see cref="TrustedSpamThreshold"/>: weak signals do not hold regulars back, a hijacked account still does.
/// </summary>
public sealed class SpamScoringPhase : IModerationPhase
{
    public const string PhaseName = "spam.score";

    public const double TrustedSpamThreshold = 0.95;

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var signals = SpamSignals.Of(context);
        if (signals.Flags.Count == 0)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var score = Math.Round(SpamSignals.NoisyOr(signals.Flags.Select(f => f.Score)), 3);
        var policy = context.Request.Policy;
        var (spamAt, holdAt) = context.AuthorIsTrusted
            ? (Math.Max(policy.SpamThreshold, TrustedSpamThreshold), policy.SpamThreshold)
            : (policy.SpamThreshold, policy.SpamHoldThreshold);
        ModerationOutcome? decision = score >= spamAt ? ModerationOutcome.Spam
            : score >= holdAt ? ModerationOutcome.Pending
            : null;
        var reasons = string.Join(", ", signals.Flags.Select(f => f.Reason).Distinct());
        var flag = new ModerationFlag("spam.score", Name, score, null, null, null, $"combined from {reasons}");
        return ValueTask.FromResult(new PhaseResult([flag], decision));
    }
}

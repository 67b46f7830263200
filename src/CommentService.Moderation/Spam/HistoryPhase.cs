namespace CommentService.Moderation.Spam;

/// <summary>
/// The author's recent history on the site (<see cref="ModerationRequest.Author"/>): the share of their
/// comments marked spam weighs most, rejected ones less, held ones (which may have been fine) least. A
/// single earlier decision is weak evidence, so the score grows with the number of comments behind it.
/// Bans are the author phase's business, not a spam signal.
/// </summary>
public sealed class HistoryPhase : IModerationPhase
{
    public const string PhaseName = "spam.history";

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var a = context.Request.Author;
        var total = a.Approved + a.Held + a.Rejected + a.Spam;
        if (total == 0 || a.Spam + a.Rejected + a.Held == 0)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var share = (a.Spam * 1.0 + a.Rejected * 0.6 + a.Held * 0.2) / total;
        // Confidence in the share: one comment counts half, four or more count fully.
        var confidence = Math.Min(1.0, 0.375 + total / 8.0 + (total >= 4 ? 1 : 0));
        var score = Math.Round(Math.Min(0.7, share * 0.7 * confidence), 3);
        if (score < 0.05)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var signals = SpamSignals.Of(context);
        var flag = new ModerationFlag("spam.history", Name, score, null, null, null,
            $"recent comments: {a.Approved} approved, {a.Held} held, {a.Rejected} rejected, {a.Spam} spam");
        return ValueTask.FromResult(signals.Report([flag]));
    }
}

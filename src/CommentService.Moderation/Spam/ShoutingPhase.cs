namespace CommentService.Moderation.Spam;

/// <summary>
/// Shouting: a comment written mostly in capitals. Short bursts ("WOW!!!", "OMG") are enthusiasm, not
/// shouting, so only comments with enough letters count, and the score stays low: capitals are a hint that
/// strengthens other signals (ads are often shouted), never a reason on their own.
/// </summary>
public sealed class ShoutingPhase : IModerationPhase
{
    public const string PhaseName = "spam.shouting";

    /// <summary>Letters needed before capitals count as shouting.</summary>
    public const int MinimumLetters = 20;

    /// <summary>Share of capital letters that counts as shouting.</summary>
    public const double CapitalShare = 0.7;

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var signals = SpamSignals.Of(context);
        var text = signals.Text;
        int letters = 0, upper = 0, first = -1, last = -1;
        for (var i = 0; i < text.Text.Length; i++)
        {
            var c = text.Text[i];
            if (!char.IsLetter(c))
            {
                continue;
            }
            letters++;
            if (char.IsUpper(c))
            {
                upper++;
                if (first < 0)
                {
                    first = i;
                }
                last = i;
            }
        }
        if (letters < MinimumLetters || upper < letters * CapitalShare)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var score = letters >= 80 ? 0.25 : 0.15;
        var flag = text.Flag("spam.shouting", Name, score, first, last - first + 1, $"{upper} of {letters} letters are capitals");
        return ValueTask.FromResult(signals.Report([flag]));
    }
}

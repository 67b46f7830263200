namespace CommentService.Moderation.Spam;

/// <summary>
/// The statistical text classifier: the shipped base <see cref="SpamModel"/> with the site's own model
/// (<see cref="ModerationRequest.SiteSpamModel"/>, taught by its moderators) read on top. Only the part of
/// the probability above <see cref="Neutral"/> counts as evidence, so a comment the model finds
/// ordinary adds nothing.
/// </summary>
public sealed class ClassifierPhase(SpamModel baseModel) : IModerationPhase
{
    public const string PhaseName = "spam.classifier";

    /// <summary>Below this probability the classifier adds no evidence.</summary>
    public const double Neutral = 0.5;

    /// <summary>The highest evidence the classifier alone can give (a notch above the spam threshold).</summary>
    public const double Ceiling = 0.9;

    public ClassifierPhase()
        : this(SpamModel.Base)
    {
    }

    public string Name => PhaseName;

    public SpamModel BaseModel { get; } = baseModel;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var signals = SpamSignals.Of(context);
        var probability = Probability(signals, context.Request.SiteSpamModel);
        if (probability <= Neutral)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var evidence = Math.Min(Ceiling, (probability - Neutral) / (1 - Neutral));
        var flag = new ModerationFlag("spam.classifier", Name, Math.Round(evidence, 3), null, null, null,
            $"text classifier: spam probability {probability:0.000}");
        return ValueTask.FromResult(signals.Report([flag]));
    }

    /// <summary>The classifier's spam probability for a comment.</summary>
    public double Probability(SpamSignals signals, SpamModel? site)
    {
        var siteHost = signals.Request.ArticleUrl is { } articleUrl ? SpamLinks.HostOf(articleUrl) : null;
        // Engagement words that ask nothing of the readers ("I'll check it out") are not read: the model learned them
        // where they always were requests (the solicitation phase has usually found them already).
        SolicitationPhase.FindNeutralWords(signals);
        // Scored straight from the thread's feature set: the same features, in the same order, as Extract's set.
        var features = FeatureSet.ForThread();
        SpamFeatures.Fill(features, signals.Text, signals.Links, signals.NeutralWords, linkShape: !signals.Recommends, siteHost);
        return BaseModel.Score(features.Features, site);
    }
}

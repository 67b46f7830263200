namespace CommentService.Moderation;

/// <summary>What one phase found, and whether it decided the outcome (ending the run).</summary>
public readonly record struct PhaseResult(IReadOnlyList<ModerationFlag> Flags, ModerationOutcome? Decision)
{
    public static PhaseResult Nothing { get; } = new([], null);
}

/// <summary>One small check. Local phases are synchronous and pure.</summary>
public interface IModerationPhase
{
    string Name { get; }

    ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct);
}

/// <summary>The request plus lazily built text views, shared by the phases of one run.</summary>
public sealed partial class ModerationContext(ModerationRequest request)
{
    public ModerationRequest Request { get; } = request;

    private Dictionary<Type, object>? shared;

    /// <summary>
    /// State a group of phases shares within one run (a text view, partial scores): built by
    /// <paramref name="create"/> on first use, then the same instance for every later phase.
    /// </summary>
    public T Shared<T>(Func<ModerationContext, T> create) where T : class
    {
        shared ??= [];
        if (shared.TryGetValue(typeof(T), out var existing))
        {
            return (T)existing;
        }
        var value = create(this);
        shared[typeof(T)] = value;
        return value;
    }
}

/// <summary>
/// Runs the phases in order; the first phase that decides ends the run; flags from every phase
/// that ran are kept. When no phase decides, the comment is approved.
/// </summary>
public sealed class ModerationPipeline(IReadOnlyList<IModerationPhase> phases, string rulesVersion)
{
    public const string CurrentRulesVersion = "2026.11.4";

    public IReadOnlyList<IModerationPhase> Phases { get; } = phases;

    public async ValueTask<ModerationVerdict> RunAsync(ModerationRequest request, CancellationToken ct = default)
    {
        var context = new ModerationContext(request);
        var flags = new List<ModerationFlag>();
        foreach (var phase in Phases)
        {
            var result = await phase.RunAsync(context, ct);
            flags.AddRange(result.Flags);
            if (result.Decision is { } outcome)
            {
                return new ModerationVerdict(outcome, phase.Name, flags, rulesVersion);
            }
        }
        return new ModerationVerdict(ModerationOutcome.Approved, null, flags, rulesVersion);
    }

    /// <summary>
    /// The default local phases, in order:
    /// <list type="number">
    /// <item>author: a banned author is rejected before anything else runs.</item>
    /// <item>site-terms: the site's own banned and suspect words, for every author.</item>
    /// <item>crude-language: crude words hold the comment (trusted authors only for severe content).</item>
    /// <item>spam: link, commercial, generic praise, shouting, repeat, history and classifier phases.</item>
    /// <item>pre-moderation: the site's choice to review all comments, new authors' or those with links;
    /// last, so that a comment held for a reason carries that reason rather than the blanket one.</item>
    /// </list>
    /// External classifiers are added by the host when configured.
    /// </summary>
    public static ModerationPipeline CreateDefault() => new(DefaultPhases(), CurrentRulesVersion);

    /// <summary>
    /// The default phases with a site's external classifiers (Akismet, a classifier webhook) consulted
    /// after the local phases and before pre-moderation: a comment the local rules already decided
    /// costs no outside call.
    /// </summary>
    public static ModerationPipeline CreateDefault(IReadOnlyList<IModerationPhase> external)
    {
        if (external.Count == 0)
        {
            return CreateDefault();
        }
        var phases = DefaultPhases();
        return new([.. phases[..^1], .. external, phases[^1]], CurrentRulesVersion);
    }

    private static IModerationPhase[] DefaultPhases() =>
    [
        new Authors.AuthorPhase(),
        new Site.SiteTermsPhase(),
        new Crude.CrudeLanguagePhase(),
        // Spam signals, then the scoring phase that decides.
        .. Spam.SpamPhases.Create(),
        new Policy.PreModerationPhase(),
    ];
}

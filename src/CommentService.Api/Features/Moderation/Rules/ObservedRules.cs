using System.Globalization;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Moderation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Rules;

/// <summary>What one observed rule would have done to a comment, when it differs from the live run.</summary>
public sealed record ShadowOutcome(Guid RuleId, CommentStatus Status, string? DecidedBy, IReadOnlyList<StoredFlag> Flags);

/// <summary>The vocabulary of moderation rules.</summary>
public static class RuleKinds
{
    public const string Term = "term";
    public const string Threshold = "threshold";
    public const string Classifier = "classifier";
    public const string Phase = "phase";

    public const string Observe = "observe";
    public const string Enforce = "enforce";

    public static readonly string[] All = [Term, Threshold, Classifier, Phase];

    /// <summary>Policy settings a threshold rule may propose.</summary>
    public static readonly string[] Settings =
        ["crudeHoldThreshold", "spamThreshold", "spamHoldThreshold", "maxLinks", "trustedAfterApproved", "preModeration"];

    public static readonly string[] Classifiers = [ExternalClassifiers.Akismet, ExternalClassifiers.Webhook];

    /// <summary>
    /// Phases that are always enforced: the ban check, the site's own word list (observe a term instead) and
    /// the spam scoring that every spam signal feeds (observe a signal or a threshold instead).
    /// </summary>
    public static readonly string[] FixedPhases = ["author", "site-terms", "spam.score", "pre-moderation"];

    /// <summary>The built-in phases a phase rule may name: those of the default pipeline, less the fixed ones.</summary>
    public static IReadOnlyList<string> ObservablePhases(ModerationPipeline defaults) =>
        defaults.Phases.Select(p => p.Name).Where(n => !FixedPhases.Contains(n)).ToList();

    public static string Describe(ModerationRule r) => r.Kind switch
    {
        Term => $"term \"{r.Term}\" → {r.TermAction}",
        Threshold when r.Setting == "preModeration" => $"preModeration = {r.PreModeration}",
        Threshold => $"{r.Setting} = {r.Value?.ToString(CultureInfo.InvariantCulture)}",
        Classifier => $"classifier {r.Classifier}",
        Phase => $"phase {r.Phase}",
        _ => r.Kind,
    };

    /// <summary>The site policy with a threshold rule's candidate value in place.</summary>
    public static SitePolicy Apply(SitePolicy p, ModerationRule r) => r.Setting switch
    {
        "crudeHoldThreshold" => p with { CrudeHoldThreshold = r.Value!.Value },
        "spamThreshold" => p with { SpamThreshold = r.Value!.Value },
        "spamHoldThreshold" => p with { SpamHoldThreshold = r.Value!.Value },
        "maxLinks" => p with { MaxLinks = (int)r.Value!.Value },
        "trustedAfterApproved" => p with { TrustedAfterApproved = (int)r.Value!.Value },
        "preModeration" => p with { PreModeration = r.PreModeration! },
        _ => throw new ArgumentOutOfRangeException(nameof(r), r.Setting, null),
    };

    /// <summary>A policy with the spam hold threshold above the spam threshold cannot be enforced.</summary>
    public static bool IsCoherent(SitePolicy p) => p.SpamHoldThreshold <= p.SpamThreshold;
}

/// <summary>
/// Runs the pipeline for a site that observes rules: once live (without the observed rules, and without
/// the built-in phases switched to observe), then once per observed rule as if that rule alone were
/// enforced, keeping what each would have changed. External classifiers answer once per comment,
/// however many runs consult them.
/// </summary>
public sealed class ObservedRules(CommentsDb db, ExternalClassifiers classifiers)
{
    /// <summary>Observed rules per site: each costs one more local pipeline run per comment.</summary>
    public const int MaxObserved = 20;

    public async Task<GateDecision> DecideAsync(Site site, ModerationPipeline sitePipeline, ModerationRequest request, CancellationToken ct)
    {
        var siteId = site.Id;
        var rules = await db.ModerationRules.AsNoTracking()
            .Where(r => r.SiteId == siteId && r.Mode == RuleKinds.Observe)
            .OrderBy(r => r.CreatedAt).Take(MaxObserved).ToListAsync(ct);
        var phases = sitePipeline.Phases.Select(p => p.Name.StartsWith("external.", StringComparison.Ordinal) ? new OncePerComment(p) : p).ToList();
        var observedPhases = rules.Where(r => r.Kind == RuleKinds.Phase).Select(r => r.Phase!).ToHashSet();
        var live = Pipeline(phases.Where(p => !observedPhases.Contains(p.Name)));
        var verdict = await live.RunAsync(request, ct);

        var shadows = new List<ShadowOutcome>();
        foreach (var rule in rules)
        {
            var (pipeline, shadowRequest) = rule.Kind switch
            {
                RuleKinds.Term => (live, request with
                {
                    Policy = request.Policy with
                    {
                        Terms = [.. request.Policy.Terms.Where(t => t.Term != rule.Term), new SiteTerm(rule.Term!, SitePolicies.ParseAction(rule.TermAction!))],
                    },
                }),
                RuleKinds.Threshold => (live, request with { Policy = SitePolicies.ToModeration(RuleKinds.Apply(site.Policy, rule), request.Policy.Terms) }),
                RuleKinds.Classifier => (await WithClassifierAsync(live, siteId, rule.Classifier!, ct), request),
                _ => (Pipeline(phases.Where(p => p.Name == rule.Phase || !observedPhases.Contains(p.Name))), request),
            };
            var shadow = await pipeline.RunAsync(shadowRequest, ct);
            var added = shadow.Flags.Where(f => !verdict.Flags.Contains(f)).ToList();
            if (shadow.Outcome != verdict.Outcome || added.Count > 0)
            {
                shadows.Add(new ShadowOutcome(rule.Id, ModerationGate.ToStatus(shadow.Outcome), shadow.DecidedBy,
                    ModerationGate.Store(shadow with { Flags = added }).Flags));
            }
        }
        return new GateDecision(ModerationGate.ToStatus(verdict.Outcome), ModerationGate.Store(verdict))
        {
            ObservedRuleIds = rules.Select(r => r.Id).ToList(),
            Shadows = shadows,
        };
    }

    private static ModerationPipeline Pipeline(IEnumerable<IModerationPhase> phases) =>
        new(phases.ToList(), ModerationPipeline.CurrentRulesVersion);

    /// <summary>The live phases with the classifier consulted where enabled classifiers are: just before pre-moderation.</summary>
    private async Task<ModerationPipeline> WithClassifierAsync(ModerationPipeline live, string siteId, string classifier, CancellationToken ct)
    {
        // Turned on meanwhile (classifier settings changed by hand): the live run already asks it.
        if (await classifiers.ObservedPhaseAsync(siteId, classifier, ct) is not { } phase || live.Phases.Any(p => p.Name == phase.Name))
        {
            return live;
        }
        var phases = live.Phases.ToList();
        var at = phases.FindIndex(p => p.Name == "pre-moderation");
        phases.Insert(at < 0 ? phases.Count : at, new OncePerComment(phase));
        return Pipeline(phases);
    }

    /// <summary>Asks the wrapped (external) phase once and gives every later run of the same comment the same answer.</summary>
    private sealed class OncePerComment(IModerationPhase inner) : IModerationPhase
    {
        private Task<PhaseResult>? answer;

        public string Name => inner.Name;

        public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct) =>
            new(answer ??= inner.RunAsync(context, ct).AsTask());
    }
}

/// <summary>Stores the shadow verdicts a gate decision carries, with the comment they belong to.</summary>
public static class ShadowRecords
{
    /// <summary>For a new comment: adds the rows to the unit of work that inserts the comment.</summary>
    public static void Add(CommentsDb db, GateDecision decision, Guid commentId, string siteId, DateTimeOffset at)
    {
        foreach (var s in decision.Shadows)
        {
            db.ShadowVerdicts.Add(Row(s, decision, commentId, siteId, at));
        }
    }

    /// <summary>For an edit judged again: the rules evaluated now replace what they recorded before.</summary>
    public static async Task ReplaceAsync(CommentsDb db, GateDecision decision, Guid commentId, string siteId, DateTimeOffset at, CancellationToken ct)
    {
        if (decision.ObservedRuleIds.Count == 0)
        {
            return;
        }
        var evaluated = decision.ObservedRuleIds.ToList();
        await db.ShadowVerdicts.Where(s => s.CommentId == commentId && evaluated.Contains(s.RuleId)).ExecuteDeleteAsync(ct);
        Add(db, decision, commentId, siteId, at);
    }

    private static ShadowVerdict Row(ShadowOutcome s, GateDecision decision, Guid commentId, string siteId, DateTimeOffset at) => new()
    {
        CommentId = commentId,
        RuleId = s.RuleId,
        SiteId = siteId,
        WouldStatus = s.Status.ToWire(),
        LiveStatus = decision.Status.ToWire(),
        DecidedBy = s.DecidedBy,
        Flags = [.. s.Flags],
        At = at,
    };
}

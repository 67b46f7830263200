using CommentService.Api.Data;
using CommentService.Api.Domain;

namespace CommentService.Api.Features.Comments.Appeals;

/// <summary>A reason as the author is told it: a stable category for clients and a sentence for people.</summary>
/// <param name="Code">A coarse category (e.g. offensive-language); never the pipeline's own reason code.</param>
/// <param name="Text">One sentence to show the author.</param>
public sealed record PublicReason(string Code, string Text);

/// <summary>
/// What an author may be told about why their comment is held: the one home of the mapping from the
/// pipeline's reason codes to public explanations. The explanations are deliberately coarse. They never
/// carry the evidence, offsets, scores, matched terms, phase names or thresholds, which would show a
/// spammer exactly what to change.
/// </summary>
public static class PublicReasons
{
    public static readonly PublicReason OffensiveLanguage = new("offensive-language", "It may contain offensive language.");
    public static readonly PublicReason Promotional = new("promotional", "It looks like it may be promotional or automated.");
    public static readonly PublicReason SiteTerm = new("site-term", "It contains a word this site reviews.");
    public static readonly PublicReason SiteReviewsAll = new("site-reviews-all", "This site reviews comments before they appear.");
    public static readonly PublicReason SiteReviewsNewAuthors = new("site-reviews-new-authors", "This site reviews comments from new commenters before they appear.");
    public static readonly PublicReason SiteReviewsLinks = new("site-reviews-links", "This site reviews comments with links before they appear.");
    public static readonly PublicReason AuthorRestricted = new("author-restricted", "This site is not accepting comments from this author at the moment.");
    public static readonly PublicReason AutomatedCheck = new("automated-check", "An automated check this site uses asked for a review.");
    public static readonly PublicReason ReaderReports = new("reader-reports", "Readers reported it, so a moderator will look at it again.");
    public static readonly PublicReason ModeratorDecision = new("moderator-decision", "A moderator reviewed it and did not publish it.");
    public static readonly PublicReason AwaitingReview = new("awaiting-review", "It is waiting for a moderator's review.");

    /// <summary>Every reason code the moderation library declares; null marks an informational flag that never holds a comment.</summary>
    private static readonly Dictionary<string, PublicReason?> ByCode = new(StringComparer.Ordinal)
    {
        ["author.banned"] = AuthorRestricted,
        ["author.new"] = null,
        ["author.trusted"] = null,

        ["site.banned_term"] = SiteTerm,
        ["site.suspect_term"] = SiteTerm,

        ["crude.sexual"] = OffensiveLanguage,
        ["crude.profanity"] = OffensiveLanguage,
        ["crude.insult"] = OffensiveLanguage,
        ["crude.slur"] = OffensiveLanguage,
        ["crude.hostile"] = OffensiveLanguage,

        // How the parent changed the reading: explained by the crude flags themselves.
        ["context.aimed_at_parent"] = null,
        ["context.quotes_parent"] = null,
        ["context.changed_outcome"] = null,

        ["spam.link"] = Promotional,
        ["spam.links"] = Promotional,
        ["spam.link_only"] = Promotional,
        ["spam.link_ad"] = Promotional,
        ["spam.shortener"] = Promotional,
        ["spam.obfuscated_link"] = Promotional,
        ["spam.author_url"] = Promotional,
        ["spam.commercial"] = Promotional,
        ["spam.self_promotion"] = Promotional,
        ["spam.contact"] = Promotional,
        ["spam.phone"] = Promotional,
        ["spam.generic_praise"] = Promotional,
        ["spam.spun_praise"] = Promotional,
        ["spam.shouting"] = Promotional,
        ["spam.repeat"] = Promotional,
        ["spam.history"] = Promotional,
        ["spam.classifier"] = Promotional,
        ["spam.score"] = Promotional,
        ["spam.solicitation"] = Promotional,
        ["spam.engagement_bait"] = Promotional,
        ["spam.redirect"] = Promotional,
        ["spam.money_scheme"] = Promotional,
        ["spam.call_to_action"] = Promotional,
        ["spam.plea"] = Promotional,
        ["spam.crowd"] = Promotional,

        ["external.unavailable"] = null,
        ["external.akismet.spam"] = Promotional,
        ["external.akismet.clean"] = null,
        ["external.webhook.approved"] = null,
        ["external.webhook.pending"] = AutomatedCheck,
        ["external.webhook.spam"] = AutomatedCheck,
        ["external.webhook.rejected"] = AutomatedCheck,

        ["premoderation.all"] = SiteReviewsAll,
        ["premoderation.new_author"] = SiteReviewsNewAuthors,
        ["premoderation.links"] = SiteReviewsLinks,
    };

    /// <summary>Every explanation an author can be shown.</summary>
    public static IReadOnlyList<PublicReason> AllReasons { get; } =
    [
        OffensiveLanguage, Promotional, SiteTerm, SiteReviewsAll, SiteReviewsNewAuthors, SiteReviewsLinks,
        AuthorRestricted, AutomatedCheck, ReaderReports, ModeratorDecision, AwaitingReview,
    ];

    /// <summary>True when <paramref name="code"/> has its own entry (not the family fallback).</summary>
    public static bool IsMapped(string code) => ByCode.ContainsKey(code);

    /// <summary>
    /// The public explanation of one reason code; null for informational codes. A code this table does
    /// not know yet (a newer rule set) falls back to its family, then to "waiting for review".
    /// </summary>
    public static PublicReason? ForCode(string code)
    {
        if (ByCode.TryGetValue(code, out var reason))
        {
            return reason;
        }
        var dot = code.IndexOf('.');
        return (dot < 0 ? code : code[..dot]) switch
        {
            "crude" => OffensiveLanguage,
            "spam" => Promotional,
            "site" => SiteTerm,
            "premoderation" => SiteReviewsAll,
            "external" => AutomatedCheck,
            _ => AwaitingReview,
        };
    }

    /// <summary>
    /// Why a comment stands where it is, as its author is told: empty for approved and deleted comments;
    /// for a status a moderator (or readers' reports) set, who did; otherwise the flags of the pipeline
    /// phase that decided, mapped and without repeats.
    /// </summary>
    /// <param name="comment">The comment, with its stored verdict.</param>
    /// <param name="lastStatusChange">The latest audited change of its status (a moderator's decision or readers' hold), if any.</param>
    public static IReadOnlyList<PublicReason> For(Comment comment, ModerationDecision? lastStatusChange)
    {
        if (comment.Status is CommentStatus.Approved or CommentStatus.Deleted)
        {
            return [];
        }
        if (lastStatusChange is not null && lastStatusChange.ToStatus == comment.Status.ToWire())
        {
            return [lastStatusChange.Actor == ModerationActors.Readers ? ReaderReports : ModeratorDecision];
        }
        var verdict = comment.Verdict;
        var reasons = verdict is null || verdict.Outcome != comment.Status.ToWire()
            ? []
            : verdict.Flags.Where(f => f.Phase == verdict.DecidedBy)
                .Select(f => ForCode(f.Reason))
                .OfType<PublicReason>()
                .Distinct()
                .ToList();
        return reasons.Count > 0 ? reasons : [AwaitingReview];
    }
}

/// <summary>Actors of the audit log that are not keys.</summary>
public static class ModerationActors
{
    /// <summary>Readers' reports sent the comment back to the queue.</summary>
    public const string Readers = "readers";

    /// <summary>The comment's author (filing an appeal).</summary>
    public const string Author = "author";
}

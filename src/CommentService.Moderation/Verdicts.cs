namespace CommentService.Moderation;

/// <summary>What the pipeline decides for a comment.</summary>
public enum ModerationOutcome
{
    /// <summary>Shown at once.</summary>
    Approved,

    /// <summary>Held for a moderator.</summary>
    Pending,

    /// <summary>Held as spam.</summary>
    Spam,

    /// <summary>Refused outright (e.g. a banned author or a site's reject term).</summary>
    Rejected,
}

/// <summary>
/// One thing a phase noticed. <paramref name="Reason"/> is a stable code (crude.sexual, spam.link_shortener, ...);
/// <paramref name="Evidence"/> is the matched text as it stands in the original comment, at
/// <paramref name="Start"/> (UTF-16 offset into the original body) for <paramref name="Length"/> characters.
/// </summary>
public sealed record ModerationFlag(
    string Reason,
    string Phase,
    double Score,
    string? Evidence = null,
    int? Start = null,
    int? Length = null,
    string? Note = null);

/// <summary>The outcome, the phase that decided it (null when none did and the default applied), every flag, and the rules version.</summary>
public sealed record ModerationVerdict(
    ModerationOutcome Outcome,
    string? DecidedBy,
    IReadOnlyList<ModerationFlag> Flags,
    string RulesVersion);

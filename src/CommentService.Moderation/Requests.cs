namespace CommentService.Moderation;

/// <summary>When comments are held for a moderator even if nothing is wrong with them.</summary>
public enum PreModeration
{
    /// <summary>Post-moderation: clean comments are approved at once (the default).</summary>
    None,
    All,
    NewAuthors,
    Links,
}

public enum TermAction
{
    /// <summary>Only flag; the comment is not held for it.</summary>
    Flag,
    Hold,
    Reject,
}

/// <summary>A site's own banned or suspect term.</summary>
public sealed record SiteTerm(string Term, TermAction Action);

/// <summary>A site's moderation policy. Every threshold is a score in [0, 1].</summary>
public sealed record ModerationPolicy
{
    public PreModeration PreModeration { get; init; } = PreModeration.None;

    /// <summary>An author with at least this many approved comments and none rejected or spam is trusted (auto-approved).</summary>
    public int TrustedAfterApproved { get; init; } = 3;

    /// <summary>Crude-language score at or above which a comment is held.</summary>
    public double CrudeHoldThreshold { get; init; } = 0.5;

    /// <summary>Spam score at or above which a comment is marked spam.</summary>
    public double SpamThreshold { get; init; } = 0.8;

    /// <summary>Spam score at or above which (but below SpamThreshold) a comment is held for review.</summary>
    public double SpamHoldThreshold { get; init; } = 0.5;

    /// <summary>Links in one comment beyond which it is held.</summary>
    public int MaxLinks { get; init; } = 2;

    public IReadOnlyList<SiteTerm> Terms { get; init; } = [];

    public static ModerationPolicy Default { get; } = new();
}

/// <summary>What the service knows of the author's past on this site (by stable identity or address hash).</summary>
public sealed record AuthorStanding(int Approved, int Held, int Rejected, int Spam, bool Banned)
{
    public static AuthorStanding New { get; } = new(0, 0, 0, 0, false);
}

/// <summary>Everything the pipeline looks at for one comment. Pure data: the caller gathers history from storage.</summary>
public sealed record ModerationRequest
{
    public required string Body { get; init; }
    public required string AuthorName { get; init; }
    public string? AuthorUrl { get; init; }

    /// <summary>Raw values are passed only for external classifiers (Akismet wants them) and never stored by the pipeline.</summary>
    public string? AuthorEmail { get; init; }
    public string? ClientAddress { get; init; }
    public string? UserAgent { get; init; }

    public string SiteId { get; init; } = "";
    public string ArticleId { get; init; } = "";
    public string? ArticleUrl { get; init; }

    /// <summary>The text of the comment replied to, when this is a reply.</summary>
    public string? ParentBody { get; init; }

    /// <summary>The display name of the author replied to, when this is a reply: crude words aimed at them by name weigh more.</summary>
    public string? ParentAuthorName { get; init; }

    /// <summary>
    /// Whether a reply is read with its parent in view (<see cref="ParentBody"/>, <see cref="ParentAuthorName"/>):
    /// words aimed at the parent's author weigh more, the parent's own words quoted to object to them do not count.
    /// Off, a reply is judged as if it stood alone (the evaluation compares both).
    /// </summary>
    public bool JudgeInContext { get; init; } = true;

    public AuthorStanding Author { get; init; } = AuthorStanding.New;

    /// <summary>Recent comment texts by the same author or from the same address (newest first), for repeat detection.</summary>
    public IReadOnlyList<string> RecentByAuthor { get; init; } = [];

    /// <summary>Recent comment texts on the whole site by anyone (newest first), for cross-thread floods.</summary>
    public IReadOnlyList<string> RecentOnSite { get; init; } = [];

    public ModerationPolicy Policy { get; init; } = ModerationPolicy.Default;

    /// <summary>
    /// The site's own spam model, taught by its moderators' decisions (<see cref="Spam.SpamModel.Learn(string, bool, Spam.SpamModel?)"/>),
    /// read on top of the shipped base model; null when the site has none yet.
    /// </summary>
    public Spam.SpamModel? SiteSpamModel { get; init; }

    public DateTimeOffset Now { get; init; }
}

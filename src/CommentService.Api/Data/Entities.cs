using CommentService.Api.Domain;

namespace CommentService.Api.Data;

public sealed class Site
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public List<string> AllowedOrigins { get; set; } = [];
    public int EditWindowMinutes { get; set; } = 15;

    /// <summary>Threads stop taking comments this many days after their first; null for never.</summary>
    public int? AutoCloseAfterDays { get; set; }

    /// <summary>The secret that signs X-User-Token, encrypted with Data Protection; null until an admin creates one.</summary>
    public string? UserTokenSecretProtected { get; set; }

    /// <summary>The secret the last rotation replaced, still accepted until <see cref="UserTokenPreviousSecretUntil"/> (encrypted).</summary>
    public string? UserTokenPreviousSecretProtected { get; set; }
    public DateTimeOffset? UserTokenPreviousSecretUntil { get; set; }

    /// <summary>The site's moderation policy (jsonb); defaults when never set.</summary>
    public SitePolicy Policy { get; set; } = new();

    /// <summary>Whether any moderation rule is observed: without one, the gate runs the pipeline once and reads nothing more.</summary>
    public bool HasObservedRules { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An article's comment thread: created by its first comment.</summary>
public sealed class ArticleThread
{
    public long Id { get; init; }
    public required string SiteId { get; init; }
    public required string ArticleId { get; init; }
    public string? Title { get; set; }
    public string? Url { get; set; }
    public bool Closed { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Closed by a moderator, or by the site's automatic closing after its first comment.</summary>
    public static bool IsClosed(bool closed, DateTimeOffset createdAt, int? autoCloseAfterDays, DateTimeOffset now) =>
        closed || (autoCloseAfterDays is { } days && createdAt.AddDays(days) <= now);

    /// <summary>Maintained on every visibility change; what count badges show.</summary>
    public int ApprovedCount { get; set; }

    /// <summary>Last sibling number handed to a top-level comment.</summary>
    public long RootSequence { get; set; }

    /// <summary>
    /// The id of the last transaction that changed any of the thread's comments, set by a trigger on
    /// comments (so no write path can forget it): with the thread's own columns, the thread read's ETag.
    /// </summary>
    public long Version { get; set; }
}

public sealed class Comment
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public long ThreadId { get; init; }
    public Guid? ParentId { get; init; }
    public required string Path { get; init; }
    public int Depth { get; init; }
    public CommentStatus Status { get; set; }
    public required string AuthorName { get; set; }

    /// <summary>Encrypted with ASP.NET Data Protection; never leaves the service in clear.</summary>
    public string? AuthorEmailProtected { get; set; }
    public string? AuthorUrl { get; set; }

    /// <summary>True when the site vouched for the author with a signed user token.</summary>
    public bool AuthorVerified { get; init; }

    /// <summary>The avatar URL from the site's user token.</summary>
    public string? AuthorAvatarUrl { get; set; }
    public required string Body { get; set; }

    /// <summary>The body rendered from its Markdown subset and sanitised, stored when written.</summary>
    public string BodyHtml { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; set; }
    public required byte[] EditTokenHash { get; init; }

    /// <summary>HMAC of the client address with a server secret: lets bans and limits work without storing the address.</summary>
    public byte[]? IpHash { get; set; }
    public Guid? ApiKeyId { get; init; }

    /// <summary>
    /// The author's stable identity on the site, for history, trust and bans: a keyed hash of the
    /// email when given, else of the name and client address. Never the raw values.
    /// </summary>
    public required string AuthorKey { get; set; }

    /// <summary>What the moderation pipeline found (jsonb), with the rules version; null before moderation existed.</summary>
    public StoredVerdict? Verdict { get; set; }

    /// <summary>Readers' votes, maintained; Score = Upvotes - Downvotes orders sort=top.</summary>
    public int Upvotes { get; set; }
    public int Downvotes { get; set; }
    public int Score { get; set; }

    /// <summary>Readers' reports, maintained.</summary>
    public int ReportCount { get; set; }

    /// <summary>A pinned top-level comment is shown first in its thread.</summary>
    public bool Pinned { get; set; }

    /// <summary>When a moderator last decided on this comment.</summary>
    public DateTimeOffset? ModeratedAt { get; set; }

    /// <summary>
    /// Goes up whenever what a moderator decides on changes (status, text, an appeal filed): the
    /// ETag moderators send back as If-Match, so of two racing decisions the second gets 412.
    /// Votes, replies and reports below the threshold leave it alone.
    /// </summary>
    public int ModerationVersion { get; set; }

    /// <summary>Last sibling number handed to a direct reply.</summary>
    public long ChildSequence { get; set; }

    /// <summary>Approved direct replies, maintained.</summary>
    public int ReplyCount { get; set; }

    /// <summary>Approved comments anywhere below, maintained; a hidden comment with any is shown as a tombstone.</summary>
    public int VisibleDescendants { get; set; }

    /// <summary>
    /// Where an imported comment came from ("disqus:{post id}", "wxr:{comment id}", or the source id of a
    /// JSON Lines export); unique per site, so running an import again adds nothing twice. Null for comments posted here.
    /// </summary>
    public string? SourceId { get; init; }
}

public sealed class ApiKey
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public required string Name { get; init; }
    public List<string> Scopes { get; init; } = [];
    public required byte[] KeyHash { get; init; }

    /// <summary>The first characters of the key, to tell keys apart in listings.</summary>
    public required string Prefix { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Secrets the service generates for itself once and every replica shares (e.g. the IP-hash key).</summary>
public sealed class ServerSecret
{
    public required string Name { get; init; }
    public required byte[] Value { get; init; }
}

/// <summary>A site's moderation settings, stored as jsonb on the site.</summary>
public sealed record SitePolicy
{
    /// <summary>none (post-moderation), all, newAuthors or links.</summary>
    public string PreModeration { get; init; } = "none";
    public int TrustedAfterApproved { get; init; } = 3;
    public double CrudeHoldThreshold { get; init; } = 0.5;
    public double SpamThreshold { get; init; } = 0.8;
    public double SpamHoldThreshold { get; init; } = 0.5;
    public int MaxLinks { get; init; } = 2;

    /// <summary>Reports after which an approved comment goes back to the moderation queue; 0 never.</summary>
    public int ReportThreshold { get; init; } = 3;
}

/// <summary>The pipeline's verdict as stored with a comment.</summary>
public sealed record StoredVerdict(string Outcome, string? DecidedBy, IReadOnlyList<StoredFlag> Flags, string RulesVersion);

public sealed record StoredFlag(string Reason, string Phase, double Score, string? Evidence, int? Start, int? Length, string? Note);

/// <summary>One reader's vote on one comment; the reader is a signed user or an anonymous reader token plus address.</summary>
public sealed class CommentVote
{
    public Guid CommentId { get; init; }
    public required string VoterKey { get; init; }

    /// <summary>+1 or -1.</summary>
    public short Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One reader's report of one comment.</summary>
public sealed class CommentReport
{
    public Guid CommentId { get; init; }
    public required string ReporterKey { get; init; }
    public required string Reason { get; init; }
    public string? Note { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// One moderation decision, kept forever: who changed which comment from what to what, and why; or a
/// change to an observed rule (<see cref="RuleId"/> set, no comment: from mode to mode).
/// </summary>
public sealed class ModerationDecision
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public Guid? CommentId { get; init; }

    /// <summary>The moderation rule created, promoted or deleted; null for decisions on comments.</summary>
    public Guid? RuleId { get; init; }

    /// <summary>"operator" or "key:{id}".</summary>
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string FromStatus { get; init; }
    public required string ToStatus { get; init; }
    public string? Reason { get; init; }
    public string? Note { get; init; }
    public DateTimeOffset At { get; init; }

    public static ModerationDecision Record(Comment comment, string actor, string action, CommentStatus to, string? reason, string? note, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        SiteId = comment.SiteId,
        CommentId = comment.Id,
        Actor = actor,
        Action = action,
        FromStatus = comment.Status.ToWire(),
        ToStatus = to.ToWire(),
        Reason = reason,
        Note = note,
        At = at,
    };
}

/// <summary>A site's own banned (hold or reject) or suspect (flag) term.</summary>
public sealed class SiteTermEntry
{
    public required string SiteId { get; init; }
    public required string Term { get; init; }

    /// <summary>flag, hold or reject.</summary>
    public required string Action { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>An author banned from a site, by stable identity, until an optional expiry.</summary>
public sealed class AuthorBan
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public required string AuthorKey { get; set; }
    public string? Reason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public required string CreatedBy { get; init; }
}

/// <summary>A site's external classifiers (off until an admin turns them on); secrets encrypted with Data Protection.</summary>
public sealed class SiteClassifiers
{
    public required string SiteId { get; init; }
    public bool AkismetEnabled { get; set; }
    public string? AkismetBaseUrl { get; set; }
    public string? AkismetKeyProtected { get; set; }

    /// <summary>The site's front page URL, which Akismet calls "blog".</summary>
    public string? AkismetBlog { get; set; }
    public bool WebhookEnabled { get; set; }
    public string? WebhookUrl { get; set; }
    public string? WebhookSecretProtected { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A site's statistical spam classifier, taught by its moderators' decisions.</summary>
public sealed class SiteSpamModel
{
    public required string SiteId { get; init; }
    public required byte[] Model { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One import of a Disqus, WordPress (WXR) or JSON Lines file into a site, and how far it got.</summary>
public sealed class ImportJob
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }

    /// <summary>disqus, wxr or jsonl.</summary>
    public required string Format { get; init; }
    public required string ArticleIdFrom { get; init; }
    public bool Partial { get; init; }

    /// <summary>queued, running, succeeded or failed.</summary>
    public required string State { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Moved on while the job is queued or running; a job left behind by a stopped process is recognised by it.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Comments read from the file (valid ones), and how many of them were written or found to be duplicates so far.</summary>
    public int Total { get; set; }
    public int Processed { get; set; }
    public int ThreadsCreated { get; set; }
    public int Imported { get; set; }
    public int Duplicates { get; set; }
    public int Invalid { get; set; }
    public int Ignored { get; set; }
    public int Orphans { get; set; }

    /// <summary>Items skipped, ignored, re-attached or shortened, with their line in the file (jsonb, the first 1,000).</summary>
    public List<ImportIssue> Issues { get; set; } = [];
    public string? Error { get; set; }
}

/// <summary>Something about one item of an import file: kind is invalid, ignored, orphan, flattened or shortened.</summary>
public sealed record ImportIssue(string Kind, int Line, int? Column, string? SourceId, string Reason);

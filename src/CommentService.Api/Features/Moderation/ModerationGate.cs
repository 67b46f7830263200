using System.Net;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Moderation;

namespace CommentService.Api.Features.Moderation;

/// <summary>A new or edited comment as the moderation gate sees it.</summary>
public sealed record CommentDraft
{
    public required Site Site { get; init; }
    public required string ArticleId { get; init; }
    public required string AuthorName { get; init; }
    public required string AuthorKey { get; init; }
    public required string Body { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorUrl { get; init; }
    public byte[]? IpHash { get; init; }
    public IPAddress? ClientAddress { get; init; }
    public string? UserAgent { get; init; }
    public Guid? ParentId { get; init; }

    /// <summary>The parent's text given directly (the moderators' dry run) instead of <see cref="ParentId"/>.</summary>
    public string? ParentBody { get; init; }

    /// <summary>With <see cref="ParentBody"/>: the parent's author name.</summary>
    public string? ParentAuthorName { get; init; }

    /// <summary>The comment being edited, left out of its author's history.</summary>
    public Guid? EditedCommentId { get; init; }
}

public sealed record GateDecision(CommentStatus Status, StoredVerdict Verdict)
{
    /// <summary>The observed rules this comment was also judged by (none unless the site observes some).</summary>
    public IReadOnlyList<Guid> ObservedRuleIds { get; init; } = [];

    /// <summary>What those rules would have changed: stored as shadow verdicts, never acted on.</summary>
    public IReadOnlyList<Rules.ShadowOutcome> Shadows { get; init; } = [];
}

/// <summary>
/// The one place where a comment's status is decided: gathers what the pipeline needs from storage
/// (the author's standing and recent texts, the site's policy and word lists, the parent's text),
/// runs the moderation pipeline, and turns its verdict into a status and a stored verdict.
/// </summary>
/// <remarks>
/// Everything is read in one round trip (<see cref="GateReads"/>); the site's word list and spam model are
/// kept in memory and read again only when their version in the database changed.
/// </remarks>
public sealed class ModerationGate(CommentsDb db, ExternalClassifiers classifiers, GateReads reads, Rules.ObservedRules observed, TimeProvider clock)
{
    /// <summary>How far back an author's history counts.</summary>
    public static readonly TimeSpan HistoryWindow = TimeSpan.FromDays(180);

    /// <summary>How far back repeated texts are looked for.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(7);

    public async Task<GateDecision> DecideAsync(CommentDraft draft, CancellationToken ct)
    {
        var (request, settings) = await ReadAsync(draft, ct);
        var pipeline = classifiers.PipelineFor(settings);
        if (draft.Site.HasObservedRules)
        {
            // Observe-only rules: the live run leaves them out, a shadow run per rule records what it would do.
            return await observed.DecideAsync(draft.Site, pipeline, request, ct);
        }
        var verdict = await pipeline.RunAsync(request, ct);
        return new GateDecision(ToStatus(verdict.Outcome), Store(verdict));
    }

    public async Task<ModerationRequest> BuildRequestAsync(CommentDraft draft, CancellationToken ct) => (await ReadAsync(draft, ct)).Request;

    private async Task<(ModerationRequest Request, SiteClassifiers? Classifiers)> ReadAsync(CommentDraft draft, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var read = await reads.ReadAsync(db, draft, now, ct);
        var parent = read.Parent ?? (draft.ParentId is null && draft.ParentBody is { } parentBody ? (parentBody, draft.ParentAuthorName ?? "") : null);
        var request = new ModerationRequest
        {
            Body = draft.Body,
            AuthorName = draft.AuthorName,
            AuthorUrl = draft.AuthorUrl,
            AuthorEmail = draft.AuthorEmail,
            ClientAddress = draft.ClientAddress?.ToString(),
            UserAgent = draft.UserAgent,
            SiteId = draft.Site.Id,
            ArticleId = draft.ArticleId,
            ParentBody = parent?.Body,
            ParentAuthorName = parent?.AuthorName,
            Author = new AuthorStanding(
                read.Counts.GetValueOrDefault(CommentStatus.Approved),
                read.Counts.GetValueOrDefault(CommentStatus.Pending),
                read.Counts.GetValueOrDefault(CommentStatus.Rejected),
                read.Counts.GetValueOrDefault(CommentStatus.Spam),
                read.Banned),
            RecentByAuthor = read.RecentByAuthor,
            RecentOnSite = read.RecentOnSite,
            Policy = SitePolicies.ToModeration(draft.Site.Policy, read.Terms),
            SiteSpamModel = read.SpamModel,
            Now = now,
        };
        return (request, read.Classifiers);
    }

    public static CommentStatus ToStatus(ModerationOutcome outcome) => outcome switch
    {
        ModerationOutcome.Approved => CommentStatus.Approved,
        ModerationOutcome.Pending => CommentStatus.Pending,
        ModerationOutcome.Spam => CommentStatus.Spam,
        ModerationOutcome.Rejected => CommentStatus.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static StoredVerdict Store(ModerationVerdict verdict) => new(
        ToStatus(verdict.Outcome).ToWire(),
        verdict.DecidedBy,
        verdict.Flags.Select(f => new StoredFlag(f.Reason, f.Phase, Math.Round(f.Score, 4), f.Evidence, f.Start, f.Length, f.Note)).ToList(),
        verdict.RulesVersion);
}

/// <summary>Between the stored site policy and the pipeline's policy.</summary>
public static class SitePolicies
{
    public static readonly string[] PreModerationModes = ["none", "all", "newAuthors", "links"];
    public static readonly string[] TermActions = ["flag", "hold", "reject"];

    public static ModerationPolicy ToModeration(SitePolicy policy, IEnumerable<SiteTerm> terms) => new()
    {
        PreModeration = policy.PreModeration switch
        {
            "all" => PreModeration.All,
            "newAuthors" => PreModeration.NewAuthors,
            "links" => PreModeration.Links,
            _ => PreModeration.None,
        },
        TrustedAfterApproved = policy.TrustedAfterApproved,
        CrudeHoldThreshold = policy.CrudeHoldThreshold,
        SpamThreshold = policy.SpamThreshold,
        SpamHoldThreshold = policy.SpamHoldThreshold,
        MaxLinks = policy.MaxLinks,
        Terms = terms.ToList(),
    };

    public static TermAction ParseAction(string action) => action switch
    {
        "reject" => TermAction.Reject,
        "hold" => TermAction.Hold,
        _ => TermAction.Flag,
    };
}

using CommentService.Api.Data;

namespace CommentService.Api.Features.Imports;

/// <summary>An import and how far it got.</summary>
/// <param name="Id">The job's id (for getImport).</param>
/// <param name="SiteId">The site imported into.</param>
/// <param name="Format">disqus, wxr or jsonl.</param>
/// <param name="ArticleIdFrom">Which value of the file became the article ID.</param>
/// <param name="Partial">Whether invalid items were skipped rather than refusing the file.</param>
/// <param name="State">queued, running, succeeded or failed. A failed import imported nothing.</param>
/// <param name="Total">Comments read from the file (valid ones; duplicates included).</param>
/// <param name="Processed">Of those, how many were written or found to be duplicates so far: progress is Processed / Total.</param>
/// <param name="ThreadsCreated">Articles that had no thread before the import.</param>
/// <param name="Imported">Comments written.</param>
/// <param name="Duplicates">Comments skipped because an earlier import (or this service's own export) already put them there.</param>
/// <param name="Invalid">Items skipped as invalid (partial=true only); each is listed in issues with its line.</param>
/// <param name="Ignored">Items left out on purpose (WordPress pingbacks and trackbacks).</param>
/// <param name="Orphans">Replies whose parent was missing, placed at the top level.</param>
/// <param name="Issues">Invalid, ignored, re-attached (orphan, flattened) and shortened items with their line (the first 1,000).</param>
/// <param name="Error">Why a failed import failed.</param>
/// <param name="CreatedAt">When the file was accepted.</param>
/// <param name="UpdatedAt">Last progress (or heartbeat) of a queued or running job.</param>
/// <param name="FinishedAt">When it succeeded or failed.</param>
public sealed record ImportJobResponse(
    Guid Id,
    string SiteId,
    string Format,
    string ArticleIdFrom,
    bool Partial,
    string State,
    int Total,
    int Processed,
    int ThreadsCreated,
    int Imported,
    int Duplicates,
    int Invalid,
    int Ignored,
    int Orphans,
    IReadOnlyList<ImportIssue> Issues,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    public static ImportJobResponse From(ImportJob j) => new(j.Id, j.SiteId, j.Format, j.ArticleIdFrom, j.Partial, j.State, j.Total, j.Processed,
        j.ThreadsCreated, j.Imported, j.Duplicates, j.Invalid, j.Ignored, j.Orphans, j.Issues, j.Error, j.CreatedAt, j.UpdatedAt, j.FinishedAt);
}

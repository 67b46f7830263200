using System.Text;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Moderation.Queue;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>Repeat to combine: pending, spam, rejected, approved, deleted. Default: pending and spam (the queue).</summary>
    [QueryParam]
    public List<string>? Status { get; set; }

    /// <summary>Only comments with a flag of this reason code (e.g. crude.sexual, spam.links).</summary>
    [QueryParam]
    public string? Reason { get; set; }

    /// <summary>
    /// Only comments whose author appealed: open (waiting for a decision), upheld, overturned or any; none for
    /// comments without an appeal. With an appeal filter and no status, every status but deleted matches.
    /// </summary>
    [QueryParam]
    public string? Appeal { get; set; }

    /// <summary>Only comments of this article.</summary>
    [QueryParam]
    public string? ArticleId { get; set; }

    /// <summary>Only comments created at or after this time.</summary>
    [QueryParam]
    public DateTimeOffset? Since { get; set; }

    /// <summary>Only comments created before this time.</summary>
    [QueryParam]
    public DateTimeOffset? Until { get; set; }

    /// <summary>oldest (default: first in, first out) or newest.</summary>
    [QueryParam]
    public string? Sort { get; set; }

    /// <summary>1 to 100; default 20.</summary>
    [QueryParam]
    public int? Limit { get; set; }

    [QueryParam]
    public string? Cursor { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleForEach(r => r.Status).Must(s => s is "pending" or "spam" or "rejected" or "approved" or "deleted")
            .WithMessage("status is pending, spam, rejected, approved or deleted.");
        RuleFor(r => r.Reason).MaximumLength(Limits.ReasonCodeLength);
        RuleFor(r => r.Appeal).Must(a => a is null or "open" or "upheld" or "overturned" or "any" or "none")
            .WithMessage("appeal is open, upheld, overturned, any or none.");
        RuleFor(r => r.ArticleId).Must(a => a is null || Infrastructure.ArticleIds.Problem(a) is null).WithMessage("articleId is not a valid article ID.");
        RuleFor(r => r.Sort).Must(s => s is null or "oldest" or "newest").WithMessage("sort is oldest or newest.");
        RuleFor(r => r.Limit).InclusiveBetween(1, Limits.MaxPageSize);
        RuleFor(r => r.Cursor).Must(c => c is null || KeysetCursor.TryDecode(c, out _, out _)).WithMessage("The cursor is not valid.");
    }
}

public sealed record Response(IReadOnlyList<ModeratedComment> Items, string? NextCursor);

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Terms;

public sealed record TermResponse(string Term, string Action, DateTimeOffset CreatedAt);

public sealed class ListRequest
{
    public string SiteId { get; set; } = "";
}

public sealed record ListResponse(IReadOnlyList<TermResponse> Items);

public sealed class ListEndpoint(CommentsDb db) : Endpoint<ListRequest, ListResponse>
{
    public override void Configure()
    {
        Get("terms");
        Group<ModerationGroup>();
        Description(b => b.WithName("listSiteTerms").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "The site's word list";
            s.Description = "Terms this site rejects, holds or only flags, on top of the built-in lists.";
        });
    }

    public override async Task HandleAsync(ListRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var terms = await db.SiteTerms.AsNoTracking().Where(t => t.SiteId == req.SiteId).OrderBy(t => t.Term)
            .Select(t => new TermResponse(t.Term, t.Action, t.CreatedAt)).ToListAsync(ct);
        await Send.OkAsync(new ListResponse(terms), ct);
    }
}

public sealed class PutRequest
{
    public string SiteId { get; set; } = "";

    /// <summary>A word or phrase; matched case-insensitively, also when disguised.</summary>
    public string Term { get; set; } = "";

    /// <summary>reject, hold or flag.</summary>
    public string Action { get; set; } = "";
}

public sealed class PutValidator : Validator<PutRequest>
{
    public PutValidator()
    {
        RuleFor(r => r.Term).CleanText("term", Limits.TermLength);
        RuleFor(r => r.Action).Must(a => SitePolicies.TermActions.Contains(a)).WithMessage("action is flag, hold or reject.");
    }
}

public sealed class PutEndpoint(CommentsDb db, TimeProvider clock) : Endpoint<PutRequest, TermResponse>
{
    public override void Configure()
    {
        Post("terms");
        Group<ModerationGroup>();
        Description(b => b.WithName("putSiteTerm").ProducesProblems(400, 401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "Add a term to the site's word list, or change its action";
            s.Description = $"Up to {Limits.MaxSiteTerms} terms per site.";
            s.ExampleRequest = new PutRequest { SiteId = "film-blog", Term = "cheap pills", Action = "reject" };
        });
    }

    public override async Task HandleAsync(PutRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var term = req.Term.Trim().ToLowerInvariant();
        var entry = await db.SiteTerms.SingleOrDefaultAsync(t => t.SiteId == req.SiteId && t.Term == term, ct);
        if (entry is null)
        {
            if (await db.SiteTerms.CountAsync(t => t.SiteId == req.SiteId, ct) >= Limits.MaxSiteTerms)
            {
                throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The site already has {Limits.MaxSiteTerms} terms.");
            }
            entry = new SiteTermEntry { SiteId = req.SiteId, Term = term, Action = req.Action, CreatedAt = clock.GetUtcNow() };
            db.SiteTerms.Add(entry);
        }
        entry.Action = req.Action;
        await db.SaveChangesAsync(ct);
        await Send.OkAsync(new TermResponse(entry.Term, entry.Action, entry.CreatedAt), ct);
    }
}

public sealed class DeleteRequest
{
    public string SiteId { get; set; } = "";

    /// <summary>The term to remove.</summary>
    [QueryParam]
    public string Term { get; set; } = "";
}

public sealed class DeleteValidator : Validator<DeleteRequest>
{
    // A NUL in the term reached PostgreSQL, which refuses it (a 500, found by the hostile-input fuzz).
    public DeleteValidator() => RuleFor(r => r.Term).CleanText("term", Limits.TermLength);
}

public sealed class DeleteEndpoint(CommentsDb db) : Endpoint<DeleteRequest>
{
    public override void Configure()
    {
        Delete("terms");
        Group<ModerationGroup>();
        Description(b => b.WithName("deleteSiteTerm").Produces(204).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Remove a term from the site's word list";
            s.Description = "DELETE …/moderation/terms?term=cheap%20pills";
        });
    }

    public override async Task HandleAsync(DeleteRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var term = req.Term.Trim().ToLowerInvariant();
        var removed = await db.SiteTerms.Where(t => t.SiteId == req.SiteId && t.Term == term).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            throw ApiProblemException.NotFound($"Term '{term}' of site '{req.SiteId}'");
        }
        await Send.NoContentAsync(ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.Scaling;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Counts;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>Repeat for each article, up to 100: ?articleId=a&amp;articleId=b</summary>
    [QueryParam]
    public List<string> ArticleId { get; set; } = [];
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.ArticleId).Must(ids => ids.Count is > 0 and <= Limits.MaxCountArticles)
            .WithMessage($"Name 1 to {Limits.MaxCountArticles} articles with articleId.");
        RuleForEach(r => r.ArticleId).Must(id => ArticleIds.Problem(id) is null)
            .WithMessage("Each articleId must be a non-empty string without control characters.");
    }
}

public sealed record ArticleCount(string ArticleId, int Count);

public sealed record Response(IReadOnlyList<ArticleCount> Counts);

public sealed class Endpoint(ReadDb reads) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/counts");
        AllowAnonymous();
        Description(b => b.WithName("getCounts").ProducesProblems(400, 401, 403, 404).AcceptsKey(Infrastructure.Auth.ApiScopes.CommentsRead));
        Summary(s =>
        {
            s.Summary = "Count approved comments of many articles";
            s.Description = "One call for the comment badges of a whole article list. Articles without comments count 0.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsRead);
        var db = await reads.GetAsync(ct);
        await db.RequireAsync(req.SiteId, ct);
        var ids = req.ArticleId.Distinct(StringComparer.Ordinal).ToList();
        var counts = await db.Threads.AsNoTracking()
            .Where(t => t.SiteId == req.SiteId && ids.Contains(t.ArticleId))
            .ToDictionaryAsync(t => t.ArticleId, t => t.ApprovedCount, ct);
        await Send.OkAsync(new Response(ids.Select(id => new ArticleCount(id, counts.GetValueOrDefault(id))).ToList()), ct);
    }
}

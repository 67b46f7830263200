using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Threads;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>The article's title, for moderators and exports; omit to keep.</summary>
    public string? Title { get; set; }

    /// <summary>The article's canonical http(s) URL; omit to keep.</summary>
    public string? Url { get; set; }

    /// <summary>true makes the thread read-only (new comments get 409); omit to keep.</summary>
    public bool? Closed { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Title).CleanText("title", Limits.ThreadTitleLength).When(r => r.Title is not null);
        RuleFor(r => r.Url!).MaximumLength(Limits.AuthorUrlLength)
            .Must(Comments.CommentRules.IsWebUrl).WithMessage("url must be an absolute http or https URL.")
            .When(r => r.Url is not null);
    }
}

public sealed record Response(string ArticleId, string? Title, string? Url, bool Closed, int ApprovedCount, DateTimeOffset CreatedAt);

public sealed class Endpoint(CommentsDb db, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Patch("articles/{articleId}");
        Group<ModerationGroup>();
        Description(b => b.WithName("updateThread").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Set an article thread's title, URL or closed state";
            s.Description = "Close or reopen a thread, or set its title and URL. Creates the thread if nobody has commented yet, "
                + "so an article can be closed in advance. A closed thread stays readable; new comments get 409.";
            s.ExampleRequest = new Request { SiteId = "film-blog", Title = "Her (2013): a review", Closed = true };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var articleId = ArticleIds.FromRoute(HttpContext);
        await db.RequireAsync(req.SiteId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await new CommentTree(db).LockOrCreateThreadAsync(req.SiteId, articleId, clock.GetUtcNow(), ct);
        var thread = await db.Threads.SingleAsync(t => t.SiteId == req.SiteId && t.ArticleId == articleId, ct);
        thread.Title = req.Title ?? thread.Title;
        thread.Url = req.Url ?? thread.Url;
        thread.Closed = req.Closed ?? thread.Closed;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await Send.OkAsync(new Response(thread.ArticleId, thread.Title, thread.Url, thread.Closed, thread.ApprovedCount, thread.CreatedAt), ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Features.Webhooks;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.RateLimiting;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Comments.Appeals.Create;

/// <summary>An author's appeal.</summary>
public sealed class AppealRequest
{
    private string message = "";

    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }

    /// <summary>Why the comment should be shown, for the moderators: 1 to 500 characters (trimmed).</summary>
    public string Message
    {
        get => message;
        // Trimmed as it is read, so the length rules and what is stored see the same text.
        set => message = value?.Trim() ?? "";
    }
}

public sealed class Validator : Validator<AppealRequest>
{
    public Validator()
    {
        RuleFor(r => r.Message).CleanText("message", AppealsModel.MessageLength, multiline: true);
    }
}

public sealed class Endpoint(
    CommentsDb db, CommentTree tree, UserTokens tokens, KeyedHashes hashes, ClientRateLimits limits, WebhookEvents events,
    TimeProvider clock) : Endpoint<AppealRequest, AuthorAppeal>
{
    public override void Configure()
    {
        Post("/sites/{siteId}/comments/{commentId}/appeal");
        AllowAnonymous();
        Description(b => b.WithName("appealComment").Produces<AuthorAppeal>(201).ProducesProblems(400, 401, 403, 404, 409, 429)
            .AcceptsKey(ApiScopes.CommentsWrite).AcceptsHeaders(CommentAccess.EditTokenHeader, UserTokens.Header));
        Summary(s =>
        {
            s.Summary = "Appeal the hold or rejection of a comment";
            s.Description = "The comment's author (X-Edit-Token, or the site's X-User-Token of the same user) asks the moderators to look again, "
                + "once per comment, while the comment is pending, spam or rejected. The appeal shows in the moderation queue (appeal=open) "
                + "and closes when a moderator decides the comment. 409 appeal-exists for a second appeal, 409 not-appealable for an approved comment.";
            s.ExampleRequest = new AppealRequest { SiteId = "film-blog", CommentId = Guid.Empty, Message = "I was quoting the film's title, not insulting anyone." };
        });
    }

    public override async Task HandleAsync(AppealRequest req, CancellationToken ct)
    {
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsWrite);
        var site = await db.RequireAsync(req.SiteId, ct);
        var (found, _) = await db.RequireAsync(req.SiteId, req.CommentId, ct);
        var role = CommentAccess.RoleOf(User, HttpContext, found, await AuthorIdentity.SignedInKeyAsync(HttpContext, site, tokens, hashes, ct));
        if (role == CommentRole.Reader || found.Status == CommentStatus.Deleted)
        {
            throw ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'");
        }
        if (role == CommentRole.Moderator)
        {
            throw ApiProblemException.Forbidden("Only the comment's author appeals; moderators decide the comment instead.");
        }
        await limits.EnforceAsync(User, RateLimitedAction.Appeals, site.Id,
            await hashes.AddressAsync(HttpContext.Connection.RemoteIpAddress, ct), found.AuthorKey, ct);

        // Under the thread lock, as decisions are: an appeal and a decision on the same comment never interleave.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await tree.LockThreadOfAsync(req.SiteId, req.CommentId, ct);
        var comment = await db.Comments.SingleAsync(c => c.Id == req.CommentId, ct);
        var articleId = await db.Threads.Where(t => t.Id == comment.ThreadId).Select(t => t.ArticleId).SingleAsync(ct);
        if (await db.Appeals.AnyAsync(a => a.CommentId == comment.Id, ct))
        {
            throw ApiProblemException.Conflict(ProblemTypes.AppealExists, "This comment has been appealed already; each comment can be appealed once.");
        }
        if (!AppealLedger.IsAppealable(comment.Status))
        {
            throw comment.Status == CommentStatus.Deleted
                ? ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'")
                : ApiProblemException.Conflict(ProblemTypes.NotAppealable, $"The comment is {comment.Status.ToWire()}; only pending, spam or rejected comments can be appealed.");
        }

        var now = clock.GetUtcNow();
        var appeal = new Appeal
        {
            CommentId = comment.Id,
            SiteId = comment.SiteId,
            Message = req.Message,
            CreatedAt = now,
            StatusAtAppeal = comment.Status.ToWire(),
            State = AppealState.Open,
        };
        db.Appeals.Add(appeal);
        db.ModerationDecisions.Add(ModerationDecision.Record(comment, ModerationActors.Author, AppealLedger.FiledAction, comment.Status, null, null, now));
        // A moderator who loaded the comment before the appeal decides on stale facts: their If-Match fails.
        comment.ModerationVersion++;
        await db.SaveChangesAsync(ct);
        await events.CommentAppealedAsync(comment, articleId, appeal, ct);
        await tx.CommitAsync(ct);

        HttpContext.Response.Headers.Location = $"/v1/sites/{Uri.EscapeDataString(req.SiteId)}/comments/{comment.Id}/moderation-status";
        await Send.ResponseAsync(AuthorAppeal.From(appeal), 201, ct);
    }
}

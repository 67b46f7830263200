using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Moderation;
using CommentService.Api.Features.Sites;
using CommentService.Api.Features.Webhooks;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.RateLimiting;
using FastEndpoints;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Features.Comments.Create;

public sealed class Endpoint(
    CommentsDb db,
    CommentTree tree,
    ModerationGate gate,
    KeyedHashes hashes,
    BodyRenderer renderer,
    UserTokens tokens,
    ClientRateLimits rateLimits,
    WebhookEvents events,
    IDataProtectionProvider protection,
    IOptions<ServiceOptions> options,
    Infrastructure.Telemetry.ServiceMetrics metrics,
    Infrastructure.Idempotency.IdempotencyScope idempotency,
    TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/sites/{siteId}/articles/{articleId}/comments");
        AllowAnonymous();
        Description(b => b.WithName("createComment").Produces<Response>(201).ProducesProblems(400, 401, 403, 404, 409, 413, 429).AcceptsKey(ApiScopes.CommentsWrite).AcceptsHeaders(CommentService.Api.Infrastructure.UserTokens.Header));
        Summary(s =>
        {
            s.Summary = "Post a comment or a reply";
            s.Description = "Anyone may post (browsers post directly); servers may post with a comments:write key. "
                + "The article's thread is created by its first comment. The answer carries the edit token, once. "
                + "The article ID is one percent-encoded path segment.";
            s.ExampleRequest = new Request { SiteId = "film-blog", AuthorName = "Ada", Body = "The ending stayed with me for days." };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var articleId = ArticleIds.FromRoute(HttpContext);
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsWrite);
        var site = await db.RequireAsync(req.SiteId, ct);
        var now = clock.GetUtcNow();
        var editToken = Secrets.NewEditToken();
        var ipHash = await hashes.AddressAsync(HttpContext.Connection.RemoteIpAddress, ct);
        // A user the site vouches for (X-User-Token) posts under the site's name for them and its user id.
        var user = tokens.Read(HttpContext, site);
        var authorName = user?.Name ?? req.AuthorName.Trim();
        var authorEmail = user?.Email ?? req.AuthorEmail;
        var authorKey = user is null
            ? await AuthorIdentity.KeyAsync(hashes, req.AuthorEmail, req.AuthorName, ipHash, ct)
            : await AuthorIdentity.KeyAsync(hashes, site.Id, user, ct);
        await rateLimits.EnforceAsync(User, RateLimitedAction.Comments, site.Id, ipHash, authorKey, ct);
        var decision = await gate.DecideAsync(new CommentDraft
        {
            Site = site,
            ArticleId = articleId,
            AuthorName = authorName,
            AuthorKey = authorKey,
            Body = req.Body,
            AuthorEmail = authorEmail,
            AuthorUrl = req.AuthorUrl,
            IpHash = ipHash,
            ClientAddress = HttpContext.Connection.RemoteIpAddress,
            UserAgent = HttpContext.Request.Headers.UserAgent.ToString(),
            ParentId = req.ParentId,
        }, ct);
        var status = decision.Status;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var thread = await tree.LockOrCreateThreadAsync(site.Id, articleId, now, ct);
        if (ArticleThread.IsClosed(thread.Closed, thread.CreatedAt, site.AutoCloseAfterDays, now))
        {
            throw ApiProblemException.Conflict(ProblemTypes.ThreadClosed, "This article's thread is closed to new comments.");
        }
        var parent = req.ParentId is { } parentId ? await RequireParentAsync(parentId, site.Id, thread.Id, ct) : null;
        var path = await tree.NextPathAsync(thread.Id, parent, ct);
        var comment = new Comment
        {
            Id = Guid.CreateVersion7(now),
            SiteId = site.Id,
            ThreadId = thread.Id,
            ParentId = parent?.Id,
            Path = path,
            Depth = CommentPath.DepthOf(path),
            Status = status,
            AuthorName = authorName,
            AuthorEmailProtected = authorEmail is null ? null : protection.AuthorEmails().Protect(authorEmail),
            AuthorVerified = user is not null,
            AuthorAvatarUrl = user?.AvatarUrl,
            AuthorUrl = req.AuthorUrl,
            Body = req.Body,
            BodyHtml = renderer.ToHtml(req.Body),
            CreatedAt = now,
            EditTokenHash = Secrets.Hash(editToken),
            IpHash = ipHash,
            AuthorKey = authorKey,
            Verdict = decision.Verdict,
            ApiKeyId = User.KeyId(),
        };
        db.Comments.Add(comment);
        // Committed with the comment: a retry whose answer was lost is pointed here instead of posting twice.
        idempotency.Location = $"/v1/sites/{Uri.EscapeDataString(site.Id)}/comments/{comment.Id}";
        Features.Moderation.Rules.ShadowRecords.Add(db, decision, comment.Id, site.Id, now);
        await db.SaveChangesAsync(ct);
        if (status == CommentStatus.Approved)
        {
            await tree.ApplyVisibilityChangeAsync(thread.Id, comment.ParentId, path, +1, ct);
        }
        await events.CommentCreatedAsync(comment, articleId, ct);
        await tx.CommitAsync(ct);
        metrics.CommentCreated(status, decision.Verdict);

        var response = new Response(CommentResponse.From(comment, articleId), editToken, now.AddMinutes(site.EditWindowMinutes));
        await Send.ResponseAsync(response, 201, ct);
    }

    private async Task<ParentRef> RequireParentAsync(Guid parentId, string siteId, long threadId, CancellationToken ct)
    {
        var parent = await tree.FindAsync(parentId, ct);
        if (parent is null || parent.SiteId != siteId)
        {
            throw ApiProblemException.Field("parentId", "The parent comment does not exist.");
        }
        if (parent.ThreadId != threadId)
        {
            throw ApiProblemException.Field("parentId", "The parent comment belongs to another article.");
        }
        if (parent.Status != CommentStatus.Approved)
        {
            throw ApiProblemException.Field("parentId", "The parent comment is not open for replies.");
        }
        if (parent.Depth + 1 > options.Value.MaxDepth)
        {
            throw ApiProblemException.Field("parentId", $"Replies nest at most {options.Value.MaxDepth} levels deep.");
        }
        return parent;
    }
}

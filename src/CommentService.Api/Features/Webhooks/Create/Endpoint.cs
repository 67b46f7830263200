using CommentService.Api.Data;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Webhooks.Create;

public sealed class Endpoint(CommentsDb db, IDataProtectionProvider protection, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("");
        Group<WebhooksGroup>();
        Description(b => b.WithName("createWebhook").Produces<Response>(201).ProducesProblems(400, 401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "Add a webhook";
            s.Description = "Events of the chosen types are POSTed to the URL as JSON, signed with the secret in this answer (shown once; the service keeps it encrypted). "
                + $"Up to {WebhookRules.MaxPerSite} webhooks per site. Operator key, or a site key with the admin scope.";
            s.ExampleRequest = new Request { SiteId = "film-blog", Url = "https://hooks.films.example/comments", Events = ["comment.held", "comment.reported"] };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        if (await db.Webhooks.CountAsync(w => w.SiteId == req.SiteId, ct) >= WebhookRules.MaxPerSite)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"A site has at most {WebhookRules.MaxPerSite} webhooks; delete one first.");
        }
        var secret = WebhookSignature.NewSecret();
        var now = clock.GetUtcNow();
        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7(now),
            SiteId = req.SiteId,
            Url = req.Url,
            Events = req.Events.Distinct(StringComparer.Ordinal).ToList(),
            SecretProtected = protection.WebhookSecrets().Protect(secret),
            Description = req.Description?.Trim(),
            CreatedAt = now,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(new Response(WebhookResponse.From(webhook), secret), 201, ct);
    }
}

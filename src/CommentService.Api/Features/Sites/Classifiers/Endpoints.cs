using CommentService.Api.Data;
using CommentService.Api.Features.Moderation;
using CommentService.Api.Features.Webhooks;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Features.Sites.Classifiers;

public sealed class AkismetSettings
{
    public bool Enabled { get; set; }

    /// <summary>The Akismet API key; omit to keep the stored one. Stored encrypted, never returned.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The site's front page URL (Akismet's "blog").</summary>
    public string? Blog { get; set; }

    /// <summary>Another Akismet-compatible endpoint; default https://rest.akismet.com.</summary>
    public string? BaseUrl { get; set; }
}

public sealed class WebhookSettings
{
    public bool Enabled { get; set; }

    /// <summary>The classifier's https URL; it answers {"outcome": "approved|pending|spam|rejected", "reason", "score"}.</summary>
    public string? Url { get; set; }

    /// <summary>Make a new signing secret (one is made the first time the webhook is set).</summary>
    public bool RotateSecret { get; set; }
}

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public AkismetSettings? Akismet { get; set; }
    public WebhookSettings? Webhook { get; set; }
}

public sealed record AkismetView(bool Enabled, string? Blog, string? BaseUrl, bool HasApiKey);

public sealed record WebhookView(bool Enabled, string? Url, bool HasSecret);

/// <param name="Akismet">The Akismet adapter's settings, without the key.</param>
/// <param name="Webhook">The classifier webhook's settings, without the secret.</param>
/// <param name="WebhookSecret">The signing secret, only in the answer that made it.</param>
public sealed record Response(AkismetView Akismet, WebhookView Webhook, string? WebhookSecret);

public sealed class Validator : Validator<Request>
{
    public Validator(IOptions<ClassifierOptions> options)
    {
        RuleFor(r => r.Akismet!.ApiKey).CleanText("akismet.apiKey", 200).OverridePropertyName("akismet.apiKey")
            .When(r => r.Akismet?.ApiKey is not null);
        RuleFor(r => r.Akismet!.ApiKey).Must(k => !string.IsNullOrWhiteSpace(k)).OverridePropertyName("akismet.apiKey")
            .WithMessage("akismet.apiKey is blank; leave it out to keep the stored key.").When(r => r.Akismet?.ApiKey is not null);
        // Turning Akismet on needs the blog URL in the same request (null here was a 500, found by the hostile-input fuzz).
        RuleFor(r => r.Akismet!.Blog).Must(u => u is not null && Comments.CommentRules.IsWebUrl(u)).OverridePropertyName("akismet.blog")
            .WithMessage("akismet.blog is the site's http(s) front page URL.").When(r => r.Akismet?.Enabled == true || r.Akismet?.Blog is not null);
        RuleFor(r => r.Akismet!.BaseUrl).Must(u => WebhookRules.UrlProblem(u!, options.Value.AllowPrivateNetworks) is null)
            .OverridePropertyName("akismet.baseUrl").WithMessage("akismet.baseUrl must be a public http(s) URL.").When(r => r.Akismet?.BaseUrl is not null);
        RuleFor(r => r.Webhook!.Url).Must(u => u is not null && WebhookRules.UrlProblem(u, options.Value.AllowPrivateNetworks) is null)
            .OverridePropertyName("webhook.url").WithMessage("webhook.url must be a public http(s) URL.")
            .When(r => r.Webhook?.Enabled == true || r.Webhook?.Url is not null);
    }
}

public sealed class GetRequest
{
    public string SiteId { get; set; } = "";
}

public sealed class GetEndpoint(CommentsDb db) : Endpoint<GetRequest, Response>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/classifiers");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("getClassifiers").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "The site's external classifiers";
            s.Description = "Akismet and a classifier webhook: off unless turned on; secrets are never returned.";
        });
    }

    public override async Task HandleAsync(GetRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var settings = await db.SiteClassifiers.AsNoTracking().SingleOrDefaultAsync(c => c.SiteId == req.SiteId, ct)
                       ?? new SiteClassifiers { SiteId = req.SiteId };
        await Send.OkAsync(View(settings, null), ct);
    }

    internal static Response View(SiteClassifiers s, string? secret) => new(
        new AkismetView(s.AkismetEnabled, s.AkismetBlog, s.AkismetBaseUrl, s.AkismetKeyProtected is not null),
        new WebhookView(s.WebhookEnabled, s.WebhookUrl, s.WebhookSecretProtected is not null),
        secret);
}

public sealed class UpdateEndpoint(CommentsDb db, IDataProtectionProvider protection, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Put("/sites/{siteId}/classifiers");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("updateClassifiers").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Turn external classifiers on or off";
            s.Description = "Akismet comment-check and a signed classifier webhook are consulted after the local phases, with a 2 s timeout, "
                + "failing open (an outage never holds or passes a comment by itself). Secrets are stored encrypted.";
            s.ExampleRequest = new Request
            {
                SiteId = "film-blog",
                Akismet = new AkismetSettings { Enabled = true, ApiKey = "your-akismet-key", Blog = "https://films.example" },
            };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var settings = await db.SiteClassifiers.SingleOrDefaultAsync(c => c.SiteId == req.SiteId, ct);
        if (settings is null)
        {
            settings = new SiteClassifiers { SiteId = req.SiteId };
            db.SiteClassifiers.Add(settings);
        }
        var secrets = protection.ClassifierSecrets();
        if (req.Akismet is { } akismet)
        {
            settings.AkismetKeyProtected = akismet.ApiKey is null ? settings.AkismetKeyProtected : secrets.Protect(akismet.ApiKey.Trim());
            if (akismet.Enabled && settings.AkismetKeyProtected is null)
            {
                throw ApiProblemException.Field("akismet.apiKey", "Give the Akismet API key to turn Akismet on.");
            }
            settings.AkismetEnabled = akismet.Enabled;
            settings.AkismetBlog = akismet.Blog ?? settings.AkismetBlog;
            settings.AkismetBaseUrl = akismet.BaseUrl ?? settings.AkismetBaseUrl;
        }
        string? newSecret = null;
        if (req.Webhook is { } webhook)
        {
            settings.WebhookEnabled = webhook.Enabled;
            settings.WebhookUrl = webhook.Url ?? settings.WebhookUrl;
            if (webhook.RotateSecret || (settings.WebhookUrl is not null && settings.WebhookSecretProtected is null))
            {
                newSecret = Secrets.NewSigningSecret();
                settings.WebhookSecretProtected = secrets.Protect(newSecret);
            }
        }
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await Send.OkAsync(GetEndpoint.View(settings, newSecret), ct);
    }
}

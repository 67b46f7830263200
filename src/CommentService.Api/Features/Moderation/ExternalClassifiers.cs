using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using CommentService.Moderation;
using CommentService.Moderation.External;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Features.Moderation;

/// <summary>Settings under Comments:Classifiers.</summary>
public sealed class ClassifierOptions
{
    public const string Section = "Comments:Classifiers";
    public const string HttpClientName = "classifiers";

    /// <summary>How long a comment waits for an external classifier before the pipeline goes on without it.</summary>
    public int TimeoutMilliseconds { get; set; } = 2000;

    /// <summary>Allow classifier URLs on loopback or private networks (tests, or a classifier beside the service).</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>
/// The moderation pipeline for a site: the shared default one, or, when the site turned on Akismet or
/// a classifier webhook, the default phases with those consulted before pre-moderation.
/// </summary>
public sealed class ExternalClassifiers(
    CommentsDb db,
    ModerationPipeline defaultPipeline,
    IHttpClientFactory http,
    IDataProtectionProvider protection,
    IOptions<ClassifierOptions> options,
    TimeProvider clock)
{
    /// <summary>The pipeline for a site's classifier settings (read by <see cref="GateReads"/>; null when it has none).</summary>
    public ModerationPipeline PipelineFor(SiteClassifiers? settings)
    {
        if (settings is null || !(settings.AkismetEnabled || settings.WebhookEnabled))
        {
            return defaultPipeline;
        }
        var phases = new List<IModerationPhase>();
        if (settings.AkismetEnabled && PhaseFor(settings, Akismet) is { } akismet)
        {
            phases.Add(akismet);
        }
        if (settings.WebhookEnabled && PhaseFor(settings, Webhook) is { } webhook)
        {
            phases.Add(webhook);
        }
        return ModerationPipeline.CreateDefault(phases);
    }

    public const string Akismet = "akismet";
    public const string Webhook = "webhook";

    /// <summary>
    /// The phase of one of the site's classifiers (akismet or webhook) whether it is turned on or not, for
    /// an observe-only rule; null when it is not configured (no key or no URL).
    /// </summary>
    public async Task<IModerationPhase?> ObservedPhaseAsync(string siteId, string classifier, CancellationToken ct)
    {
        var settings = await db.SiteClassifiers.AsNoTracking().SingleOrDefaultAsync(c => c.SiteId == siteId, ct);
        return settings is null ? null : PhaseFor(settings, classifier);
    }

    /// <summary>Whether the classifier has what it needs to run (a key, or a URL and secret).</summary>
    public static bool IsConfigured(SiteClassifiers settings, string classifier) => classifier switch
    {
        Akismet => settings.AkismetKeyProtected is not null,
        Webhook => settings is { WebhookUrl: not null, WebhookSecretProtected: not null },
        _ => false,
    };

    private IModerationPhase? PhaseFor(SiteClassifiers settings, string classifier)
    {
        if (!IsConfigured(settings, classifier))
        {
            return null;
        }
        var timeout = TimeSpan.FromMilliseconds(options.Value.TimeoutMilliseconds);
        var secrets = protection.ClassifierSecrets();
        var client = http.CreateClient(ClassifierOptions.HttpClientName);
        return classifier == Akismet
            ? new AkismetPhase(client, new AkismetOptions
            {
                Enabled = true,
                BaseUrl = new Uri(settings.AkismetBaseUrl ?? "https://rest.akismet.com"),
                ApiKey = secrets.Unprotect(settings.AkismetKeyProtected!),
                Blog = settings.AkismetBlog ?? "",
                Timeout = timeout,
            })
            : new WebhookClassifierPhase(client, new WebhookClassifierOptions
            {
                Enabled = true,
                Url = new Uri(settings.WebhookUrl!),
                Secret = secrets.Unprotect(settings.WebhookSecretProtected!),
                Timeout = timeout,
                Time = clock,
            });
    }
}

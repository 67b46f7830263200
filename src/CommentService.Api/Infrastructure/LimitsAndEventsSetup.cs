using CommentService.Api.Features.Webhooks;
using CommentService.Api.Infrastructure.RateLimiting;

namespace CommentService.Api.Infrastructure;

/// <summary>Registrations for rate limits, webhooks and the clean-up job (README, "Rate limits", "Webhooks").</summary>
public static class LimitsAndEventsSetup
{
    public static void AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.IsValid(), "Comments:RateLimits: every limit is 0 (off) to 1,000,000.")
            .ValidateOnStart();
        builder.Services.AddScoped<RateLimiter>();
        builder.Services.AddScoped<ClientRateLimits>();
    }

    public static void AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<WebhookEvents>();
        // The dispatcher times attempts itself and logs their outcomes, so the client does neither.
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp =>
                OutboundAddresses.Handler(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value.AllowPrivateNetworks));
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
    }

    public static void AddHousekeeping(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CleanupOptions>()
            .BindConfiguration(CleanupOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<Housekeeping>();
        builder.Services.AddOptions<Idempotency.IdempotencyOptions>()
            .BindConfiguration(Idempotency.IdempotencyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<Idempotency.IdempotencyStore>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Housekeeping>());
    }
}

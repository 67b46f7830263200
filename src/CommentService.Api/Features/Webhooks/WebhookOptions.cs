using System.ComponentModel.DataAnnotations;

namespace CommentService.Api.Features.Webhooks;

/// <summary>Settings under "Comments:Webhooks" (README, "Webhooks"): how deliveries are sent and retried.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Comments:Webhooks";

    /// <summary>Run the dispatcher in this process. Off: this replica only writes events; others deliver them.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    [Range(0.1, 120)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Wait before the second attempt; each further wait doubles (with ±20 % jitter) up to <see cref="MaxRetrySeconds"/>.</summary>
    [Range(0.01, 86_400)]
    public double FirstRetrySeconds { get; set; } = 30;

    [Range(0.01, 7 * 86_400)]
    public double MaxRetrySeconds { get; set; } = 6 * 3600;

    /// <summary>Attempts in all before a delivery is marked failed (the default spans about 15 hours).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>How often the dispatcher looks for due deliveries when it has nothing to do.</summary>
    [Range(10, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Deliveries this process sends at once.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// Allow webhook URLs that are or resolve to loopback, private, link-local or other internal
    /// addresses. Off by default, so a site admin cannot make the service call into its own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}

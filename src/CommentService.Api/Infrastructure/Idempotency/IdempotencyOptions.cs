using System.ComponentModel.DataAnnotations;

namespace CommentService.Api.Infrastructure.Idempotency;

/// <summary>Settings under "Comments:Idempotency" (README, "Automation").</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Comments:Idempotency";

    /// <summary>How long a key and its stored answer are kept; a retry after that runs as a new request.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a first request holds its key. A replica that dies mid-request leaves its key
    /// "in progress"; after this a retry may run the request again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

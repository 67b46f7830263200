using System.ComponentModel.DataAnnotations;

namespace CommentService.Api.Infrastructure.RateLimiting;

/// <summary>
/// Settings under "Comments:RateLimits" (README, "Rate limits"). Each action has its own limits per
/// client address and per author, per minute and per hour; 0 turns one limit off.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Comments:RateLimits";

    /// <summary>Off: nothing is limited (e.g. behind a gateway that limits already).</summary>
    public bool Enabled { get; set; } = true;

    public RateLimitSet Comments { get; set; } = new() { PerAddressPerMinute = 10, PerAddressPerHour = 100, PerAuthorPerMinute = 5, PerAuthorPerHour = 30 };

    /// <summary>For the votes routes (they call the same check).</summary>
    public RateLimitSet Votes { get; set; } = new() { PerAddressPerMinute = 60, PerAddressPerHour = 600, PerAuthorPerMinute = 30, PerAuthorPerHour = 300 };

    /// <summary>For the reports routes (they call the same check).</summary>
    public RateLimitSet Reports { get; set; } = new() { PerAddressPerMinute = 10, PerAddressPerHour = 50, PerAuthorPerMinute = 5, PerAuthorPerHour = 20 };

    /// <summary>For authors' appeals (one per comment; these bound how many comments one client appeals).</summary>
    public RateLimitSet Appeals { get; set; } = new() { PerAddressPerMinute = 5, PerAddressPerHour = 30, PerAuthorPerMinute = 3, PerAuthorPerHour = 10 };

    public RateLimitSet For(RateLimitedAction action) => action switch
    {
        RateLimitedAction.Comments => Comments,
        RateLimitedAction.Votes => Votes,
        RateLimitedAction.Reports => Reports,
        RateLimitedAction.Appeals => Appeals,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public bool IsValid() => new[] { Comments, Votes, Reports, Appeals }.All(s =>
        Validator.TryValidateObject(s, new ValidationContext(s), null, validateAllProperties: true));
}

public sealed class RateLimitSet
{
    [Range(0, 1_000_000)]
    public int PerAddressPerMinute { get; set; }

    [Range(0, 1_000_000)]
    public int PerAddressPerHour { get; set; }

    [Range(0, 1_000_000)]
    public int PerAuthorPerMinute { get; set; }

    [Range(0, 1_000_000)]
    public int PerAuthorPerHour { get; set; }
}

/// <summary>What a client is limited in doing; each has its own counters.</summary>
public enum RateLimitedAction
{
    Comments,
    Votes,
    Reports,
    Appeals,
}

using System.ComponentModel.DataAnnotations;

namespace CommentService.Api.Infrastructure;

/// <summary>Settings under "Comments" (README, "Configuration"). Validated at start-up.</summary>
public sealed class ServiceOptions
{
    public const string Section = "Comments";

    /// <summary>The operator's key (env COMMENTS_ADMIN_KEY). Without it operator routes answer 401.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Apply EF Core migrations at start-up.</summary>
    public bool ApplyMigrations { get; set; } = true;

    /// <summary>Deepest reply level accepted; top-level comments are depth 0.</summary>
    [Range(1, 64)]
    public int MaxDepth { get; set; } = 32;

    /// <summary>Largest request body accepted, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 128 * 1024;

    /// <summary>Largest import file (the body of POST /v1/sites/{siteId}/imports), in bytes.</summary>
    [Range(1024 * 1024, 2L * 1024 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 200 * 1024 * 1024;

    /// <summary>Extra reverse proxies (IP addresses) trusted to send X-Forwarded-For; loopback is always trusted.</summary>
    public List<string> TrustedProxies { get; set; } = [];
}

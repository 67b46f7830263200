using System.ComponentModel.DataAnnotations;

namespace CommentService.Api.Infrastructure;

/// <summary>Settings under "Comments" (README, "Configuration"). Validated at start-up.</summary>
public sealed class ServiceOptions
{
    public const string Section = "Comments";

    /// <summary>The operator's key (env COMMENTS_ADMIN_KEY). Without it operator routes answer 401.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Operator keys still accepted while a new <see cref="AdminKey"/> rolls out (env COMMENTS_ADMIN_KEY_PREVIOUS,
    /// comma-separated); removed once every script uses the new key.
    /// </summary>
    public List<string> PreviousAdminKeys { get; set; } = [];

    /// <summary>Connection limits against hostile or broken clients.</summary>
    public ConnectionLimits Limits { get; set; } = new();

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

/// <summary>Kestrel's limits (README, "Limits"): what one connection may send, and how slowly.</summary>
public sealed class ConnectionLimits
{
    /// <summary>All request headers together; more is 431.</summary>
    [Range(4096, 1024 * 1024)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Request headers per request; more is 431.</summary>
    [Range(16, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>The request line (method, target, version); longer is 414. Fits a 512-character article ID percent-encoded.</summary>
    [Range(4096, 64 * 1024)]
    public int MaxRequestLineBytes { get; set; } = 16 * 1024;

    /// <summary>Time for a client to send all its headers; after it the connection is closed (slowloris).</summary>
    [Range(1, 300)]
    public int RequestHeadersTimeoutSeconds { get; set; } = 15;

    /// <summary>How long an idle keep-alive connection stays open.</summary>
    [Range(1, 3600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 60;

    /// <summary>Slowest request body and response reading accepted after the grace period; slower is cut off.</summary>
    [Range(1, 1024 * 1024)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    [Range(1, 1024 * 1024)]
    public double MinResponseBytesPerSecond { get; set; } = 240;

    /// <summary>How long a slow start is forgiven; Kestrel needs more than one second.</summary>
    [Range(2, 60)]
    public int MinDataRateGraceSeconds { get; set; } = 5;

    /// <summary>Open connections per process; null for no limit (a load balancer in front usually limits).</summary>
    public long? MaxConcurrentConnections { get; set; }
}

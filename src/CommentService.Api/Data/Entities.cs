using CommentService.Api.Domain;

namespace CommentService.Api.Data;

public sealed class Site
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public List<string> AllowedOrigins { get; set; } = [];
    public int EditWindowMinutes { get; set; } = 15;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An article's comment thread: created by its first comment.</summary>
public sealed class ArticleThread
{
    public long Id { get; init; }
    public required string SiteId { get; init; }
    public required string ArticleId { get; init; }
    public string? Title { get; set; }
    public string? Url { get; set; }
    public bool Closed { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Maintained on every visibility change; what count badges show.</summary>
    public int ApprovedCount { get; set; }

    /// <summary>Last sibling number handed to a top-level comment.</summary>
    public long RootSequence { get; set; }
}

public sealed class Comment
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public long ThreadId { get; init; }
    public Guid? ParentId { get; init; }
    public required string Path { get; init; }
    public int Depth { get; init; }
    public CommentStatus Status { get; set; }
    public required string AuthorName { get; set; }

    /// <summary>Encrypted with ASP.NET Data Protection; never leaves the service in clear.</summary>
    public string? AuthorEmailProtected { get; set; }
    public string? AuthorUrl { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; set; }
    public required byte[] EditTokenHash { get; init; }

    /// <summary>HMAC of the client address with a server secret: lets bans and limits work without storing the address.</summary>
    public byte[]? IpHash { get; init; }
    public Guid? ApiKeyId { get; init; }

    /// <summary>Last sibling number handed to a direct reply.</summary>
    public long ChildSequence { get; set; }

    /// <summary>Approved direct replies, maintained.</summary>
    public int ReplyCount { get; set; }

    /// <summary>Approved comments anywhere below, maintained; a hidden comment with any is shown as a tombstone.</summary>
    public int VisibleDescendants { get; set; }
}

public sealed class ApiKey
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public required string Name { get; init; }
    public List<string> Scopes { get; init; } = [];
    public required byte[] KeyHash { get; init; }

    /// <summary>The first characters of the key, to tell keys apart in listings.</summary>
    public required string Prefix { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Secrets the service generates for itself once and every replica shares (e.g. the IP-hash key).</summary>
public sealed class ServerSecret
{
    public required string Name { get; init; }
    public required byte[] Value { get; init; }
}

using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Data;

/// <summary>
/// One fixed-window counter of a rate limit: how many requests one client (a keyed hash, never a raw
/// address) made in the current window. Shared by every replica; expired rows are swept by
/// <c>Housekeeping</c>.
/// </summary>
public sealed class RateLimitCounter
{
    /// <summary>What is limited and by what, e.g. <c>comments.address</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>Who is limited: a keyed hash (hex) or an author key, never personal data in clear.</summary>
    public required string Key { get; init; }
    public int WindowSeconds { get; init; }
    public DateTimeOffset WindowStart { get; set; }
    public int Hits { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A site's webhook endpoint: where events are POSTed, which ones, and the secret that signs them.</summary>
public sealed class Webhook
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public required string Url { get; init; }
    public List<string> Events { get; init; } = [];

    /// <summary>The signing secret, encrypted with ASP.NET Data Protection; shown in clear once, at creation.</summary>
    public required string SecretProtected { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// The outbox: an event written in the same transaction as the change that caused it, with the exact
/// JSON body every delivery of it sends.
/// </summary>
public sealed class WebhookEvent
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }
    public required string Type { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public required string Body { get; init; }
}

/// <summary>One event on its way to one webhook: the durable queue the dispatcher claims from.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; init; }
    public Guid EventId { get; init; }
    public Guid WebhookId { get; init; }

    /// <summary>pending, delivered or failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due; while an attempt is in flight, when its lease ends.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>The mapping of the rate-limit and webhook tables, applied by <see cref="CommentsDb"/>.</summary>
public static class LimitsAndEventsModel
{
    public const int UrlLength = 2048;
    public const int ErrorLength = 500;

    public static void ConfigureLimitsAndEvents(this ModelBuilder b)
    {
        b.Entity<RateLimitCounter>(e =>
        {
            e.ToTable("rate_limit_counters");
            e.HasKey(c => new { c.Scope, c.Key, c.WindowSeconds });
            e.Property(c => c.Scope).HasMaxLength(64);
            e.Property(c => c.Key).HasMaxLength(200);
            e.HasIndex(c => c.ExpiresAt);
        });

        b.Entity<Webhook>(e =>
        {
            e.ToTable("webhooks");
            e.Property(w => w.Id).ValueGeneratedNever();
            e.Property(w => w.Url).HasMaxLength(UrlLength);
            e.Property(w => w.Description).HasMaxLength(200);
            e.HasIndex(w => w.SiteId);
            e.HasOne<Site>().WithMany().HasForeignKey(w => w.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<WebhookEvent>(e =>
        {
            e.ToTable("webhook_events");
            e.Property(w => w.Id).ValueGeneratedNever();
            e.Property(w => w.Type).HasMaxLength(64);
            e.HasIndex(w => new { w.SiteId, w.OccurredAt });
            e.HasOne<Site>().WithMany().HasForeignKey(w => w.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries", t => t.HasCheckConstraint("ck_webhook_deliveries_status",
                "status IN ('pending','delivered','failed')"));
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.Status).HasMaxLength(16);
            e.Property(d => d.LastError).HasMaxLength(ErrorLength);
            // What the dispatcher polls: only pending rows, by due time.
            e.HasIndex(d => d.NextAttemptAt).HasFilter("status = 'pending'").HasDatabaseName("ix_webhook_deliveries_due");
            // A webhook's recent deliveries, newest first.
            e.HasIndex(d => new { d.WebhookId, d.CreatedAt });
            e.HasIndex(d => d.EventId);
            e.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    extension(CommentsDb db)
    {
        public DbSet<RateLimitCounter> RateLimitCounters => db.Set<RateLimitCounter>();
        public DbSet<Webhook> Webhooks => db.Set<Webhook>();
        public DbSet<WebhookEvent> WebhookEvents => db.Set<WebhookEvent>();
        public DbSet<WebhookDelivery> WebhookDeliveries => db.Set<WebhookDelivery>();
    }
}

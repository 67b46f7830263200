using System.ComponentModel.DataAnnotations;
using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommentService.Api.Infrastructure;

/// <summary>Settings under "Comments:Cleanup": how often operational rows are swept and how long delivery history is kept.</summary>
public sealed class CleanupOptions
{
    public const string Section = "Comments:Cleanup";

    /// <summary>Seconds between sweeps.</summary>
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>Delivered webhook deliveries are kept this many days.</summary>
    [Range(0, 3650)]
    public int DeliveredRetentionDays { get; set; } = 7;

    /// <summary>Failed webhook deliveries are kept this many days after their last attempt.</summary>
    [Range(0, 3650)]
    public int FailedRetentionDays { get; set; } = 30;
}

/// <summary>What one sweep deleted.</summary>
public sealed record CleanupResult(int RateLimitCounters, int WebhookDeliveries, int WebhookEvents, int IdempotencyKeys);

/// <summary>
/// Sweeps operational tables on a schedule: rate-limit counters whose window is over, idempotency
/// keys past their retention, and webhook deliveries (then events with no delivery left) older than
/// their retention. Deletes run in small
/// batches so they never hold long locks; an advisory lock lets one replica sweep at a time.
/// </summary>
public sealed class Housekeeping(
    IServiceScopeFactory scopes,
    DatabaseState database,
    IOptionsMonitor<CleanupOptions> options,
    ILogger<Housekeeping> log) : BackgroundService
{
    private const int BatchSize = 5000;
    private const long LockKey = 0x436f6d6d656e7401; // "Comment" + 1: this job's advisory lock

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(options.CurrentValue.IntervalSeconds), stoppingToken);
                if (!database.Ready)
                {
                    continue;
                }
                try
                {
                    var result = await RunOnceAsync(stoppingToken);
                    if (result.RateLimitCounters + result.WebhookDeliveries + result.WebhookEvents + result.IdempotencyKeys > 0)
                    {
                        log.LogInformation("Clean-up deleted {Counters} rate-limit counters, {Deliveries} webhook deliveries, {Events} webhook events, {Keys} idempotency keys",
                            result.RateLimitCounters, result.WebhookDeliveries, result.WebhookEvents, result.IdempotencyKeys);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning("Clean-up failed ({Error}); trying again at the next interval", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep, now. Waits while another replica sweeps, then finds little left to do.</summary>
    public async Task<CleanupResult> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@p0)", ct, LockKey);
        try
        {
            var counters = await DeleteInBatchesAsync(connection, "rate_limit_counters", "expires_at < now()", ct);
            var deliveries = await DeleteInBatchesAsync(connection, "webhook_deliveries",
                "(status = 'delivered' AND delivered_at < now() - make_interval(days => @p0))"
                + " OR (status = 'failed' AND last_attempt_at < now() - make_interval(days => @p1))",
                ct, settings.DeliveredRetentionDays, settings.FailedRetentionDays);
            var events = await DeleteInBatchesAsync(connection, "webhook_events",
                "NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)", ct);
            var idempotencyKeys = await DeleteInBatchesAsync(connection, "idempotency_keys", "expires_at < now()", ct);
            return new CleanupResult(counters, deliveries, events, idempotencyKeys);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@p0)", CancellationToken.None, LockKey);
        }
    }

    private static async Task<int> DeleteInBatchesAsync(NpgsqlConnection connection, string table, string condition, CancellationToken ct, params object[] parameters)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await ExecuteAsync(connection,
                $"DELETE FROM {table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table} WHERE {condition} LIMIT {BatchSize}))", ct, parameters);
            total += deleted;
        } while (deleted == BatchSize);
        return total;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            cmd.Parameters.AddWithValue("p" + i, parameters[i]);
        }
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

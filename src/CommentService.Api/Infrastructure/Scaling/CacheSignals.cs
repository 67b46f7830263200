using System.Collections.Concurrent;
using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace CommentService.Api.Infrastructure.Scaling;

/// <summary>
/// Tells every instance to drop a cached value at once, through PostgreSQL's LISTEN/NOTIFY on the
/// primary: the instance that changes a cached thing publishes "topic:key", and every instance (itself
/// included) runs the handlers registered for the topic. Caches keep their own expiry as the bound for
/// the time the listening connection is down; after it reconnects, every cache entry is dropped,
/// since notifications sent meanwhile are lost.
/// </summary>
public sealed class CacheSignals(IConfiguration configuration, IMemoryCache cache, DatabaseState database, ILogger<CacheSignals> log) : BackgroundService
{
    public const string Channel = "comments_cache";

    private readonly ConcurrentDictionary<string, Action<string>> handlers = new(StringComparer.Ordinal);
    private volatile bool listening;

    /// <summary>True while the listening connection is up (notifications arrive).</summary>
    public bool Listening => listening;

    public void Subscribe(string topic, Action<string> handler) => handlers[topic] = handler;

    /// <summary>Publishes on the request's connection: the notification goes out when its transaction commits.</summary>
    public static async Task PublishAsync(CommentsDb db, string topic, string key, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {topic + ":" + key})", ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString("Comments");
        if (string.IsNullOrEmpty(connectionString))
        {
            return;
        }
        // A session of its own, outside the pool: LISTEN lasts as long as the session, and a pooled one would be reset.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 };
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!database.Ready)
                {
                    await Task.Delay(delay, stoppingToken);
                    continue;
                }
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                listening = true;
                // Anything published while no connection listened is lost: drop every cached value once.
                (cache as MemoryCache)?.Compact(1.0);
                delay = TimeSpan.FromMilliseconds(500);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (listening)
                {
                    log.LogWarning("Cache invalidation connection lost ({Error}); caches fall back to their expiry until it is back", ex.Message);
                }
                listening = false;
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        listening = false;
    }

    private void Dispatch(string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && handlers.TryGetValue(payload[..colon], out var handler))
        {
            handler(payload[(colon + 1)..]);
        }
    }
}

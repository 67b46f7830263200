using System.Globalization;
using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CommentService.Api.Infrastructure.RateLimiting;

/// <summary>At most <paramref name="Limit"/> requests per <paramref name="Window"/> for <paramref name="Key"/> in <paramref name="Scope"/>.</summary>
/// <param name="Scope">What is limited, e.g. <c>comments.address</c>; each scope and window has its own counters.</param>
/// <param name="Key">Who is limited: a keyed hash or an author key, never a raw address or email.</param>
/// <param name="Limit">Requests allowed per window; 0 or less: not limited.</param>
/// <param name="Window">The fixed window, whole seconds, aligned on the database clock.</param>
public sealed record RateLimitRule(string Scope, string Key, int Limit, TimeSpan Window);

/// <param name="Allowed">False when a limit is exceeded.</param>
/// <param name="RetryAfter">When refused: how long until every exceeded window has ended.</param>
/// <param name="Exceeded">When refused: the rule that decided the wait.</param>
public sealed record RateLimitDecision(bool Allowed, TimeSpan RetryAfter, RateLimitRule? Exceeded)
{
    public static readonly RateLimitDecision Allow = new(true, TimeSpan.Zero, null);

    /// <summary>Retry-After in whole seconds, at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}

/// <summary>
/// Fixed-window rate limits with their counters in PostgreSQL, so every replica shares them. One
/// statement counts the request in all its windows at once (<c>INSERT … ON CONFLICT DO UPDATE …
/// RETURNING</c>, one round trip, atomic per counter). Every checked request counts, refused ones
/// too: a client hammering past its limit stays refused until the window ends.
/// </summary>
public sealed class RateLimiter(CommentsDb db)
{
    // Windows are aligned on the database's clock, not each replica's, so replicas agree on them.
    private const string CountSql = """
        INSERT INTO rate_limit_counters AS c (scope, key, window_seconds, window_start, hits, expires_at)
        SELECT r.scope, r.key, r.window_seconds, w.start, 1, w.start + make_interval(secs => r.window_seconds)
        FROM unnest(@scopes, @keys, @windows) AS r(scope, key, window_seconds)
        CROSS JOIN LATERAL (SELECT to_timestamp(floor(extract(epoch FROM now()) / r.window_seconds) * r.window_seconds) AS start) w
        ON CONFLICT (scope, key, window_seconds) DO UPDATE SET
            hits = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.hits + 1 ELSE 1 END,
            window_start = EXCLUDED.window_start,
            expires_at = EXCLUDED.expires_at
        RETURNING c.scope, c.key, c.window_seconds, c.hits, extract(epoch FROM c.expires_at - now())::float8
        """;

    public Task<RateLimitDecision> CheckAsync(string scope, string key, int limit, TimeSpan window, CancellationToken ct) =>
        CheckAsync([new RateLimitRule(scope, key, limit, window)], ct);

    /// <summary>Counts one request against every rule; refused when any rule's count goes over its limit.</summary>
    public async Task<RateLimitDecision> CheckAsync(IReadOnlyCollection<RateLimitRule> rules, CancellationToken ct)
    {
        // Rules with no limit are not counted; the same counter twice in one statement is an error in PostgreSQL.
        var active = rules.Where(r => r.Limit > 0)
            .GroupBy(r => (r.Scope, r.Key, Seconds: WindowSeconds(r.Window)))
            .Select(g => g.MinBy(r => r.Limit)!)
            .ToList();
        if (active.Count == 0)
        {
            return RateLimitDecision.Allow;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        try
        {
            await using var cmd = new NpgsqlCommand(CountSql, connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
            cmd.Parameters.Add(new NpgsqlParameter("scopes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = active.Select(r => r.Scope).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = active.Select(r => r.Key).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("windows", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = active.Select(r => WindowSeconds(r.Window)).ToArray() });

            var refused = RateLimitDecision.Allow;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var rule = active.Single(r => r.Scope == reader.GetString(0) && r.Key == reader.GetString(1) && WindowSeconds(r.Window) == reader.GetInt32(2));
                var wait = TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(4)));
                // When several limits are exceeded, the client must wait for the last of them to free.
                if (reader.GetInt32(3) > rule.Limit && (refused.Allowed || wait > refused.RetryAfter))
                {
                    refused = new RateLimitDecision(false, wait, rule);
                }
            }
            return refused;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static int WindowSeconds(TimeSpan window) =>
        window >= TimeSpan.FromSeconds(1) ? (int)window.TotalSeconds
            : throw new ArgumentOutOfRangeException(nameof(window), window.ToString("c", CultureInfo.InvariantCulture), "A window is at least one second.");
}

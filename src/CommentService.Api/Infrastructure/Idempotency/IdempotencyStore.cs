using CommentService.Api.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CommentService.Api.Infrastructure.Idempotency;

/// <summary>A finished request's answer, replayed to every retry with the same key.</summary>
public sealed record StoredAnswer(int StatusCode, string? ContentType, string? Location, byte[] Body);

public enum ClaimOutcome
{
    /// <summary>This request holds the key: run it, then complete or release the claim.</summary>
    Claimed,

    /// <summary>An earlier request with the key and the same fingerprint finished: replay its answer.</summary>
    Replay,

    /// <summary>An earlier request with the key and the same fingerprint is still running.</summary>
    InProgress,

    /// <summary>
    /// An earlier request with the key and the same fingerprint committed its write, but its answer was
    /// never stored (its replica died, or it failed after the commit): the write must not run again.
    /// </summary>
    AnswerLost,

    /// <summary>The key was used for a different request.</summary>
    Mismatch,
}

/// <summary>The outcome of a claim; <paramref name="Token"/> names a claim this request holds, <paramref name="Location"/> what a lost answer created.</summary>
public sealed record Claim(ClaimOutcome Outcome, StoredAnswer? Answer = null, Guid Token = default, string? Location = null);

/// <summary>
/// Idempotency keys in PostgreSQL, so a retry that reaches another replica finds the first answer.
/// A claim is one <c>INSERT … ON CONFLICT</c>: of any number of concurrent requests with one key,
/// exactly one inserts (or takes over an expired or abandoned row) and runs. A row whose write committed
/// (<c>committed_at</c>, set in the write's own transaction by <see cref="IdempotencyCommitMark"/>) is never
/// taken over while it is kept, so a write runs at most once per key even when its answer is lost.
/// </summary>
public sealed class IdempotencyStore(IServiceScopeFactory scopes, IDataProtectionProvider protection)
{
    private const string ClaimSql = """
        INSERT INTO idempotency_keys AS k (scope, key, fingerprint, created_at, locked_until, expires_at, claim_token)
        VALUES (@scope, @key, @fingerprint, now(), now() + @lock, now() + @retention, @token)
        ON CONFLICT (scope, key) DO UPDATE SET
            fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at,
            locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at, claim_token = EXCLUDED.claim_token,
            status_code = NULL, content_type = NULL, location = NULL, body_protected = NULL, committed_at = NULL
        WHERE k.expires_at <= now()
           OR (k.status_code IS NULL AND k.committed_at IS NULL AND k.locked_until <= now() AND k.fingerprint = EXCLUDED.fingerprint)
        RETURNING 1
        """;

    private const string ReadSql = """
        SELECT fingerprint, status_code, content_type, location, body_protected, committed_at IS NOT NULL, locked_until > now()
        FROM idempotency_keys WHERE scope = @scope AND key = @key
        """;

    private const string CompleteSql = """
        UPDATE idempotency_keys SET status_code = @status, content_type = @contentType, location = @location, body_protected = @body
        WHERE scope = @scope AND key = @key AND claim_token = @token AND status_code IS NULL
        """;

    // A claim whose write committed is kept (a retry must not run it again); its lock ends now, so a
    // retry learns at once that the answer is lost instead of waiting for the lock.
    private const string ReleaseSql = """
        WITH released AS (
            DELETE FROM idempotency_keys
            WHERE scope = @scope AND key = @key AND claim_token = @token AND status_code IS NULL AND committed_at IS NULL)
        UPDATE idempotency_keys SET locked_until = now()
        WHERE scope = @scope AND key = @key AND claim_token = @token AND status_code IS NULL AND committed_at IS NOT NULL
        """;

    private IDataProtector Protector => protection.CreateProtector("CommentService.IdempotentResponse.v1");

    public async Task<Claim> ClaimAsync(string scope, string key, byte[] fingerprint, IdempotencyOptions options, CancellationToken ct)
    {
        // A row released between our insert and our read is gone: claim again (bounded; it cannot keep happening).
        for (var attempt = 0; ; attempt++)
        {
            await using var lease = await OpenAsync(ct);
            var token = Guid.NewGuid();
            await using (var claim = Command(lease.Connection, ClaimSql, scope, key, fingerprint))
            {
                claim.Parameters.AddWithValue("token", token);
                claim.Parameters.Add(new NpgsqlParameter("lock", NpgsqlDbType.Interval) { Value = options.LockTimeout });
                claim.Parameters.Add(new NpgsqlParameter("retention", NpgsqlDbType.Interval) { Value = options.Retention });
                if (await claim.ExecuteScalarAsync(ct) is not null)
                {
                    return new Claim(ClaimOutcome.Claimed, Token: token);
                }
            }
            await using var read = Command(lease.Connection, ReadSql, scope, key, fingerprint);
            await using var row = await read.ExecuteReaderAsync(ct);
            if (!await row.ReadAsync(ct))
            {
                if (attempt < 3)
                {
                    continue;
                }
                return new Claim(ClaimOutcome.InProgress);
            }
            if (!row.GetFieldValue<byte[]>(0).AsSpan().SequenceEqual(fingerprint))
            {
                return new Claim(ClaimOutcome.Mismatch);
            }
            if (row.IsDBNull(1))
            {
                // Committed and no longer held: the request that wrote is gone without storing its answer.
                return row.GetBoolean(5) && !row.GetBoolean(6)
                    ? new Claim(ClaimOutcome.AnswerLost, Location: row.IsDBNull(3) ? null : row.GetString(3))
                    : new Claim(ClaimOutcome.InProgress);
            }
            var body = row.IsDBNull(4) ? [] : Protector.Unprotect(row.GetFieldValue<byte[]>(4));
            return new Claim(ClaimOutcome.Replay, new StoredAnswer(
                row.GetInt32(1),
                row.IsDBNull(2) ? null : row.GetString(2),
                row.IsDBNull(3) ? null : row.GetString(3),
                body));
        }
    }

    public async Task CompleteAsync(string scope, string key, Guid token, StoredAnswer answer, CancellationToken ct)
    {
        await using var lease = await OpenAsync(ct);
        await using var cmd = Command(lease.Connection, CompleteSql, scope, key, token);
        cmd.Parameters.AddWithValue("status", answer.StatusCode);
        cmd.Parameters.Add(new NpgsqlParameter("contentType", NpgsqlDbType.Text) { Value = (object?)answer.ContentType ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("location", NpgsqlDbType.Text) { Value = (object?)answer.Location ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Bytea) { Value = Protector.Protect(answer.Body) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Gives the key up after an answer that must not be replayed (5xx, 429), so a retry runs again; a claim
    /// whose write committed stays, and its retries learn the answer was lost.
    /// </summary>
    public async Task ReleaseAsync(string scope, string key, Guid token, CancellationToken ct)
    {
        await using var lease = await OpenAsync(ct);
        await using var cmd = Command(lease.Connection, ReleaseSql, scope, key, token);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<Lease> OpenAsync(CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        await db.Database.OpenConnectionAsync(ct);
        return new Lease(scope, (NpgsqlConnection)db.Database.GetDbConnection());
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string scope, string key, Guid token)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("token", token);
        return cmd;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string scope, string key, byte[] fingerprint)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("fingerprint", fingerprint);
        return cmd;
    }

    private sealed class Lease(AsyncServiceScope scope, NpgsqlConnection connection) : IAsyncDisposable
    {
        public NpgsqlConnection Connection { get; } = connection;

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}

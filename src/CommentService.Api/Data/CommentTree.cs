using System.Data.Common;
using CommentService.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CommentService.Api.Data;

public sealed record ThreadLock(long Id, bool Closed, DateTimeOffset CreatedAt);

public sealed record ParentRef(Guid Id, string SiteId, long ThreadId, string Path, int Depth, CommentStatus Status);

/// <summary>
/// Writes to the comment tree. Every write in a thread first locks the thread's row, so writers in
/// one thread are serialized (no deadlocks, no duplicate sibling numbers) while threads stay independent.
/// Counters are adjusted here and only here, in the same transaction as the change they count.
/// </summary>
public sealed class CommentTree(CommentsDb db)
{
    /// <summary>Finds or creates the article's thread and locks it for the rest of the transaction.</summary>
    public async Task<ThreadLock> LockOrCreateThreadAsync(string siteId, string articleId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = Command("""
            INSERT INTO threads (site_id, article_id, created_at, closed, approved_count, root_sequence)
            VALUES (@site, @article, @now, false, 0, 0)
            ON CONFLICT (site_id, article_id) DO UPDATE SET closed = threads.closed
            RETURNING id, closed, created_at
            """);
        cmd.Parameters.AddWithValue("site", siteId);
        cmd.Parameters.AddWithValue("article", articleId);
        cmd.Parameters.AddWithValue("now", now);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ThreadLock(reader.GetInt64(0), reader.GetBoolean(1), reader.GetFieldValue<DateTimeOffset>(2));
    }

    /// <summary>Locks the thread of a comment before the comment is read for a change; false when there is no such comment.</summary>
    public async Task<bool> LockThreadOfAsync(string siteId, Guid commentId, CancellationToken ct)
    {
        await using var cmd = Command("""
            SELECT t.id FROM threads t JOIN comments c ON c.thread_id = t.id
            WHERE c.id = @c AND c.site_id = @s FOR UPDATE OF t
            """);
        cmd.Parameters.AddWithValue("c", commentId);
        cmd.Parameters.AddWithValue("s", siteId);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public async Task<ParentRef?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = Command("SELECT id, site_id, thread_id, path, depth, status FROM comments WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new ParentRef(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4),
                CommentStatusNames.FromWire(reader.GetString(5)))
            : null;
    }

    /// <summary>
    /// The next sibling number under <paramref name="parent"/> (or at the top of the thread). Runs
    /// under the thread lock, so concurrent replies get distinct numbers in commit order.
    /// </summary>
    public async Task<string> NextPathAsync(long threadId, ParentRef? parent, CancellationToken ct)
    {
        await using var cmd = parent is null
            ? Command("UPDATE threads SET root_sequence = root_sequence + 1 WHERE id = @id RETURNING root_sequence")
            : Command("UPDATE comments SET child_sequence = child_sequence + 1 WHERE id = @id RETURNING child_sequence");
        if (parent is null)
        {
            cmd.Parameters.AddWithValue("id", threadId);
        }
        else
        {
            cmd.Parameters.AddWithValue("id", parent.Id);
        }
        var sequence = (long)(await cmd.ExecuteScalarAsync(ct))!;
        return CommentPath.Child(parent?.Path, sequence);
    }

    /// <summary>
    /// Saves a tracked comment's changes with its new status and keeps the counters true. Call it
    /// inside a transaction that holds the thread lock.
    /// </summary>
    public async Task SaveWithStatusAsync(Comment comment, CommentStatus status, CancellationToken ct)
    {
        var delta = (status == CommentStatus.Approved ? 1 : 0) - (comment.Status == CommentStatus.Approved ? 1 : 0);
        comment.Status = status;
        comment.ModerationVersion++;
        await db.SaveChangesAsync(ct);
        if (delta != 0)
        {
            await ApplyVisibilityChangeAsync(comment.ThreadId, comment.ParentId, comment.Path, delta, ct);
        }
    }

    /// <summary>
    /// Keeps the counters true when a comment becomes visible (+1) or stops being visible (-1):
    /// the thread's approved count, the parent's reply count, and every ancestor's count of visible
    /// descendants (which decides whether a hidden ancestor shows as a tombstone).
    /// </summary>
    public async Task ApplyVisibilityChangeAsync(long threadId, Guid? parentId, string path, int delta, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), Transaction());
        batch.BatchCommands.Add(BatchCommand("UPDATE threads SET approved_count = approved_count + @d WHERE id = @t",
            ("d", delta), ("t", threadId)));
        if (parentId is { } parent)
        {
            batch.BatchCommands.Add(BatchCommand("UPDATE comments SET reply_count = reply_count + @d WHERE id = @p",
                ("d", delta), ("p", parent)));
            batch.BatchCommands.Add(BatchCommand(
                "UPDATE comments SET visible_descendants = visible_descendants + @d WHERE thread_id = @t AND path = ANY(@a)",
                ("d", delta), ("t", threadId), ("a", CommentPath.Ancestors(path))));
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    private NpgsqlCommand Command(string sql) =>
        new(sql, (NpgsqlConnection)db.Database.GetDbConnection(), Transaction());

    private NpgsqlTransaction? Transaction() => (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();

    private static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}

using System.Text;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure.Scaling;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommentService.Api.Features.Comments.ListThread;

/// <summary>
/// Reads a page of a thread with index range scans only: one query for the page's items (top-level
/// comments, or the replies of one comment) and one for all their subtrees in depth-first order
/// (ORDER BY path, capped per item with LATERAL ... LIMIT). No recursion, no query per comment.
/// A third, batched query runs only when a subtree was cut, to tell which comments have more replies.
/// Reads go through <see cref="ReadDb"/>: to the read replica when one is in use.
/// </summary>
public sealed class ThreadReader(ReadDb reads)
{
    private const string Columns =
        "c.id, c.parent_id, c.path, c.depth, c.status, c.author_name, c.author_url, c.body, c.created_at, c.edited_at, c.reply_count, c.body_html, c.pinned, c.author_verified, c.author_avatar_url, c.upvotes, c.downvotes, c.score";

    private const string Shown = "(c.status = 'approved' OR c.visible_descendants > 0)";

    public sealed record ThreadInfo(long Id, int ApprovedCount, string? Title, bool Closed, DateTimeOffset CreatedAt);

    public sealed record Item(string Path, Guid? ParentId);

    public async Task<ThreadInfo?> FindThreadAsync(string siteId, string articleId, CancellationToken ct)
    {
        await using var cmd = await CommandAsync("SELECT id, approved_count, title, closed, created_at FROM threads WHERE site_id = @s AND article_id = @a", ct);
        cmd.Parameters.AddWithValue("s", siteId);
        cmd.Parameters.AddWithValue("a", articleId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ThreadInfo(reader.GetInt64(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3), reader.GetFieldValue<DateTimeOffset>(4)) : null;
    }

    /// <summary>The path of a shown comment of the thread, or null.</summary>
    public async Task<string?> FindShownPathAsync(long threadId, Guid commentId, CancellationToken ct)
    {
        await using var cmd = await CommandAsync($"SELECT c.path FROM comments c WHERE c.id = @id AND c.thread_id = @t AND {Shown}", ct);
        cmd.Parameters.AddWithValue("id", commentId);
        cmd.Parameters.AddWithValue("t", threadId);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    public async Task<(List<ThreadComment> Items, ThreadPosition? Last, bool HasMore)> ReadPageAsync(
        long threadId, Guid? parentId, ThreadSort sort, ThreadPosition? after, int limit, int maxReplies, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM comments c WHERE c.thread_id = @t AND {Shown} AND ");
        // Pinned top-level comments lead the first page and are left out of the paging order.
        sql.Append(parentId is null ? "c.parent_id IS NULL AND NOT c.pinned" : "c.parent_id = @p");
        if (after is not null)
        {
            sql.Append(sort switch
            {
                ThreadSort.Newest => " AND c.path < @after",
                ThreadSort.Top => " AND (c.score < @score OR (c.score = @score AND c.path > @after))",
                _ => " AND c.path > @after",
            });
        }
        sql.Append(sort switch
        {
            ThreadSort.Newest => " ORDER BY c.path DESC",
            ThreadSort.Top => " ORDER BY c.score DESC, c.path",
            _ => " ORDER BY c.path",
        }).Append(" LIMIT @n");

        await using var cmd = await CommandAsync(sql.ToString(), ct);
        cmd.Parameters.AddWithValue("t", threadId);
        if (parentId is { } p)
        {
            cmd.Parameters.AddWithValue("p", p);
        }
        if (after is { } position)
        {
            cmd.Parameters.AddWithValue("after", position.Path);
            cmd.Parameters.AddWithValue("score", position.Score);
        }
        cmd.Parameters.AddWithValue("n", limit + 1);
        var rows = await ReadRowsAsync(cmd, ct);

        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        var all = parentId is null && after is null ? [.. await ReadPinnedAsync(threadId, ct), .. rows] : rows;
        if (maxReplies > 0 && all.Count > 0)
        {
            await AttachRepliesAsync(threadId, all, maxReplies, ct);
        }
        return (all.Select(r => r.Node).ToList(), rows.Count > 0 ? new ThreadPosition(rows[^1].Path, rows[^1].Node.Score) : null, hasMore);
    }

    private async Task<List<Row>> ReadPinnedAsync(long threadId, CancellationToken ct)
    {
        await using var cmd = await CommandAsync(
            $"SELECT {Columns} FROM comments c WHERE c.thread_id = @t AND c.parent_id IS NULL AND c.pinned AND {Shown} ORDER BY c.path LIMIT @n", ct);
        cmd.Parameters.AddWithValue("t", threadId);
        cmd.Parameters.AddWithValue("n", Limits.MaxPinnedPerThread);
        return await ReadRowsAsync(cmd, ct);
    }

    private async Task AttachRepliesAsync(long threadId, List<Row> items, int maxReplies, CancellationToken ct)
    {
        await using var cmd = await CommandAsync($"""
            SELECT r.ord, {Columns}
            FROM unnest(@paths::text[]) WITH ORDINALITY AS r(path, ord)
            CROSS JOIN LATERAL (
                SELECT {Columns} FROM comments c
                WHERE c.thread_id = @t AND c.path > r.path AND c.path < r.path || '~' AND {Shown}
                ORDER BY c.path
                LIMIT @m
            ) c
            ORDER BY r.ord, c.path
            """, ct);
        cmd.Parameters.AddWithValue("t", threadId);
        cmd.Parameters.AddWithValue("paths", items.Select(i => i.Path).ToArray());
        cmd.Parameters.AddWithValue("m", maxReplies + 1);
        var rows = await ReadRowsAsync(cmd, ct, skipFirstColumn: true, withOrdinal: true);

        var cuts = new List<(Row Ancestor, string After, bool Certain)>();
        foreach (var group in rows.GroupBy(r => r.Ordinal))
        {
            var item = items[(int)group.Key - 1];
            var byId = new Dictionary<Guid, Row> { [item.Node.Id] = item };
            var byPath = new Dictionary<string, Row> { [item.Path] = item };
            var lastChild = new Dictionary<Guid, string>();
            var shown = 0;
            foreach (var row in group)
            {
                if (shown == maxReplies)
                {
                    // The first row left out: every comment above it may have more replies.
                    foreach (var ancestorPath in CommentPath.Ancestors(row.Path).Where(a => a.Length >= item.Path.Length))
                    {
                        var ancestor = byPath[ancestorPath];
                        var after = lastChild.GetValueOrDefault(ancestor.Node.Id, ancestor.Path);
                        cuts.Add((ancestor, after, ancestor.Node.Id == row.Node.ParentId));
                    }
                    break;
                }
                byId[row.Node.Id] = row;
                byPath[row.Path] = row;
                byId[row.Node.ParentId!.Value].Node.Replies.Add(row.Node);
                lastChild[row.Node.ParentId!.Value] = row.Path;
                shown++;
            }
        }
        if (cuts.Count == 0)
        {
            return;
        }

        var uncertain = cuts.Where(c => !c.Certain).ToList();
        var more = uncertain.Count == 0 ? [] : await HasMoreChildrenAsync(threadId, uncertain.Select(c => (c.Ancestor.Node.Id, c.After)).ToList(), ct);
        foreach (var cut in cuts)
        {
            if (cut.Certain || more.Contains(cut.Ancestor.Node.Id))
            {
                cut.Ancestor.Node.RepliesCursor = ThreadCursor.Encode(ThreadSort.Oldest, new ThreadPosition(cut.After, 0));
            }
        }
    }

    private async Task<HashSet<Guid>> HasMoreChildrenAsync(long threadId, List<(Guid Parent, string After)> checks, CancellationToken ct)
    {
        await using var cmd = await CommandAsync($"""
            SELECT r.parent FROM unnest(@parents::uuid[], @afters::text[]) AS r(parent, after)
            WHERE EXISTS (SELECT 1 FROM comments c
                          WHERE c.thread_id = @t AND c.parent_id = r.parent AND c.path > r.after AND {Shown})
            """, ct);
        cmd.Parameters.AddWithValue("t", threadId);
        cmd.Parameters.AddWithValue("parents", checks.Select(c => c.Parent).ToArray());
        cmd.Parameters.AddWithValue("afters", checks.Select(c => c.After).ToArray());
        var result = new HashSet<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(reader.GetGuid(0));
        }
        return result;
    }

    private sealed record Row(long Ordinal, string Path, ThreadComment Node);

    private static async Task<List<Row>> ReadRowsAsync(NpgsqlCommand cmd, CancellationToken ct, bool skipFirstColumn = false, bool withOrdinal = false)
    {
        var rows = new List<Row>();
        var o = skipFirstColumn ? 1 : 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var status = CommentStatusNames.FromWire(reader.GetString(o + 4));
            var visible = status == CommentStatus.Approved;
            var node = new ThreadComment
            {
                Id = reader.GetGuid(o),
                ParentId = reader.IsDBNull(o + 1) ? null : reader.GetGuid(o + 1),
                Depth = reader.GetInt32(o + 3),
                Status = visible ? "approved" : "deleted",
                Tombstone = !visible,
                AuthorName = visible ? reader.GetString(o + 5) : null,
                AuthorUrl = visible && !reader.IsDBNull(o + 6) ? reader.GetString(o + 6) : null,
                Body = visible ? reader.GetString(o + 7) : null,
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(o + 8),
                EditedAt = visible && !reader.IsDBNull(o + 9) ? reader.GetFieldValue<DateTimeOffset>(o + 9) : null,
                ReplyCount = reader.GetInt32(o + 10),
                BodyHtml = visible ? reader.GetString(o + 11) : null,
                Pinned = reader.GetBoolean(o + 12),
                AuthorVerified = visible && reader.GetBoolean(o + 13),
                AuthorAvatarUrl = visible && !reader.IsDBNull(o + 14) ? reader.GetString(o + 14) : null,
                Upvotes = reader.GetInt32(o + 15),
                Downvotes = reader.GetInt32(o + 16),
                Score = reader.GetInt32(o + 17),
            };
            rows.Add(new Row(withOrdinal ? reader.GetInt64(0) : 0, reader.GetString(o + 2), node));
        }
        return rows;
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken ct)
    {
        var db = await reads.GetAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        return new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
    }
}

/// <summary>Opaque page cursors: the sort they belong to and the path to continue after.</summary>
public enum ThreadSort
{
    Oldest,
    Newest,
    Top,
}

/// <summary>Where a page ends: the path, and for sort=top also the score it had.</summary>
public readonly record struct ThreadPosition(string Path, int Score);

/// <summary>Opaque page cursors: the sort they belong to and the position to continue after.</summary>
public static class ThreadCursor
{
    public static string Encode(ThreadSort sort, ThreadPosition after)
    {
        var text = sort switch
        {
            ThreadSort.Newest => "n" + after.Path,
            ThreadSort.Top => "t" + after.Score.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + after.Path,
            _ => "o" + after.Path,
        };
        return System.Buffers.Text.Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));
    }

    /// <summary>The position to continue after, or null when the cursor is not one of ours for this sort.</summary>
    public static ThreadPosition? Decode(string cursor, ThreadSort sort)
    {
        try
        {
            var text = Encoding.ASCII.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor));
            var expected = sort switch { ThreadSort.Newest => 'n', ThreadSort.Top => 't', _ => 'o' };
            if (text.Length < 2 || text[0] != expected)
            {
                return null;
            }
            var score = 0;
            var path = text[1..];
            if (sort == ThreadSort.Top)
            {
                var colon = path.IndexOf(':');
                if (colon < 1 || !int.TryParse(path[..colon], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out score))
                {
                    return null;
                }
                path = path[(colon + 1)..];
            }
            return CommentPath.IsWellFormed(path) ? new ThreadPosition(path, score) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

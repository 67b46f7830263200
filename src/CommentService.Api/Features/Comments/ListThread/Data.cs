using System.Text;
using CommentService.Api.Domain;
using Npgsql;

namespace CommentService.Api.Features.Comments.ListThread;

/// <summary>
/// Reads a page of a thread with index range scans only, in at most three statements whatever the
/// thread's size: one for the site, the thread (with its version, for the ETag) and the parent of a
/// replies page; one for the page's items (pinned comments first, then top-level comments or one
/// comment's replies) together with all their subtrees in depth-first order (ORDER BY path, capped per
/// item with LATERAL ... LIMIT); and, only when a subtree was cut, one batched query telling which of
/// the comments above the cut have more replies. No recursion, no query per comment, no EF on this path.
/// </summary>
public sealed class ThreadReader
{
    private static readonly string[] ColumnNames =
    [
        "id", "parent_id", "path", "depth", "status", "author_name", "author_url", "body", "created_at", "edited_at",
        "reply_count", "body_html", "pinned", "author_verified", "author_avatar_url", "upvotes", "downvotes", "score",
    ];

    private static string Columns(string alias) => string.Join(", ", ColumnNames.Select(n => alias + "." + n));

    private const string Shown = "(c.status = 'approved' OR c.visible_descendants > 0)";

    /// <summary>Sees every command before it runs (the benchmark records them to replay with pgbench).</summary>
    public Action<NpgsqlCommand>? Observer { get; init; }

    /// <param name="Id">The thread's id.</param>
    /// <param name="ApprovedCount">Approved comments in the thread.</param>
    /// <param name="Title">Set by a moderator.</param>
    /// <param name="Closed">Closed by a moderator (auto-closing is decided with the site's setting).</param>
    /// <param name="CreatedAt">When the first comment came.</param>
    /// <param name="Version">Id of the last transaction that changed any of the thread's comments.</param>
    /// <param name="ParentPath">With a parent id: the parent's path, or null when it is not a shown comment of this thread.</param>
    public sealed record ThreadInfo(long Id, int ApprovedCount, string? Title, bool Closed, DateTimeOffset CreatedAt, long Version, string? ParentPath);

    /// <summary>What one statement tells about the site and the article: null when the site does not exist.</summary>
    public sealed record Lookup(int? AutoCloseAfterDays, ThreadInfo? Thread);

    /// <summary>The site (its auto-close setting), the article's thread if any, and the path of a shown parent comment.</summary>
    public async Task<Lookup?> FindAsync(NpgsqlDataSource from, string siteId, string articleId, Guid? parentId, CancellationToken ct)
    {
        await using var connection = await from.OpenConnectionAsync(ct);
        await using var cmd = Command(connection, $"""
            SELECT s.auto_close_after_days, t.id, t.approved_count, t.title, t.closed, t.created_at, t.version, c.path
            FROM sites s
            LEFT JOIN threads t ON t.site_id = s.id AND t.article_id = @a
            LEFT JOIN comments c ON c.id = @p AND c.thread_id = t.id AND {Shown}
            WHERE s.id = @s
            """);
        cmd.Parameters.AddWithValue("s", siteId);
        cmd.Parameters.AddWithValue("a", articleId);
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("p", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = parentId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        var autoClose = reader.IsDBNull(0) ? (int?)null : reader.GetInt32(0);
        var thread = reader.IsDBNull(1) ? null : new ThreadInfo(reader.GetInt64(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetBoolean(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7));
        return new Lookup(autoClose, thread);
    }

    /// <summary>
    /// The page's SQL: pinned comments (first page of the top level only), the page of items with their
    /// order k, and each item's first maxReplies + 1 shown descendants by path. Rows come ordered by
    /// group (pinned first), k, then the item before its descendants.
    /// </summary>
    public static string PageSql(ThreadSort sort, bool byParent, bool withPinned, bool hasAfter, bool withReplies)
    {
        var order = sort switch
        {
            ThreadSort.Newest => "c.path DESC",
            ThreadSort.Top => "c.score DESC, c.path",
            _ => "c.path",
        };
        var after = !hasAfter ? "" : sort switch
        {
            ThreadSort.Newest => " AND c.path < @after",
            ThreadSort.Top => " AND (c.score < @score OR (c.score = @score AND c.path > @after))",
            _ => " AND c.path > @after",
        };
        var level = byParent ? "c.parent_id = @p" : "c.parent_id IS NULL AND NOT c.pinned";
        var sql = new StringBuilder("WITH ");
        if (withPinned)
        {
            sql.Append($"""
                pinned AS MATERIALIZED (
                    SELECT row_number() OVER (ORDER BY c.path) AS k, {Columns("c")} FROM comments c
                    WHERE c.thread_id = @t AND c.parent_id IS NULL AND c.pinned AND {Shown}
                    ORDER BY c.path LIMIT @pins
                ),

                """);
        }
        sql.Append($"""
            page AS MATERIALIZED (
                SELECT row_number() OVER (ORDER BY {order}) AS k, {Columns("c")} FROM comments c
                WHERE c.thread_id = @t AND {Shown} AND {level}{after}
                ORDER BY {order} LIMIT @n
            ),
            items AS (
                {(withPinned ? "SELECT 0 AS grp, * FROM pinned UNION ALL " : "")}SELECT 1 AS grp, * FROM page
            )
            SELECT i.grp, i.k, 0 AS sub, {Columns("i")} FROM items i
            """);
        if (withReplies)
        {
            sql.Append($"""

                UNION ALL
                SELECT i.grp, i.k, 1, {Columns("r")} FROM items i
                CROSS JOIN LATERAL (
                    SELECT {Columns("c")} FROM comments c
                    WHERE c.thread_id = @t AND c.path > i.path AND c.path < i.path || '~' AND {Shown}
                    ORDER BY c.path LIMIT @m
                ) r
                WHERE i.grp = 0 OR i.k <= @limit
                """);
        }
        return sql.Append("\nORDER BY grp, k, sub, path").ToString();
    }

    public async Task<(List<ThreadComment> Items, ThreadPosition? Last, bool HasMore)> ReadPageAsync(
        NpgsqlDataSource from, long threadId, Guid? parentId, ThreadSort sort, ThreadPosition? after, int limit, int maxReplies, CancellationToken ct)
    {
        var withPinned = parentId is null && after is null;
        await using var connection = await from.OpenConnectionAsync(ct);
        await using var cmd = Command(connection, PageSql(sort, parentId is not null, withPinned, after is not null, maxReplies > 0));
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
        if (withPinned)
        {
            cmd.Parameters.AddWithValue("pins", Limits.MaxPinnedPerThread);
        }
        cmd.Parameters.AddWithValue("n", limit + 1);
        if (maxReplies > 0)
        {
            cmd.Parameters.AddWithValue("m", maxReplies + 1);
            cmd.Parameters.AddWithValue("limit", limit);
        }

        // Items in page order, each followed by its descendants (at most maxReplies + 1 of them).
        var items = new List<Row>();
        var subtrees = new List<List<Row>>();
        var pageRows = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var row = ReadRow(reader, 3);
                if (reader.GetInt32(2) == 0)
                {
                    if (reader.GetInt32(0) == 1 && ++pageRows > limit)
                    {
                        continue; // the probe row: there is a next page
                    }
                    items.Add(row);
                    subtrees.Add([]);
                }
                else
                {
                    subtrees[^1].Add(row);
                }
            }
        }
        var hasMore = pageRows > limit;
        var lastPageItem = Math.Min(pageRows, limit) > 0 ? items[^1] : null;
        if (maxReplies > 0)
        {
            await AttachRepliesAsync(connection, threadId, items, subtrees, maxReplies, ct);
        }
        return (items.Select(r => r.Node).ToList(),
            lastPageItem is null ? null : new ThreadPosition(lastPageItem.Path, lastPageItem.Node.Score), hasMore);
    }

    private async Task AttachRepliesAsync(NpgsqlConnection connection, long threadId, List<Row> items, List<List<Row>> subtrees, int maxReplies, CancellationToken ct)
    {
        var cuts = new List<(Row Ancestor, string After, bool Certain)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var byId = new Dictionary<Guid, Row> { [item.Node.Id] = item };
            var byPath = new Dictionary<string, Row> { [item.Path] = item };
            var lastChild = new Dictionary<Guid, string>();
            var shown = 0;
            foreach (var row in subtrees[i])
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
        var more = uncertain.Count == 0 ? [] : await HasMoreChildrenAsync(connection, threadId, uncertain.Select(c => (c.Ancestor.Node.Id, c.After)).ToList(), ct);
        foreach (var cut in cuts)
        {
            if (cut.Certain || more.Contains(cut.Ancestor.Node.Id))
            {
                cut.Ancestor.Node.RepliesCursor = ThreadCursor.Encode(ThreadSort.Oldest, new ThreadPosition(cut.After, 0));
            }
        }
    }

    private async Task<HashSet<Guid>> HasMoreChildrenAsync(NpgsqlConnection connection, long threadId, List<(Guid Parent, string After)> checks, CancellationToken ct)
    {
        await using var cmd = Command(connection, $"""
            SELECT r.parent FROM unnest(@parents::uuid[], @afters::text[]) AS r(parent, after)
            WHERE EXISTS (SELECT 1 FROM comments c
                          WHERE c.thread_id = @t AND c.parent_id = r.parent AND c.path > r.after AND {Shown})
            """);
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

    private sealed record Row(string Path, ThreadComment Node);

    private static Row ReadRow(NpgsqlDataReader reader, int o)
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
        return new Row(reader.GetString(o + 2), node);
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        Observer?.Invoke(cmd);
        return cmd;
    }
}

/// <summary>
/// The thread read's own connection pool: plain Npgsql with automatic preparation of its few
/// statements (the service's busiest route skips EF Core entirely).
/// </summary>
public sealed class ThreadReadSource(NpgsqlDataSource primary, NpgsqlDataSource? replica) : IAsyncDisposable
{
    /// <summary>The primary: every read when no replica is configured, usable or allowed for the caller.</summary>
    public NpgsqlDataSource Primary { get; } = primary;

    /// <summary>ConnectionStrings:CommentsRead with the same pooling and statement preparation, when configured.</summary>
    public NpgsqlDataSource? Replica { get; } = replica;

    public static ThreadReadSource Create(string connectionString, string? replicaConnectionString = null) =>
        new(Open(connectionString), string.IsNullOrWhiteSpace(replicaConnectionString) ? null : Open(replicaConnectionString));

    private static NpgsqlDataSource Open(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
        }
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await Primary.DisposeAsync();
        if (Replica is not null)
        {
            await Replica.DisposeAsync();
        }
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

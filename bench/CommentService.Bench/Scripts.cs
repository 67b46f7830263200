using System.Text;
using System.Text.RegularExpressions;
using CommentService.Api.Features.Comments.ListThread;
using Npgsql;

namespace CommentService.Bench;

/// <summary>
/// The SQL the benchmark replays with pgbench: the service's own thread read, recorded from the real
/// <see cref="ThreadReader"/> with the values it binds, and the design usually picked instead (an adjacency
/// list read with a recursive CTE) for the same page.
/// </summary>
public static partial class Scripts
{
    /// <summary>The page every measurement reads: 20 top-level comments with up to 4 replies each (at most 100 comments).</summary>
    public const int PageLimit = 20;
    public const int PageReplies = 4;
    public const string PageQuery = "?limit=20&maxReplies=4";

    /// <summary>Runs the service's read of the thread's first page and returns its statements with their values inlined.</summary>
    public static async Task<List<string>> ServiceStatementsAsync(string connectionString, Seeder.MeasuredThread thread)
    {
        var commands = new List<NpgsqlCommand>();
        await using var source = ThreadReadSource.Create(connectionString);
        var reader = new ThreadReader { Observer = commands.Add };
        var found = await reader.FindAsync(source.Primary, thread.SiteId, thread.ArticleId, null, CancellationToken.None);
        var info = found?.Thread ?? throw new InvalidOperationException($"thread {thread.ArticleId} not found");
        await reader.ReadPageAsync(source.Primary, info.Id, null, ThreadSort.Oldest, null, PageLimit, PageReplies, CancellationToken.None);
        return commands.Select(Inline).ToList();
    }

    /// <summary>
    /// The design usually written instead, as the issue describes it: an adjacency list read with a plain recursive
    /// CTE over the indexed <c>parent_id</c> that builds each comment's sort path (the array of ids from its root;
    /// ids are UUIDv7, so by time) over the whole thread, then <c>ORDER BY path LIMIT</c> the page's size
    /// (<see cref="PageLimit"/> × (<see cref="PageReplies"/> + 1) = the most the service's page holds). Depth-first
    /// order needs every path before the first row can be returned, so it walks the entire thread.
    /// </summary>
    public static string RecursiveCte(long threadId) => $"""
        WITH RECURSIVE tree AS (
            SELECT c.id, ARRAY[c.id] AS path FROM comments c
            WHERE c.thread_id = {threadId} AND c.parent_id IS NULL AND c.status = 'approved'
            UNION ALL
            SELECT c.id, t.path || c.id FROM tree t JOIN comments c ON c.parent_id = t.id
            WHERE c.status = 'approved'
        )
        SELECT c.id, c.parent_id, c.depth, c.status, c.author_name, c.author_url, c.body, c.created_at, c.edited_at, c.reply_count,
               c.body_html, c.pinned, c.author_verified, c.author_avatar_url, c.upvotes, c.downvotes, c.score
        FROM tree t JOIN comments c ON c.id = t.id
        ORDER BY t.path
        LIMIT {PageLimit * (PageReplies + 1)}
        """;

    /// <summary>The indexes that design needs: children of a comment by time, top-level comments of a thread by time.</summary>
    public const string RecursiveCteIndexes = """
        CREATE INDEX IF NOT EXISTS bench_adjacency_children ON comments (parent_id, created_at);
        CREATE INDEX IF NOT EXISTS bench_adjacency_roots ON comments (thread_id, created_at) WHERE parent_id IS NULL;
        ANALYZE comments;
        """;

    public const string DropRecursiveCteIndexes = "DROP INDEX IF EXISTS bench_adjacency_children; DROP INDEX IF EXISTS bench_adjacency_roots;";

    private static string Inline(NpgsqlCommand cmd)
    {
        var values = cmd.Parameters.ToDictionary(p => p.ParameterName, p => Literal(p.Value));
        return ParameterName().Replace(cmd.CommandText, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    private static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => Quote(s),
        Guid g => Quote(g.ToString()) + "::uuid",
        long or int or short => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        string[] a => a.Length == 0 ? "'{}'::text[]" : "ARRAY[" + string.Join(",", a.Select(Quote)) + "]::text[]",
        Guid[] a => a.Length == 0 ? "'{}'::uuid[]" : "ARRAY[" + string.Join(",", a.Select(g => Quote(g.ToString()))) + "]::uuid[]",
        _ => throw new NotSupportedException(value.GetType().Name),
    };

    private static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    [GeneratedRegex(@"@([a-z]+)\b")]
    private static partial Regex ParameterName();

    /// <summary>A pgbench script: statements one after another, each ending with a semicolon.</summary>
    public static string PgbenchScript(IEnumerable<string> statements)
    {
        var text = new StringBuilder();
        foreach (var s in statements)
        {
            text.Append(s.Trim().TrimEnd(';')).Append(";\n");
        }
        return text.ToString();
    }
}

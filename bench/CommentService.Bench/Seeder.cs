using System.Diagnostics;
using System.Text.Json;
using CommentService.Api.Domain;
using Npgsql;
using NpgsqlTypes;

namespace CommentService.Bench;

/// <summary>
/// Seeds sites, threads and comments straight into the service's schema with binary COPY, keeping every
/// maintained column true (paths, depths, sequences, reply and descendant counts, approved counts).
/// Secondary indexes are dropped during the load and built again afterwards, as a bulk import would.
/// The benchmark's measured threads (one per size in <see cref="MeasuredSizes"/>) are written to a JSON file.
/// </summary>
public sealed class Seeder(string connectionString, int totalComments, int seed, int maxDepth)
{
    public static readonly int[] MeasuredSizes = [100, 1_000, 10_000, 50_000];

    /// <summary>
    /// The measured page's shape (`?limit=20&amp;maxReplies=4`, Scripts.PageQuery): every measured thread starts with
    /// this many top-level comments, each with <see cref="PageReplies"/> approved direct replies, so the first page
    /// holds exactly 20 × (1 + 4) = 100 comments at every size and only the thread around it grows.
    /// </summary>
    public const int PageRoots = 20;
    public const int PageReplies = 4;

    public sealed record MeasuredThread(int Size, string SiteId, string ArticleId, long ThreadId);

    private sealed class Node
    {
        public Guid Id;
        public int Parent = -1;
        public string Path = "";
        public int Depth;
        public string Status = "approved";
        public long ChildSequence;
        public int ReplyCount;
        public int VisibleDescendants;
    }

    public async Task<List<MeasuredThread>> RunAsync()
    {
        var random = new Random(seed);
        var text = new TextGenerator(random);
        var clock = Stopwatch.StartNew();

        // Thread sizes: the measured ones, then a heavy-tailed spread from 10 to 50,000 until the total is reached.
        var sizes = new List<int>(MeasuredSizes);
        var sum = sizes.Sum();
        while (sum < totalComments)
        {
            var size = (int)Math.Min(50_000, 10 / Math.Pow(1 - random.NextDouble(), 1 / 0.9));
            size = Math.Min(size, totalComments - sum);
            if (size < 10 && sum + size < totalComments)
            {
                continue;
            }
            sizes.Add(size);
            sum += size;
        }
        const int siteCount = 40;
        var now = DateTimeOffset.UtcNow;

        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var connection = await data.OpenConnectionAsync();
        await Exec(connection, "SET session_replication_role = replica"); // no FK checks or triggers during the load
        await Exec(connection, "SET maintenance_work_mem = '512MB'");
        var indexes = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'comments' AND indexname <> 'pk_comments'", connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add(reader.GetString(1));
                Console.Error.WriteLine("  dropping for the load: " + reader.GetString(0));
            }
        }
        foreach (var def in indexes)
        {
            await Exec(connection, "DROP INDEX " + def.Split(' ')[def.Split(' ').ToList().IndexOf("INDEX") + 1]);
        }

        var sites = Enumerable.Range(1, siteCount).Select(i => $"bench-{i:00}").ToList();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY sites (id, name, allowed_origins, edit_window_minutes, created_at, updated_at, policy) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var site in sites)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(site, NpgsqlDbType.Varchar);
                await writer.WriteAsync("Benchmark site " + site, NpgsqlDbType.Varchar);
                await writer.WriteAsync(new[] { $"https://{site}.example" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(15, NpgsqlDbType.Integer);
                await writer.WriteAsync(now.AddYears(-3), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(now.AddYears(-3), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync("{}", NpgsqlDbType.Jsonb);
            }
            await writer.CompleteAsync();
        }

        // Threads first (ids come back from the identity column), then their comments.
        var threadIds = new long[sizes.Count];
        var threadSites = new string[sizes.Count];
        var articles = new string[sizes.Count];
        for (var t = 0; t < sizes.Count; t++)
        {
            threadSites[t] = t < MeasuredSizes.Length ? sites[0] : sites[random.Next(siteCount)];
            articles[t] = t < MeasuredSizes.Length ? $"https://bench-01.example/measured/{sizes[t]}" : $"https://{threadSites[t]}.example/articles/{t}";
        }
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY threads (site_id, article_id, closed, created_at, approved_count, root_sequence) FROM STDIN (FORMAT BINARY)"))
        {
            for (var t = 0; t < sizes.Count; t++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(threadSites[t], NpgsqlDbType.Varchar);
                await writer.WriteAsync(articles[t], NpgsqlDbType.Varchar);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(now.AddDays(-400), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
                await writer.WriteAsync(0L, NpgsqlDbType.Bigint);
            }
            await writer.CompleteAsync();
        }
        await using (var cmd = new NpgsqlCommand("SELECT site_id, article_id, id FROM threads", connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            var ids = new Dictionary<(string, string), long>();
            while (await reader.ReadAsync())
            {
                ids[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }
            for (var t = 0; t < sizes.Count; t++)
            {
                threadIds[t] = ids[(threadSites[t], articles[t])];
            }
        }

        var written = 0;
        var verdict = """{"flags": [], "outcome": "approved", "decidedBy": null, "rulesVersion": "2026.11.4"}""";
        var hash = new byte[32];
        var threadUpdates = new List<(long Id, int Approved, long Roots)>();
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY comments (id, site_id, thread_id, parent_id, path, depth, status, author_name, body, body_html, created_at,
                           edit_token_hash, ip_hash, child_sequence, reply_count, visible_descendants, author_key, verdict,
                           upvotes, downvotes, score) FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var t = 0; t < sizes.Count; t++)
            {
                var measured = t < MeasuredSizes.Length;
                var nodes = Shape(random, sizes[t], maxDepth, measured || sizes[t] >= 1000, measured);
                var start = now.AddDays(-400 + random.Next(390));
                long roots = 0;
                var approved = 0;
                for (var i = 0; i < nodes.Count; i++)
                {
                    var n = nodes[i];
                    n.Path = n.Parent < 0 ? CommentPath.Child(null, ++roots) : CommentPath.Child(nodes[n.Parent].Path, ++nodes[n.Parent].ChildSequence);
                    n.Depth = n.Parent < 0 ? 0 : nodes[n.Parent].Depth + 1;
                    if (n.Status == "approved")
                    {
                        approved++;
                        if (n.Parent >= 0)
                        {
                            nodes[n.Parent].ReplyCount++;
                        }
                        for (var a = n.Parent; a >= 0; a = nodes[a].Parent)
                        {
                            nodes[a].VisibleDescendants++;
                        }
                    }
                }
                var created = start;
                for (var i = 0; i < nodes.Count; i++)
                {
                    var n = nodes[i];
                    created = created.AddSeconds(random.Next(5, 600));
                    n.Id = Guid.CreateVersion7(created);
                }
                // The measured page's comments get their text from a generator started afresh from the seed for each
                // measured thread: the same names and bodies, in the same page order, at every size.
                var pageText = measured ? PageText(nodes) : [];
                var fixedText = measured ? new TextGenerator(new Random(seed)) : null;
                var pageBodies = pageText.Select(_ => (Body: fixedText!.Comment(), Name: fixedText!.Name())).ToArray();
                for (var i = 0; i < nodes.Count; i++)
                {
                    var n = nodes[i];
                    var body = text.Comment();
                    var name = text.Name();
                    var onPage = measured ? Array.IndexOf(pageText, i) : -1;
                    if (onPage >= 0)
                    {
                        (body, name) = pageBodies[onPage];
                    }
                    var up = random.Next(10) < 3 ? random.Next(1, 20) : 0;
                    var down = random.Next(10) == 0 ? random.Next(1, 5) : 0;
                    random.NextBytes(hash);
                    await writer.StartRowAsync();
                    await writer.WriteAsync(n.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(threadSites[t], NpgsqlDbType.Text);
                    await writer.WriteAsync(threadIds[t], NpgsqlDbType.Bigint);
                    if (n.Parent < 0)
                    {
                        await writer.WriteNullAsync();
                    }
                    else
                    {
                        await writer.WriteAsync(nodes[n.Parent].Id, NpgsqlDbType.Uuid);
                    }
                    await writer.WriteAsync(n.Path, NpgsqlDbType.Text);
                    await writer.WriteAsync(n.Depth, NpgsqlDbType.Integer);
                    await writer.WriteAsync(n.Status, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(name, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(body, NpgsqlDbType.Text);
                    await writer.WriteAsync("<p>" + body + "</p>", NpgsqlDbType.Text);
                    await writer.WriteAsync(DateTimeOffsetOf(n.Id), NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(hash, NpgsqlDbType.Bytea);
                    await writer.WriteAsync(hash[..16], NpgsqlDbType.Bytea);
                    await writer.WriteAsync(n.ChildSequence, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(n.ReplyCount, NpgsqlDbType.Integer);
                    await writer.WriteAsync(n.VisibleDescendants, NpgsqlDbType.Integer);
                    await writer.WriteAsync("bench:" + random.Next(200_000).ToString("x5"), NpgsqlDbType.Text);
                    await writer.WriteAsync(verdict, NpgsqlDbType.Jsonb);
                    await writer.WriteAsync(up, NpgsqlDbType.Integer);
                    await writer.WriteAsync(down, NpgsqlDbType.Integer);
                    await writer.WriteAsync(up - down, NpgsqlDbType.Integer);
                    if (++written % 100_000 == 0)
                    {
                        Console.Error.WriteLine($"  {written:N0} comments ({clock.Elapsed.TotalSeconds:0} s)");
                    }
                }
                threadUpdates.Add((threadIds[t], approved, roots));
            }
            await writer.CompleteAsync();
            Console.Error.WriteLine($"  copied {written:N0} comments in {sizes.Count:N0} threads over {siteCount} sites ({clock.Elapsed.TotalSeconds:0} s)");
        }
        {
            await using var batch = new NpgsqlCommand("""
                UPDATE threads t SET approved_count = u.approved, root_sequence = u.roots
                FROM unnest(@ids, @approved, @roots) AS u(id, approved, roots) WHERE t.id = u.id
                """, connection);
            batch.Parameters.AddWithValue("ids", threadUpdates.Select(u => u.Id).ToArray());
            batch.Parameters.AddWithValue("approved", threadUpdates.Select(u => u.Approved).ToArray());
            batch.Parameters.AddWithValue("roots", threadUpdates.Select(u => u.Roots).ToArray());
            await batch.ExecuteNonQueryAsync();
        }

        foreach (var def in indexes)
        {
            var sw = Stopwatch.StartNew();
            await Exec(connection, def, timeoutSeconds: 0);
            Console.Error.WriteLine($"  {def[..Math.Min(def.Length, 90)]} ({sw.Elapsed.TotalSeconds:0.0} s)");
        }
        await Exec(connection, "VACUUM ANALYZE comments", timeoutSeconds: 0);
        await Exec(connection, "VACUUM ANALYZE threads", timeoutSeconds: 0);
        await Exec(connection, "ANALYZE sites", timeoutSeconds: 0);
        Console.Error.WriteLine($"  seeded in {clock.Elapsed.TotalSeconds:0} s");

        return MeasuredSizes.Select((size, t) => new MeasuredThread(size, threadSites[t], articles[t], threadIds[t])).ToList();
    }

    private static DateTimeOffset DateTimeOffsetOf(Guid v7)
    {
        Span<byte> bytes = stackalloc byte[16];
        v7.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    /// <summary>
    /// The nodes the first page `?limit=20&amp;maxReplies=4` shows, in page order: the first <see cref="PageRoots"/>
    /// approved top-level comments by path, each followed by its first <see cref="PageReplies"/> approved
    /// descendants in depth-first (path) order, as the service's ThreadReader picks them.
    /// </summary>
    private static int[] PageText(List<Node> nodes)
    {
        var order = Enumerable.Range(0, nodes.Count).Where(i => nodes[i].Status == "approved")
            .OrderBy(i => nodes[i].Path, StringComparer.Ordinal).ToList();
        var page = new List<int>();
        var roots = 0;
        for (var k = 0; k < order.Count && roots < PageRoots; k++)
        {
            if (nodes[order[k]].Parent >= 0)
            {
                continue;
            }
            roots++;
            page.Add(order[k]);
            var root = nodes[order[k]].Path;
            for (var j = k + 1; j < order.Count && j <= k + PageReplies && nodes[order[j]].Path.StartsWith(root, StringComparison.Ordinal); j++)
            {
                page.Add(order[j]);
            }
        }
        return [.. page];
    }

    /// <summary>
    /// A thread's tree in creation order: a quarter top-level comments, the rest replies, half of them to the
    /// comment just before (a conversation going deeper), half to any earlier comment (older comments keep
    /// drawing replies). A few comments are held, spam or deleted; only approved ones get replies. Large
    /// threads also get one conversation down to the deepest allowed level. A measured thread (<paramref name="measuredPage"/>)
    /// starts with the measured page: <see cref="PageRoots"/> approved top-level comments, each followed by
    /// <see cref="PageReplies"/> approved direct replies; the rest of the thread grows around them as above (later
    /// replies may land under these comments too, deeper and after them, which leaves the first page's shape alone).
    /// </summary>
    private static List<Node> Shape(Random random, int size, int maxDepth, bool deepChain, bool measuredPage)
    {
        var nodes = new List<Node>(size);
        var approved = new List<int>(size);
        var depth = new List<int>(size);
        var prefix = measuredPage ? Math.Min(size, PageRoots * (1 + PageReplies)) : 0;
        var chainFrom = deepChain ? Math.Max(size / 3, prefix) : -1;
        for (var i = 0; i < size; i++)
        {
            var node = new Node();
            int parent;
            if (i < prefix)
            {
                parent = i % (1 + PageReplies) == 0 ? -1 : i - i % (1 + PageReplies);
            }
            else if (deepChain && i > chainFrom && i <= chainFrom + maxDepth)
            {
                parent = i - 1; // the deep conversation
            }
            else if (approved.Count == 0 || random.Next(4) == 0)
            {
                parent = -1;
            }
            else if (random.Next(2) == 0 && nodes[i - 1].Status == "approved")
            {
                parent = i - 1;
            }
            else
            {
                parent = approved[random.Next(approved.Count)];
            }
            while (parent >= 0 && depth[parent] >= maxDepth)
            {
                parent = nodes[parent].Parent;
            }
            node.Parent = parent;
            depth.Add(parent < 0 ? 0 : depth[parent] + 1);
            var roll = random.Next(1000);
            node.Status = i < prefix || (deepChain && i >= chainFrom && i <= chainFrom + maxDepth) ? "approved"
                : roll < 930 ? "approved" : roll < 960 ? "pending" : roll < 980 ? "spam" : roll < 990 ? "rejected" : "deleted";
            if (node.Status == "approved")
            {
                approved.Add(i);
            }
            nodes.Add(node);
        }
        return nodes;
    }

    private static async Task Exec(NpgsqlConnection connection, string sql, int timeoutSeconds = 30)
    {
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task WriteAsync(string file, List<MeasuredThread> threads) =>
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(threads, new JsonSerializerOptions { WriteIndented = true }));

    public static List<MeasuredThread> Read(string file) => JsonSerializer.Deserialize<List<MeasuredThread>>(File.ReadAllText(file))!;
}

using CommentService.Api.Domain;
using Npgsql;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// The comment tree's invariants, checked against the truth recomputed in SQL: every maintained
/// counter, and sibling numbers 1..N without gaps in path order under every parent.
/// </summary>
public static class TreeInvariants
{
    public static async Task<long> ThreadIdAsync(this ServiceFixture service, string siteId, string articleId) =>
        await service.ScalarAsync<long>("SELECT id FROM threads WHERE site_id = $1 AND article_id = $2", siteId, articleId);

    /// <summary>Fails with every broken invariant of the thread listed.</summary>
    public static async Task AssertConsistentAsync(this ServiceFixture service, long threadId)
    {
        var broken = new List<string>();
        broken.AddRange(await CounterMismatchesAsync(service.Sql, threadId));
        broken.AddRange(await SiblingNumberingProblemsAsync(service.Sql, threadId));
        Assert.True(broken.Count == 0, "Thread " + threadId + " is inconsistent:\n" + string.Join("\n", broken.Take(30)));
    }

    private static async Task<List<string>> CounterMismatchesAsync(NpgsqlDataSource sql, long threadId)
    {
        var broken = new List<string>();
        await using (var cmd = sql.CreateCommand("""
            SELECT t.approved_count, (SELECT count(*) FROM comments c WHERE c.thread_id = t.id AND c.status = 'approved'),
                   t.root_sequence, (SELECT count(*) FROM comments c WHERE c.thread_id = t.id AND c.parent_id IS NULL)
            FROM threads t WHERE t.id = $1
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = threadId });
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), $"thread {threadId} does not exist");
            if (reader.GetInt32(0) != reader.GetInt64(1))
            {
                broken.Add($"threads.approved_count is {reader.GetInt32(0)}, approved comments {reader.GetInt64(1)}");
            }
            if (reader.GetInt64(2) != reader.GetInt64(3))
            {
                broken.Add($"threads.root_sequence is {reader.GetInt64(2)}, top-level comments {reader.GetInt64(3)}");
            }
        }
        await using (var cmd = sql.CreateCommand("""
            SELECT p.path, p.reply_count, p.visible_descendants,
                   (SELECT count(*) FROM comments c WHERE c.parent_id = p.id AND c.status = 'approved'),
                   (SELECT count(*) FROM comments d WHERE d.thread_id = p.thread_id AND d.path LIKE p.path || '%'
                                                      AND d.path <> p.path AND d.status = 'approved'),
                   p.child_sequence, (SELECT count(*) FROM comments c WHERE c.parent_id = p.id)
            FROM comments p WHERE p.thread_id = $1
            ORDER BY p.path
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = threadId });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var path = reader.GetString(0);
                if (reader.GetInt32(1) != reader.GetInt64(3))
                {
                    broken.Add($"{path}: reply_count {reader.GetInt32(1)}, approved direct replies {reader.GetInt64(3)}");
                }
                if (reader.GetInt32(2) != reader.GetInt64(4))
                {
                    broken.Add($"{path}: visible_descendants {reader.GetInt32(2)}, approved descendants {reader.GetInt64(4)}");
                }
                if (reader.GetInt64(5) != reader.GetInt64(6))
                {
                    broken.Add($"{path}: child_sequence {reader.GetInt64(5)}, direct replies {reader.GetInt64(6)}");
                }
            }
        }
        return broken;
    }

    private static async Task<List<string>> SiblingNumberingProblemsAsync(NpgsqlDataSource sql, long threadId)
    {
        var broken = new List<string>();
        var rows = new List<(Guid? Parent, string? ParentPath, string Path, int Depth)>();
        await using (var cmd = sql.CreateCommand("""
            SELECT c.parent_id, p.path, c.path, c.depth
            FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
            WHERE c.thread_id = $1
            ORDER BY c.path
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = threadId });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetInt32(3)));
            }
        }
        if (rows.Select(r => r.Path).Distinct(StringComparer.Ordinal).Count() != rows.Count)
        {
            broken.Add("paths are not distinct");
        }
        foreach (var siblings in rows.GroupBy(r => r.Parent))
        {
            // Rows came ordered by path (COLLATE "C"), so each group is in path order.
            var n = 0L;
            foreach (var row in siblings)
            {
                n++;
                var expected = CommentPath.Child(row.ParentPath, n);
                if (!string.Equals(row.Path, expected, StringComparison.Ordinal))
                {
                    broken.Add($"sibling {n} under {row.ParentPath ?? "(top)"} has path {row.Path}, expected {expected}");
                }
                if (row.Depth != CommentPath.DepthOf(row.Path))
                {
                    broken.Add($"{row.Path}: depth {row.Depth}");
                }
            }
        }
        return broken;
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Comments;

/// <summary>
/// Many writers in one thread at once: the thread-row lock must hand out distinct sibling numbers
/// in order and keep every counter true, with no request failing.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ConcurrencyTests(ServiceFixture service, ITestOutputHelper output)
{
    private sealed record Posted(int Status, string Text, Guid? Id, Guid? ParentId);

    /// <summary>Sends every post at once over one client and waits for all the answers.</summary>
    private async Task<List<Posted>> PostAllAtOnceAsync(string site, string article, IReadOnlyList<Guid?> parents)
    {
        using var client = service.Anonymous();
        client.Timeout = TimeSpan.FromMinutes(2);
        using var start = new SemaphoreSlim(0);
        var tasks = parents.Select(async (parent, i) =>
        {
            await start.WaitAsync();
            using var response = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, article),
                new { authorName = $"Writer {i}", body = $"Concurrent comment {i}", parentId = parent });
            var text = await response.Content.ReadAsStringAsync();
            var id = (int)response.StatusCode == 201 ? Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>()) : (Guid?)null;
            return new Posted((int)response.StatusCode, text, id, parent);
        }).ToList();
        start.Release(parents.Count);
        return [.. await Task.WhenAll(tasks)];
    }

    private static void AssertAllCreated(List<Posted> results)
    {
        var failed = results.Where(r => r.Status != 201).ToList();
        Assert.True(failed.Count == 0,
            $"{failed.Count} of {results.Count} posts failed: " + string.Join("\n", failed.Take(5).Select(f => $"{f.Status} {f.Text}")));
        Assert.Equal(results.Count, results.Select(r => r.Id).Distinct().Count());
    }

    private async Task AssertStoredExactlyOnceAsync(long threadId, List<Posted> results)
    {
        var ids = results.Select(r => r.Id!.Value).ToArray();
        Assert.Equal((long)ids.Length, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE id = ANY($1)", ids));
        Assert.Equal((long)ids.Length, await service.ScalarAsync<long>(
            "SELECT count(*) FROM comments WHERE id = ANY($1) AND thread_id = $2 AND status = 'approved'", ids, threadId));
        foreach (var group in results.GroupBy(r => r.ParentId))
        {
            var stored = await service.ScalarAsync<long>(
                "SELECT count(*) FROM comments WHERE id = ANY($1) AND parent_id IS NOT DISTINCT FROM $2",
                group.Select(r => r.Id!.Value).ToArray(), (object?)group.Key ?? DBNull.Value);
            Assert.Equal((long)group.Count(), stored);
        }
    }

    private async Task<int> CountOfAsync(string site, string article)
    {
        using var client = service.Anonymous();
        var counts = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{site}/counts?articleId={Uri.EscapeDataString(article)}"), 200);
        return counts["counts"]![0]!["count"]!.GetValue<int>();
    }

    private static Guid IdOf(JsonObject created) => Guid.Parse(created["id"]!.GetValue<string>());

    [Fact]
    public async Task Three_hundred_concurrent_replies_to_one_parent_are_numbered_1_to_300_with_true_counters()
    {
        var site = await service.CreateSiteAsync();
        const string article = "one-parent";
        var root = IdOf(await service.PostCommentAsync(site, article, "Root"));
        // The parent is itself a reply, so the root's visible_descendants is updated through the ancestors path.
        var parent = IdOf(await service.PostCommentAsync(site, article, "Busy parent", root));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = await PostAllAtOnceAsync(site, article, Enumerable.Repeat<Guid?>(parent, 300).ToList());
        clock.Stop();

        AssertAllCreated(results);
        var threadId = await service.ThreadIdAsync(site, article);
        await AssertStoredExactlyOnceAsync(threadId, results);
        await service.AssertConsistentAsync(threadId);
        Assert.Equal(300, await service.ScalarAsync<int>("SELECT reply_count FROM comments WHERE id = $1", parent));
        Assert.Equal(300L, await service.ScalarAsync<long>("SELECT child_sequence FROM comments WHERE id = $1", parent));
        Assert.Equal(301, await service.ScalarAsync<int>("SELECT visible_descendants FROM comments WHERE id = $1", root));
        Assert.Equal(302, await service.ScalarAsync<int>("SELECT approved_count FROM threads WHERE id = $1", threadId));
        Assert.Equal(302, await CountOfAsync(site, article));
        var segments = await service.ScalarAsync<string[]>(
            "SELECT array_agg(right(path, 6) ORDER BY path) FROM comments WHERE parent_id = $1", parent);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => Api.Domain.CommentPath.Segment(i)), segments);
        output.WriteLine($"300 concurrent replies to one parent: 300 tried, 300 acknowledged (201), 300 found once in the database, paths 1..300 in order; 500s: 0; {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Three_hundred_replies_spread_over_thirty_parents_and_new_top_level_comments_at_once_keep_the_tree_consistent()
    {
        var site = await service.CreateSiteAsync();
        const string article = "many-parents";
        var parents = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            parents.Add(IdOf(await service.PostCommentAsync(site, article, $"Parent {i}")));
        }

        var targets = Enumerable.Range(0, 300).Select(i => (Guid?)parents[i % parents.Count])
            .Concat(Enumerable.Repeat<Guid?>(null, 30))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = await PostAllAtOnceAsync(site, article, targets);
        clock.Stop();

        AssertAllCreated(results);
        var threadId = await service.ThreadIdAsync(site, article);
        await AssertStoredExactlyOnceAsync(threadId, results);
        await service.AssertConsistentAsync(threadId);
        foreach (var parent in parents)
        {
            Assert.Equal(10, await service.ScalarAsync<int>("SELECT reply_count FROM comments WHERE id = $1", parent));
        }
        Assert.Equal(60L, await service.ScalarAsync<long>("SELECT root_sequence FROM threads WHERE id = $1", threadId));
        Assert.Equal(360, await CountOfAsync(site, article));

        var page = await service.ReadThreadAsync(site, article, "?limit=100");
        Assert.Equal(360, page["totalCount"]!.GetValue<int>());
        Assert.Equal(60, page["items"]!.AsArray().Count);
        output.WriteLine($"330 concurrent posts (300 replies over 30 parents, 30 top-level): 330 acknowledged, 330 found once; 500s: 0; {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Concurrent_first_comments_on_a_new_article_create_exactly_one_thread()
    {
        var site = await service.CreateSiteAsync();
        const string article = "https://blog.example/brand-new?first=1";

        var results = await PostAllAtOnceAsync(site, article, Enumerable.Repeat<Guid?>(null, 50).ToList());

        AssertAllCreated(results);
        Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM threads WHERE site_id = $1", site));
        var threadId = await service.ThreadIdAsync(site, article);
        await AssertStoredExactlyOnceAsync(threadId, results);
        await service.AssertConsistentAsync(threadId);
        Assert.Equal(50, await CountOfAsync(site, article));
    }

    [Fact]
    public async Task Concurrent_deletes_and_replies_in_one_thread_keep_the_counters_true()
    {
        var site = await service.CreateSiteAsync();
        var moderator = await service.CreateKeyAsync(site, "moderate");
        const string article = "churn";
        var root = IdOf(await service.PostCommentAsync(site, article, "Root"));
        var children = new List<JsonObject>();
        for (var i = 0; i < 30; i++)
        {
            children.Add(await service.PostCommentAsync(site, article, $"Child {i}", root));
        }
        // Grandchildren under the children that will be deleted: their ancestors' counters move on both sides.
        var doomed = children.Where((_, i) => i % 2 == 0).ToList();
        var kept = children.Where((_, i) => i % 2 == 1).Select(IdOf).ToList();
        foreach (var child in doomed.Take(5))
        {
            await service.PostCommentAsync(site, article, "Grandchild", IdOf(child));
        }

        using var author = service.Anonymous();
        using var mod = service.WithKey(moderator);
        using var start = new SemaphoreSlim(0);
        var deletes = doomed.Select(async (child, i) =>
        {
            await start.WaitAsync();
            // Every comment is deleted twice at once: first by its author or a moderator, then by a moderator.
            using var byAuthor = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sites/{site}/comments/{child["id"]}");
            byAuthor.Headers.Add("X-Edit-Token", child["editToken"]!.GetValue<string>());
            using var byModerator = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sites/{site}/comments/{child["id"]}");
            var first = (i % 2 == 0 ? author : mod).SendAsync(byAuthor);
            using var second = await mod.SendAsync(byModerator);
            using var firstResponse = await first;
            return ((int)firstResponse.StatusCode, (int)second.StatusCode);
        }).ToList();
        var replyTargets = kept.Concat(kept).Select(id => (Guid?)id).Append(root).Append(null).ToList();
        var replies = PostAllAtOnceAsync(site, article, replyTargets);
        start.Release(doomed.Count);

        foreach (var (first, second) in await Task.WhenAll(deletes))
        {
            Assert.Equal((204, 204), (first, second));
        }
        var posted = await replies;
        AssertAllCreated(posted);

        var threadId = await service.ThreadIdAsync(site, article);
        await service.AssertConsistentAsync(threadId);
        Assert.Equal(15L, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE thread_id = $1 AND status = 'deleted'", threadId));
        // Root, 15 kept children, 5 grandchildren, 30 + 1 + 1 new comments.
        Assert.Equal(1 + 15 + 5 + 32, await CountOfAsync(site, article));
    }
}

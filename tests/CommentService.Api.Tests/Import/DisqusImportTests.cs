using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

[Collection(ServiceCollection.Name)]
public sealed class DisqusImportTests(ServiceFixture service)
{
    [Fact]
    public async Task A_Disqus_export_of_3000_comments_moves_in_with_its_tree_authors_dates_and_states_and_back_out_intact()
    {
        var site = await service.CreateSiteAsync();
        var file = ExportFiles.Disqus(threads: 40, comments: 3000);
        Assert.True(file.Text.Length > 128 * 1024, "the file must be larger than the ordinary body limit");

        var job = await service.ImportAsync(site, "format=disqus", file.Text);
        ImportApi.Succeeded(job, 3000);
        Assert.Equal(40, job["threadsCreated"]!.GetValue<int>());
        Assert.Equal(0, job["duplicates"]!.GetValue<int>());
        Assert.Equal(0, job["orphans"]!.GetValue<int>());
        // Eleven names of 120 characters among 3,000 comments: each noted as shortened.
        Assert.Equal(file.Comments.Count(c => c.AuthorName != c.ExpectedAuthorName),
            job["issues"]!.AsArray().Count(i => i!["kind"]!.GetValue<string>() == "shortened"));

        Assert.Equal(3000L, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1", site));
        foreach (var status in new[] { "approved", "pending", "spam", "deleted" })
        {
            Assert.Equal(file.Comments.LongCount(c => c.Status == status),
                await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1 AND status = $2", site, status));
        }
        await service.AssertTreesConsistentAsync(site);
        Assert.Equal(ExportFiles.MaxDepth, await service.ScalarAsync<int>("SELECT max(depth) FROM comments WHERE site_id = $1", site));

        // Readers see the first article's thread in the file's reply structure, siblings oldest first, hidden ones with replies as tombstones.
        var first = file.Threads[0];
        JsonObject page;
        using (var reader = service.Anonymous())
        using (var response = await reader.GetAsync(ServiceFixture.CommentsPath(site, first.ArticleId) + "?limit=100&maxReplies=200"))
        {
            await Expect.StatusAsync(response, 200);
            // 32 levels of replies nest deeper than a JSON parser's default limit of 64.
            page = JsonNode.Parse(await response.Content.ReadAsStringAsync(), documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 160 })!.AsObject();
        }
        Assert.Equal(first.Title, page["title"]!.GetValue<string>());
        Assert.Equal(file.Comments.Count(c => c.ThreadKey == first.Key && c.Status == "approved"), page["totalCount"]!.GetValue<int>());
        var idToSource = await SourceIdsAsync(site);
        Assert.Equal(ExpectedReading(file, first.Key), Flatten(page["items"]).Select(x => (idToSource[x.Id], x.Depth)).ToList());

        // The export gives back every mapped field.
        var export = await service.ExportSiteAsync(site);
        var bySource = ImportApi.CommentsBySource(export);
        Assert.Equal(3000, bySource.Count);
        var threads = export.Where(l => l.Text("type") == "thread").ToDictionary(l => l.Text("articleId")!);
        foreach (var t in file.Threads)
        {
            Assert.Equal(t.Title, threads[t.ArticleId].Text("title"));
            Assert.Equal(t.Link, threads[t.ArticleId].Text("url"));
        }
        var threadOf = file.Threads.ToDictionary(t => t.Key);
        var sourceOfId = bySource.Values.ToDictionary(c => c.Text("id")!, c => c.Text("sourceId")!);
        foreach (var expected in file.Comments)
        {
            var line = bySource[expected.SourceId];
            var context = expected.SourceId;
            Assert.Equal(threadOf[expected.ThreadKey].ArticleId, line.Text("articleId"));
            Assert.Equal(expected.ParentSourceId, line.Text("parentId") is { } p ? sourceOfId[p] : null);
            Assert.Equal(expected.Depth, line["depth"]!.GetValue<int>());
            Assert.True(expected.Status == line.Text("status"), context);
            Assert.Equal(expected.ExpectedAuthorName, line.Text("authorName"));
            Assert.Equal(expected.CreatedAt, DateTimeOffset.Parse(line.Text("createdAt")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(expected.ExpectedBody == line.Text("body"), $"{context}: expected\n{expected.ExpectedBody}\ngot\n{line.Text("body")}");
        }

        // Addresses never leave, and are stored only as keyed hashes and encrypted.
        var exported = string.Join("\n", export.Select(l => l.ToJsonString()));
        Assert.DoesNotContain("@mail.example", exported);
        Assert.DoesNotContain("203.0.113.", exported);
        Assert.Equal(0L, await service.ScalarAsync<long>(
            "SELECT count(*) FROM comments WHERE site_id = $1 AND (author_email_protected LIKE '%@%' OR body_html LIKE '%@mail.example%')", site));
        Assert.Equal(3000L, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1 AND ip_hash IS NOT NULL", site));
        Assert.Equal(file.Comments.LongCount(c => c.Email is not null),
            await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1 AND author_key LIKE 'e:%'", site));

        // Running the same import again adds nothing.
        var before = await service.ContentChecksumAsync();
        var again = await service.ImportAsync(site, "format=disqus", file.Text);
        ImportApi.Succeeded(again, 0);
        Assert.Equal(3000, again["duplicates"]!.GetValue<int>());
        Assert.Equal(0, again["threadsCreated"]!.GetValue<int>());
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task The_article_ID_comes_from_the_link_the_identifier_or_the_path_as_asked()
    {
        var file = ExportFiles.Disqus(threads: 2, comments: 20, chain: 2, idPrefix: "art");
        foreach (var (from, expected) in new (string, Func<SourceThread, string>)[]
                 {
                     ("identifier", t => $"{t.Key} https://films.example/?p={t.Key}"),
                     ("path", t => new Uri(t.Link).AbsolutePath),
                 })
        {
            var site = await service.CreateSiteAsync();
            ImportApi.Succeeded(await service.ImportAsync(site, "format=disqus&articleIdFrom=" + from, file.Text), 20);
            foreach (var t in file.Threads)
            {
                Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM threads WHERE site_id = $1 AND article_id = $2", site, expected(t)));
            }
        }
    }

    private async Task<Dictionary<string, string>> SourceIdsAsync(string site)
    {
        var map = new Dictionary<string, string>();
        await using var cmd = service.Sql.CreateCommand("SELECT id::text, source_id FROM comments WHERE site_id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = site });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            map[reader.GetString(0)] = reader.GetString(1);
        }
        return map;
    }

    /// <summary>What a reader sees of a thread, worked out from the file alone: depth-first, siblings by time, hidden comments only as tombstones over visible replies.</summary>
    private static List<(string SourceId, int Depth)> ExpectedReading(SourceFile file, string threadKey)
    {
        var inThread = file.Comments.Where(c => c.ThreadKey == threadKey).ToList();
        var children = inThread.ToLookup(c => c.ParentSourceId ?? "");
        bool Visible(SourceComment c) => c.Status == "approved" || children[c.SourceId].Any(Visible);
        var result = new List<(string, int)>();
        void Walk(string parent, int depth)
        {
            foreach (var c in children[parent].OrderBy(c => c.CreatedAt).Where(Visible))
            {
                result.Add((c.SourceId, depth));
                Walk(c.SourceId, depth + 1);
            }
        }
        Walk("", 0);
        return result;
    }

    private static List<(string Id, int Depth)> Flatten(JsonNode? items, List<(string, int)>? into = null, int depth = 0)
    {
        into ??= [];
        foreach (var node in items?.AsArray() ?? [])
        {
            into.Add((node!["id"]!.GetValue<string>(), depth));
            Flatten(node["replies"], into, depth + 1);
        }
        return into;
    }
}

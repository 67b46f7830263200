using System.Text;
using System.Text.RegularExpressions;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

[Collection(ServiceCollection.Name)]
public sealed class ImportTreeTests(ServiceFixture service)
{
    private static string Post(string id, string thread, string? parent, int minute, string text = "") =>
        $"""
          <post dsq:id="{id}">
            <message><![CDATA[<p>{(text.Length > 0 ? text : SampleText.Line(minute))}</p>]]></message>
            <createdAt>2020-05-01T10:{minute / 60:D2}:{minute % 60:D2}Z</createdAt>
            <isDeleted>false</isDeleted>
            <isSpam>false</isSpam>
            <author><name>Reader {id}</name></author>
            <thread dsq:id="{thread}" />
            {(parent is null ? "" : $"<parent dsq:id=\"{parent}\" />")}
          </post>

        """;

    private async Task<Dictionary<string, (string? Parent, int Depth)>> TreeAsync(string site)
    {
        var tree = new Dictionary<string, (string?, int)>();
        await using var cmd = service.Sql.CreateCommand("""
            SELECT c.source_id, p.source_id, c.depth FROM comments c LEFT JOIN comments p ON p.id = c.parent_id WHERE c.site_id = $1 AND c.source_id IS NOT NULL
            """);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = site });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tree[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2));
        }
        return tree;
    }

    [Fact]
    public async Task Missing_parents_cycles_and_replies_too_deep_are_placed_and_reported()
    {
        var x = new StringBuilder("""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
              <thread dsq:id="1"><link>https://films.example/deep</link><title>Deep</title></thread>
              <thread dsq:id="2"><link>https://films.example/other</link><title>Other</title></thread>

            """);
        for (var level = 0; level < 36; level++)
        {
            x.Append(Post($"d{level}", "1", level == 0 ? null : $"d{level - 1}", level));
        }
        x.Append(Post("orphan", "1", "gone", 100));
        x.Append(Post("c1", "1", "c2", 110));
        x.Append(Post("c2", "1", "c1", 111));
        x.Append(Post("x1", "2", null, 120));
        x.Append(Post("cross", "1", "x1", 121));
        x.Append("</disqus>\n");
        var file = new SourceFile(x.ToString(), [], []);
        var site = await service.CreateSiteAsync();

        var job = await service.ImportAsync(site, "format=disqus", file.Text);
        ImportApi.Succeeded(job, 41);
        Assert.Equal(3, job["orphans"]!.GetValue<int>());
        var issues = job["issues"]!.AsArray().Select(i => (Kind: i!["kind"]!.GetValue<string>(), Source: i["sourceId"]!.GetValue<string>(), Line: i["line"]!.GetValue<int>())).ToList();
        Assert.Contains(("orphan", "disqus:orphan", file.LineOf("<post dsq:id=\"orphan\">")), issues);
        Assert.Contains(("orphan", "disqus:cross", file.LineOf("<post dsq:id=\"cross\">")), issues);
        Assert.Contains(issues, i => i.Kind == "orphan" && i.Source == "disqus:c1");
        Assert.Equal(["disqus:d33", "disqus:d34", "disqus:d35"], issues.Where(i => i.Kind == "flattened").Select(i => i.Source).Order().ToArray());

        var tree = await TreeAsync(site);
        Assert.Equal(("disqus:d31", 32), tree["disqus:d32"]);
        foreach (var deep in new[] { "disqus:d33", "disqus:d34", "disqus:d35" })
        {
            Assert.Equal(("disqus:d31", 32), tree[deep]);
        }
        Assert.Equal((null, 0), tree["disqus:orphan"]);
        Assert.Equal((null, 0), tree["disqus:cross"]);
        Assert.Equal((null, 0), tree["disqus:c1"]);
        Assert.Equal(("disqus:c1", 1), tree["disqus:c2"]);
        await service.AssertTreesConsistentAsync(site);
    }

    [Fact]
    public async Task A_later_fuller_export_adds_only_new_comments_under_the_ones_already_there_and_beside_live_ones()
    {
        var full = ExportFiles.Disqus(threads: 3, comments: 200, chain: 10, idPrefix: "rr");
        var later = full.Comments.Skip(100).Select(c => c.SourceId["disqus:".Length..]).ToHashSet();
        var first = Regex.Replace(full.Text, """<post dsq:id="(\w+)">.*?</post>""",
            m => later.Contains(m.Groups[1].Value) ? "" : m.Value, RegexOptions.Singleline);
        Assert.Equal(100, Regex.Count(first, "<post "));
        var site = await service.CreateSiteAsync();
        // Readers were already commenting on one of the articles.
        var live = await service.PostCommentAsync(site, full.Threads[1].ArticleId, SampleText.Line(3));

        ImportApi.Succeeded(await service.ImportAsync(site, "format=disqus", first), 100);
        await service.PostCommentAsync(site, full.Threads[0].ArticleId, SampleText.Line(4));
        var importedParent = await service.ScalarAsync<Guid>("SELECT id FROM comments WHERE site_id = $1 AND source_id = $2", site, full.Comments[0].SourceId);
        await service.PostCommentAsync(site, full.Threads[0].ArticleId, SampleText.Line(5), importedParent);

        var job = await service.ImportAsync(site, "format=disqus", full.Text);
        ImportApi.Succeeded(job, 100);
        Assert.Equal(100, job["duplicates"]!.GetValue<int>());
        Assert.Equal(0, job["orphans"]!.GetValue<int>());
        await service.AssertTreesConsistentAsync(site);

        var tree = await TreeAsync(site);
        foreach (var c in full.Comments)
        {
            Assert.Equal((c.ParentSourceId, c.Depth), tree[c.SourceId]);
        }
        Assert.Equal(203L, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1", site));
        Assert.Equal("000001", await service.ScalarAsync<string>("SELECT path FROM comments WHERE id = $1", Guid.Parse(live["id"]!.GetValue<string>())));
    }
}

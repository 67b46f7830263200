using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

[Collection(ServiceCollection.Name)]
public sealed class WxrImportTests(ServiceFixture service)
{
    [Fact]
    public async Task A_WordPress_export_imports_comments_with_their_states_and_leaves_pingbacks_out()
    {
        var site = await service.CreateSiteAsync();
        var file = ExportFiles.Wxr(posts: 25, comments: 1000);

        var job = await service.ImportAsync(site, "format=wxr", file.Text, "application/rss+xml");
        ImportApi.Succeeded(job, 1000);
        Assert.Equal(25, job["threadsCreated"]!.GetValue<int>());
        Assert.Equal(25, job["ignored"]!.GetValue<int>());
        Assert.Equal(25, job["issues"]!.AsArray().Count(i => i!["kind"]!.GetValue<string>() == "ignored"));
        foreach (var status in new[] { "approved", "pending", "spam", "deleted" })
        {
            Assert.Equal(file.Comments.LongCount(c => c.Status == status),
                await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1 AND status = $2", site, status));
        }
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1 AND source_id LIKE 'wxr:9000%'", site));
        await service.AssertTreesConsistentAsync(site);

        var export = ImportApi.CommentsBySource(await service.ExportSiteAsync(site));
        var articleOf = file.Threads.ToDictionary(t => t.Key, t => t.Link);
        var sourceOfId = export.Values.ToDictionary(c => c.Text("id")!, c => c.Text("sourceId")!);
        foreach (var expected in file.Comments)
        {
            var line = export[expected.SourceId];
            Assert.Equal(articleOf[expected.ThreadKey], line.Text("articleId"));
            Assert.Equal(expected.ParentSourceId, line.Text("parentId") is { } p ? sourceOfId[p] : null);
            Assert.Equal(expected.Status, line.Text("status"));
            Assert.Equal(expected.ExpectedAuthorName, line.Text("authorName"));
            Assert.Equal(expected.AuthorUrl, line.Text("authorUrl"));
            Assert.Equal(expected.CreatedAt, DateTimeOffset.Parse(line.Text("createdAt")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(expected.ExpectedBody == line.Text("body"), $"{expected.SourceId}: expected\n{expected.ExpectedBody}\ngot\n{line.Text("body")}");
        }

        // A paragraph break and a line break survive as Markdown, rendered for readers.
        var html = await service.ScalarAsync<string>("SELECT body_html FROM comments WHERE site_id = $1 AND source_id = 'wxr:1001'", site);
        Assert.Contains("<br", html);
        Assert.Contains("</p>\n<p>", html);
    }

    [Fact]
    public async Task WordPress_articles_can_be_keyed_by_slug_or_post_id()
    {
        var file = ExportFiles.Wxr(posts: 3, comments: 30, seed: 3);
        foreach (var (from, expected) in new (string, Func<SourceThread, string>)[] { ("slug", t => "film-notes-" + t.Key), ("postId", t => t.Key) })
        {
            var site = await service.CreateSiteAsync();
            ImportApi.Succeeded(await service.ImportAsync(site, "format=wxr&articleIdFrom=" + from, file.Text), 30);
            foreach (var t in file.Threads)
            {
                Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM threads WHERE site_id = $1 AND article_id = $2", site, expected(t)));
            }
        }
    }
}

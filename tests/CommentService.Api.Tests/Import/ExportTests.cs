using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

[Collection(ServiceCollection.Name)]
public sealed class ExportTests(ServiceFixture service)
{
    private const string Article = "https://films.example/round trip/ünïcode?x=1#c";

    /// <summary>A site with comments posted here (replies, an edit, a vote, a pin, a deletion, a spam decision) and comments imported from Disqus.</summary>
    private async Task<string> BusySiteAsync()
    {
        var site = await service.CreateSiteAsync();
        using var anonymous = service.Anonymous();
        var top = await Expect.JsonAsync(await anonymous.PostAsJsonAsync(ServiceFixture.CommentsPath(site, Article),
            new { authorName = "Ada 🎬", authorEmail = "ada@mail.example", authorUrl = "https://ada.example/", body = SampleText.Line(0) }), 201);
        var topId = Guid.Parse(top["id"]!.GetValue<string>());
        var reply = await service.PostCommentAsync(site, Article, SampleText.Line(1), topId, "Ben");
        var deeper = await service.PostCommentAsync(site, Article, SampleText.Line(2), Guid.Parse(reply["id"]!.GetValue<string>()), "محمد");
        var second = await service.PostCommentAsync(site, Article, SampleText.Line(3), author: "李小龙");
        var spam = await service.PostCommentAsync(site, "another-article", SampleText.Line(4), author: "Zoë");

        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/v1/sites/{site}/comments/{second["id"]}") { Content = JsonContent.Create(new { body = SampleText.Line(5) }) };
        edit.Headers.Add("X-Edit-Token", second["editToken"]!.GetValue<string>());
        await Expect.StatusAsync(await anonymous.SendAsync(edit), 200);
        var vote = new HttpRequestMessage(HttpMethod.Put, $"/v1/sites/{site}/comments/{topId}/vote") { Content = JsonContent.Create(new { value = 1 }) };
        vote.Headers.Add("X-Reader-Token", "reader-" + Guid.NewGuid().ToString("N"));
        await Expect.StatusAsync(await anonymous.SendAsync(vote), 200);
        var remove = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sites/{site}/comments/{deeper["id"]}");
        remove.Headers.Add("X-Edit-Token", deeper["editToken"]!.GetValue<string>());
        await Expect.StatusAsync(await anonymous.SendAsync(remove), 204);
        using var moderator = service.Operator();
        await Expect.StatusAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{topId}/pin", new { pinned = true }), 200);
        await Expect.StatusAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{spam["id"]}/decision", new { action = "spam" }), 200);

        ImportApi.Succeeded(await service.ImportAsync(site, "format=disqus", ExportFiles.Disqus(threads: 3, comments: 60, chain: 4, idPrefix: "rt").Text), 60);
        return site;
    }

    [Fact]
    public async Task A_site_exported_as_JSON_Lines_imports_into_another_site_and_exports_the_same()
    {
        var a = await BusySiteAsync();
        var exportA = await service.ExportSiteAsync(a);
        Assert.Equal("export", exportA[0].Text("type"));
        Assert.Equal(5, exportA.Count(l => l.Text("type") == "thread"));
        Assert.Equal(65, exportA.Count(l => l.Text("type") == "comment"));
        var lines = string.Join("\n", exportA.Select(l => l.ToJsonString()));
        Assert.DoesNotContain("ada@mail.example", lines);
        Assert.DoesNotContain("editToken", lines, StringComparison.OrdinalIgnoreCase);
        var text = string.Join("\n", exportA.Select(l => l.ToJsonString())) + "\n";

        var b = await service.CreateSiteAsync();
        var job = await service.ImportAsync(b, "format=jsonl", text, "application/x-ndjson");
        ImportApi.Succeeded(job, 65);
        Assert.Equal(5, job["threadsCreated"]!.GetValue<int>());
        await service.AssertTreesConsistentAsync(b);
        var exportB = await service.ExportSiteAsync(b);
        Assert.Equal(ImportApi.Portable(exportA), ImportApi.Portable(exportB));

        // Pinned, voted, edited, deleted and spam survive as they were.
        JsonObject Live(string name) => exportB.Single(l => l.Text("authorName") == name && l.Text("sourceId")!.StartsWith("commentservice:", StringComparison.Ordinal));
        var top = Live("Ada 🎬");
        Assert.True(top["pinned"]!.GetValue<bool>());
        Assert.Equal(1, top["upvotes"]!.GetValue<int>());
        Assert.NotNull(Live("李小龙")["editedAt"]);
        Assert.Equal("deleted", Live("محمد").Text("status"));
        Assert.Equal("spam", Live("Zoë").Text("status"));

        // Again, into either site: nothing is added twice.
        var checksum = await service.ContentChecksumAsync();
        var againB = await service.ImportAsync(b, "format=jsonl", text, "application/x-ndjson");
        ImportApi.Succeeded(againB, 0);
        Assert.Equal(65, againB["duplicates"]!.GetValue<int>());
        ImportApi.Succeeded(await service.ImportAsync(a, "format=jsonl", text, "application/x-ndjson"), 0);
        Assert.Equal(checksum, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task One_article_exports_alone_and_an_article_nobody_commented_on_exports_only_the_header()
    {
        var site = await BusySiteAsync();
        using var client = service.Operator();
        var article = await ImportApi.ExportAsync(client, $"/v1/sites/{site}/articles/{Uri.EscapeDataString(Article)}/export");
        Assert.Equal(Article, article[0].Text("articleId"));
        Assert.Equal(["export", "thread", "comment", "comment", "comment", "comment"], article.Select(l => l.Text("type")!).ToArray());
        Assert.All(article.Skip(1), l => Assert.Equal(Article, l.Text("articleId")));
        // Depth-first: every parent comes before its replies.
        var seen = new HashSet<string>();
        foreach (var comment in article.Where(l => l.Text("type") == "comment"))
        {
            Assert.True(comment.Text("parentId") is null || seen.Contains(comment.Text("parentId")!));
            seen.Add(comment.Text("id")!);
        }
        var whole = await service.ExportSiteAsync(site);
        Assert.Equal(article.Skip(1).Select(l => l.ToJsonString()), whole.Where(l => l.Text("articleId") == Article && l.Text("type") != "export").Select(l => l.ToJsonString()));

        var empty = await ImportApi.ExportAsync(client, $"/v1/sites/{site}/articles/nobody-here/export");
        Assert.Single(empty);
        Assert.Equal("nobody-here", empty[0].Text("articleId"));
    }

    [Fact]
    public async Task A_JSON_Lines_file_with_bad_lines_is_refused_naming_them_or_imported_in_part()
    {
        var site = await service.CreateSiteAsync();
        var text = string.Join("\n",
            """{"type":"export","version":1}""",
            """{"type":"thread","articleId":"a","title":"A","url":"https://films.example/a","closed":false}""",
            """{"type":"comment","sourceId":"s:1","articleId":"a","status":"approved","authorName":"Ada","body":"First, and fine.","createdAt":"2021-01-01T00:00:00Z"}""",
            """{"type":"comment","sourceId":"s:2","articleId":"a","status":"maybe","authorName":"Ben","body":"Bad status.","createdAt":"2021-01-01T00:01:00Z"}""",
            """{"type":"comment", this is not json""",
            """{"type":"comment","sourceId":"s:3","articleId":"a","status":"approved","authorName":"Cy","body":"Fine too.","createdAt":"2021-01-01T00:02:00Z"}""") + "\n";
        using var client = service.Operator();
        using (var response = await ImportApi.PostFileAsync(client, site, "format=jsonl", text, "application/x-ndjson"))
        {
            var problem = await Expect.ProblemAsync(response, 400, "validation", "file");
            Assert.Equal([4, 5], problem["errors"]!.AsArray().Select(e => e!["line"]!.GetValue<int>()).ToArray());
        }
        var job = await service.ImportAsync(site, "format=jsonl&partial=true", text, "application/x-ndjson");
        ImportApi.Succeeded(job, 2);
        Assert.Equal(2, job["invalid"]!.GetValue<int>());
    }
}

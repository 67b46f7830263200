using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

[Collection(ServiceCollection.Name)]
public sealed class ImportErrorTests(ServiceFixture service)
{
    private async Task<long> JobsAsync(string site) =>
        await service.ScalarAsync<long>("SELECT count(*) FROM import_jobs WHERE site_id = $1", site);

    private static async Task AssertNamesLineAsync(HttpResponseMessage response, int line, string? reasonContains = null)
    {
        var problem = await Expect.ProblemAsync(response, 400, "validation", "file");
        var error = problem["errors"]![0]!;
        Assert.Equal(line, error["line"]!.GetValue<int>());
        Assert.Contains($"Line {line}", problem["detail"]!.GetValue<string>());
        if (reasonContains is not null)
        {
            Assert.Contains(reasonContains, error["reason"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Malformed_XML_is_refused_naming_its_line_and_imports_nothing_unless_partial()
    {
        var site = await service.CreateSiteAsync();
        var file = ExportFiles.Disqus(threads: 3, comments: 60, chain: 3, idPrefix: "bad");
        // The 40th post's closing tag is misspelt.
        var posts = file.Text.Split("</post>");
        var broken = string.Join("</post>", posts.Take(40)) + "</pots>" + string.Join("</post>", posts.Skip(40));
        var line = new SourceFile(broken, file.Threads, file.Comments).LineOf("</pots>");
        var before = await service.ContentChecksumAsync();

        using var client = service.Operator();
        using (var response = await ImportApi.PostFileAsync(client, site, "format=disqus", broken))
        {
            await AssertNamesLineAsync(response, line, "malformed");
        }
        Assert.Equal(before, await service.ContentChecksumAsync());
        Assert.Equal(0L, await JobsAsync(site));

        // Asked for, the posts before the error are imported and the error is reported with its line.
        var job = await service.ImportAsync(site, "format=disqus&partial=true", broken);
        ImportApi.Succeeded(job, 39);
        Assert.Equal(1, job["invalid"]!.GetValue<int>());
        Assert.Contains(job["issues"]!.AsArray(), i => i!["kind"]!.GetValue<string>() == "invalid" && i["line"]!.GetValue<int>() == line);
        await service.AssertTreesConsistentAsync(site);
    }

    [Fact]
    public async Task An_invalid_item_is_refused_naming_its_line_or_skipped_with_partial()
    {
        var site = await service.CreateSiteAsync();
        var file = ExportFiles.Disqus(threads: 2, comments: 40, chain: 2, idPrefix: "inv");
        var victim = file.Comments[25];
        var line = file.LineOf($"<post dsq:id=\"{victim.SourceId["disqus:".Length..]}\">");
        var text = file.Text.Replace($"<createdAt>{victim.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</createdAt>", "<createdAt>last Tuesday</createdAt>");
        var before = await service.ContentChecksumAsync();

        using var client = service.Operator();
        using (var response = await ImportApi.PostFileAsync(client, site, "format=disqus", text))
        {
            await AssertNamesLineAsync(response, line, "createdAt");
        }
        Assert.Equal(before, await service.ContentChecksumAsync());

        var job = await service.ImportAsync(site, "format=disqus&partial=true", text);
        ImportApi.Succeeded(job, 39);
        Assert.Equal(1, job["invalid"]!.GetValue<int>());
        var issue = job["issues"]!.AsArray().Single(i => i!["kind"]!.GetValue<string>() == "invalid")!;
        Assert.Equal(line, issue["line"]!.GetValue<int>());
        Assert.Equal(victim.SourceId, issue["sourceId"]!.GetValue<string>());
        // Its replies lost their parent: they are kept at the top level and reported.
        Assert.Equal(file.Comments.Count(c => c.ParentSourceId == victim.SourceId), job["orphans"]!.GetValue<int>());
        await service.AssertTreesConsistentAsync(site);
    }

    [Fact]
    public async Task A_DTD_with_external_entities_is_refused_and_nothing_is_read_from_the_server()
    {
        var site = await service.CreateSiteAsync();
        var xxe = """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE disqus [
              <!ENTITY secret SYSTEM "file:///etc/passwd">
              <!ENTITY lol "lollollollollollollollollol">
            ]>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
              <thread dsq:id="1"><link>https://films.example/a</link><title>&lol;</title></thread>
              <post dsq:id="2"><message>&secret;</message><createdAt>2020-01-01T00:00:00Z</createdAt><author><name>x</name></author><thread dsq:id="1" /></post>
            </disqus>
            """;
        var before = await service.ContentChecksumAsync();
        foreach (var partial in new[] { "false", "true" })
        {
            using var client = service.Operator();
            using var response = await ImportApi.PostFileAsync(client, site, "format=disqus&partial=" + partial, xxe);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("root:", text);
            await AssertNamesLineAsync(response, 2, "DTD");
        }
        Assert.Equal(before, await service.ContentChecksumAsync());
        Assert.Equal(0L, await JobsAsync(site));
    }

    [Fact]
    public async Task A_file_of_another_format_is_refused_at_line_1()
    {
        var site = await service.CreateSiteAsync();
        var wxr = ExportFiles.Wxr(posts: 1, comments: 3).Text;
        using var client = service.Operator();
        using (var response = await ImportApi.PostFileAsync(client, site, "format=disqus", wxr))
        {
            // The XML declaration and a comment come first; the root element is on line 3.
            var problem = await Expect.ProblemAsync(response, 400, "validation", "file");
            Assert.Contains("<rss>", problem["errors"]![0]!["reason"]!.GetValue<string>());
        }
        using (var response = await ImportApi.PostFileAsync(client, site, "format=wxr", "{\"type\":\"export\",\"version\":1}\n", "application/x-ndjson"))
        {
            await AssertNamesLineAsync(response, 1);
        }
        using (var response = await ImportApi.PostFileAsync(client, site, "format=jsonl", wxr, "application/x-ndjson"))
        {
            await AssertNamesLineAsync(response, 1, "JSON");
        }
        using (var response = await ImportApi.PostFileAsync(client, site, "format=disqus", ""))
        {
            await AssertNamesLineAsync(response, 1);
        }
        Assert.Equal(0L, await JobsAsync(site));
    }

    [Theory]
    [InlineData("", "format")]
    [InlineData("format=csv", "format")]
    [InlineData("format=disqus&articleIdFrom=slug", "articleIdFrom")]
    [InlineData("format=wxr&articleIdFrom=identifier", "articleIdFrom")]
    [InlineData("format=disqus&partial=perhaps", "partial")]
    public async Task Bad_import_parameters_are_refused_naming_the_parameter(string query, string field)
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        using var response = await ImportApi.PostFileAsync(client, site, query, ExportFiles.Disqus(1, 2, 2).Text);
        await Expect.ProblemAsync(response, 400, "validation", field);
        Assert.Equal(0L, await JobsAsync(site));
    }

    [Fact]
    public async Task A_file_sent_as_JSON_or_form_data_is_refused_with_415()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        foreach (var type in new[] { "application/json", "application/x-www-form-urlencoded" })
        {
            using var response = await ImportApi.PostFileAsync(client, site, "format=jsonl", "{}", type);
            await Expect.ProblemAsync(response, 415, "unsupported-media-type");
        }
    }

    [Fact]
    public async Task A_file_over_the_import_limit_gets_413_and_other_routes_keep_theirs()
    {
        await using var instance = ExtraService.Start(service.ConnectionString, ("Comments:MaxImportBytes", (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(await instance.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
        var site = await service.CreateSiteAsync();
        using var client = instance.Operator();
        var big = ExportFiles.Disqus(threads: 5, comments: 2400, chain: 2, idPrefix: "big").Text;
        Assert.True(big.Length > 1024 * 1024);
        using (var response = await ImportApi.PostFileAsync(client, site, "format=disqus", big))
        {
            await Expect.ProblemAsync(response, 413, "payload-too-large");
        }
        // Only the import route takes large bodies: a 300 KB comment is still refused.
        using (var response = await client.PostAsync(ServiceFixture.CommentsPath(site, "a"),
                   new StringContent("{\"authorName\":\"A\",\"body\":\"" + new string('x', 300_000) + "\"}", System.Text.Encoding.UTF8, "application/json")))
        {
            await Expect.ProblemAsync(response, 413, "payload-too-large");
        }
        Assert.Equal(0L, await JobsAsync(site));
    }
}

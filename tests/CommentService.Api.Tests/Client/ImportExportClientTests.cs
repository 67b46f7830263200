using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Import;
using CommentService.Api.Tests.Infrastructure;
using CommentService.Client;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>
/// A blog's comments moved from a Disqus export into the service and back out as JSON Lines, through the
/// generated client only: the upload as a file parameter, the job polled, the export read as a stream.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ImportExportClientTests(ServiceFixture service) : IDisposable
{
    private readonly ClientSession session = new(service);

    public void Dispose() => session.Dispose();

    private static async Task<ImportJobResponse> ImportAsync(CommentServiceClient admin, string site, string text, string format, string contentType)
    {
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var job = await admin.StartImportAsync(site, new FileParameter(file, "comments", contentType), format: format);
        Assert.Contains(job.State, new[] { "queued", "running", "succeeded" });
        var clock = Stopwatch.StartNew();
        while (job.State is "queued" or "running")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the import did not finish");
            await Task.Delay(100);
            job = await admin.GetImportAsync(site, job.Id!.Value);
        }
        Assert.True(job.State == "succeeded", job.Error);
        Assert.Equal(job.Total, job.Processed);
        return job;
    }

    private static async Task<List<JsonObject>> LinesAsync(FileResponse export)
    {
        Assert.Equal(200, export.StatusCode);
        Assert.StartsWith("application/x-ndjson", Assert.Single(export.Headers["Content-Type"]));
        using var reader = new StreamReader(export.Stream, Encoding.UTF8);
        var lines = new List<JsonObject>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(JsonNode.Parse(line)!.AsObject());
        }
        Assert.Equal("export", lines[0].Text("type"));
        return lines;
    }

    private static IEnumerable<ThreadComment> Flatten(IEnumerable<ThreadComment> comments) =>
        comments.SelectMany(c => Flatten(c.Replies ?? []).Prepend(c));

    [Fact]
    public async Task A_Disqus_export_moves_in_and_back_out_with_every_mapped_field_and_into_another_site_unchanged()
    {
        var admin = session.Operator;
        var site = await session.NewSiteAsync();
        var file = ExportFiles.Disqus(threads: 3, comments: 80);

        var job = await ImportAsync(admin, site, file.Text, "disqus", "application/xml");
        Assert.Equal(80, job.Imported);
        Assert.Equal(3, job.ThreadsCreated);

        using (var export = await admin.ExportSiteAsync(site))
        {
            var lines = await LinesAsync(export);
            var threads = lines.Where(l => l.Text("type") == "thread").ToDictionary(l => l.Text("articleId")!);
            Assert.Equal(file.Threads.Count, threads.Count);
            foreach (var t in file.Threads)
            {
                Assert.Equal(t.Title, threads[t.ArticleId].Text("title"));
                Assert.Equal(t.Link, threads[t.ArticleId].Text("url"));
            }
            var bySource = ImportApi.CommentsBySource(lines);
            var sourceOfId = bySource.Values.ToDictionary(c => c.Text("id")!, c => c.Text("sourceId")!);
            var threadOf = file.Threads.ToDictionary(t => t.Key);
            Assert.Equal(file.Comments.Count, bySource.Count);
            foreach (var expected in file.Comments)
            {
                var line = bySource[expected.SourceId];
                Assert.Equal(threadOf[expected.ThreadKey].ArticleId, line.Text("articleId"));
                Assert.Equal(expected.ParentSourceId, line.Text("parentId") is { } parent ? sourceOfId[parent] : null);
                Assert.Equal(expected.Depth, line["depth"]!.GetValue<int>());
                Assert.Equal(expected.Status, line.Text("status"));
                Assert.Equal(expected.ExpectedAuthorName, line.Text("authorName"));
                Assert.Equal(expected.CreatedAt, DateTimeOffset.Parse(line.Text("createdAt")!, CultureInfo.InvariantCulture));
                Assert.Equal(expected.ExpectedBody, line.Text("body"));
            }
            Assert.DoesNotContain("@mail.example", string.Join("\n", lines.Select(l => l.ToJsonString())));

            // The JSON Lines export imports into another site and exports from there the same, line for line.
            var copy = await session.NewSiteAsync();
            var jsonl = string.Join("\n", lines.Select(l => l.ToJsonString())) + "\n";
            Assert.Equal(80, (await ImportAsync(admin, copy, jsonl, "jsonl", "application/x-ndjson")).Imported);
            using var again = await admin.ExportSiteAsync(copy);
            Assert.Equal(ImportApi.Portable(lines), ImportApi.Portable(await LinesAsync(again)));
        }

        // One article's export holds that article's thread only.
        var first = file.Threads[1];
        using (var article = await admin.ExportArticleAsync(site, first.ArticleId))
        {
            var lines = await LinesAsync(article);
            Assert.Equal(first.ArticleId, lines[0].Text("articleId"));
            Assert.Equal(first.ArticleId, Assert.Single(lines, l => l.Text("type") == "thread").Text("articleId"));
            Assert.Equal(file.Comments.Count(c => c.ThreadKey == first.Key), lines.Count(l => l.Text("type") == "comment"));
        }

        // Exports and imports are for the site's staff: a reader's key is refused, a bad format names the field.
        var reader = await session.KeyAsync(site, "comments:read");
        await ClientSession.ProblemAsync(403, "forbidden", () => reader.ExportSiteAsync(site));
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes(file.Text));
        var invalid = await ClientSession.ProblemAsync(400, "validation",
            () => admin.StartImportAsync(site, new FileParameter(csv, "comments.csv", "text/plain"), format: "csv"));
        Assert.Contains(invalid.Result.Errors!, e => e.Name == "format");
    }

    [Fact]
    public async Task The_client_reads_a_thread_nested_as_deep_as_the_service_allows()
    {
        var site = await session.NewSiteAsync();
        // The first thread holds a reply chain down to the service's maximum depth (32).
        var file = ExportFiles.Disqus(threads: 1, comments: ExportFiles.MaxDepth + 1);
        await ImportAsync(session.Operator, site, file.Text, "disqus", "application/xml");
        // Readers see approved comments, and hidden ones with replies as tombstones.
        var deepest = file.Comments.Where(c => c.Status == "approved").Max(c => c.Depth);
        Assert.True(deepest >= 31, "the chain must nest deeper than System.Text.Json's default depth of 64 allows");

        var page = await session.Reader.ListThreadAsync(site, file.Threads[0].ArticleId, limit: 100, maxReplies: 200);

        var comments = Flatten(page.Items!).ToList();
        Assert.Equal(deepest, comments.Max(c => c.Depth));
        Assert.Equal(file.Comments.Count(c => c.Status == "approved"), page.TotalCount);
    }
}

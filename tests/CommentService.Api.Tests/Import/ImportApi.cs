using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

/// <summary>The import and export routes as a script would use them.</summary>
public static class ImportApi
{
    public static string ImportsPath(string siteId) => $"/v1/sites/{siteId}/imports";

    public static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string siteId, string query, string content, string contentType = "application/xml")
    {
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await client.PostAsync(ImportsPath(siteId) + "?" + query, body);
    }

    /// <summary>Starts an import as the operator, expects 202, and waits for the job to end; returns the finished job.</summary>
    public static async Task<JsonObject> ImportAsync(this ServiceFixture service, string siteId, string query, string content, string contentType = "application/xml")
    {
        using var client = service.Operator();
        using var response = await PostFileAsync(client, siteId, query, content, contentType);
        var job = await Expect.JsonAsync(response, 202);
        Assert.Equal(ImportsPath(siteId) + "/" + job["id"]!.GetValue<string>(), response.Headers.Location?.OriginalString);
        return await WaitAsync(client, siteId, job["id"]!.GetValue<string>());
    }

    public static async Task<JsonObject> WaitAsync(HttpClient client, string siteId, string importId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync($"{ImportsPath(siteId)}/{importId}");
            var job = await Expect.JsonAsync(response, 200);
            var state = job["state"]!.GetValue<string>();
            if (state is "succeeded" or "failed")
            {
                return job;
            }
            Assert.True(state is "queued" or "running", "unknown state " + state);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the import did not finish: " + job.ToJsonString());
            await Task.Delay(100);
        }
    }

    public static void Succeeded(JsonObject job, int imported)
    {
        Assert.True(job["state"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal(imported, job["imported"]!.GetValue<int>());
        Assert.Equal(job["total"]!.GetValue<int>(), job["processed"]!.GetValue<int>());
    }

    /// <summary>GETs an export and splits its JSON Lines.</summary>
    public static async Task<List<JsonObject>> ExportAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await Expect.StatusAsync(response, 200);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
    }

    public static async Task<List<JsonObject>> ExportSiteAsync(this ServiceFixture service, string siteId)
    {
        using var client = service.Operator();
        return await ExportAsync(client, $"/v1/sites/{siteId}/export");
    }

    public static string? Text(this JsonObject o, string name) => o[name]?.GetValue<string>();

    /// <summary>The comment lines of an export keyed by source id.</summary>
    public static Dictionary<string, JsonObject> CommentsBySource(List<JsonObject> lines) =>
        lines.Where(l => l.Text("type") == "comment").ToDictionary(l => l.Text("sourceId")!);

    /// <summary>Every comment line with its parent given as the parent's source id, ids left out: what must survive a move between sites.</summary>
    public static List<string> Portable(List<JsonObject> lines)
    {
        var sourceOf = lines.Where(l => l.Text("type") == "comment").ToDictionary(l => l.Text("id")!, l => l.Text("sourceId")!);
        return lines.Where(l => l.Text("type") != "export").Select(l =>
        {
            var copy = l.DeepClone().AsObject();
            if (copy.Text("type") == "comment")
            {
                copy["parentSourceId"] = copy.Text("parentId") is { } parent ? sourceOf[parent] : null;
                copy.Remove("id");
                copy.Remove("parentId");
            }
            return copy.ToJsonString();
        }).ToList();
    }

    /// <summary>Fails listing every thread of the site whose counters or paths are wrong.</summary>
    public static async Task AssertTreesConsistentAsync(this ServiceFixture service, string siteId)
    {
        await using var cmd = service.Sql.CreateCommand("SELECT id FROM threads WHERE site_id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = siteId });
        var ids = new List<long>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            await service.AssertConsistentAsync(id);
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Security.Fuzz;

/// <summary>
/// Hostile input against every route of openapi.yaml, on an instance and database of its own (so the
/// content checksum sees only what these requests do): no 500, every 4xx a problem document, and a
/// refused request changes no content table.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class HostileInputTests(ServiceFixture service, ITestOutputHelper output)
{
    /// <summary>Fixed, so CI sends the same requests every run; COMMENTS_FUZZ_SEED and COMMENTS_FUZZ_REQUESTS explore further.</summary>
    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("COMMENTS_FUZZ_SEED"), out var seed) ? seed : 20261127;
    private static readonly int Requests = int.TryParse(Environment.GetEnvironmentVariable("COMMENTS_FUZZ_REQUESTS"), out var count) ? count : 4000;

    [Fact]
    public async Task Every_route_answers_hostile_requests_without_a_500_with_problem_details_and_changes_nothing_when_refusing()
    {
        var database = await ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, "comments_fuzz_" + Guid.NewGuid().ToString("N")[..10]);
        await using var sql = NpgsqlDataSource.Create(database);
        var logs = new LogCapture();
        await using var app = ExtraService.Start(database, logs.AttachTo,
            ("Comments:RateLimits:Enabled", "false"),
            ("Comments:Webhooks:DispatcherEnabled", "false"),
            ("Comments:Classifiers:TimeoutMilliseconds", "200"));
        Assert.True(await app.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the fuzzed instance did not become ready");

        var operations = await OpenApiOperations.LoadAsync();
        var world = await BuildWorldAsync(app);
        var generator = new HostileRequests(world, Seed);

        var statuses = new SortedDictionary<int, int>();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var perOperation = operations.ToDictionary(o => o.OperationId, _ => 0);
        var failures = new List<string>();
        var refused = 0;
        var kestrelRefused = 0;
        var checksum = await ServiceFixture.ContentChecksumAsync(sql);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Requests; i++)
        {
            var request = generator.Next(operations);
            perOperation[request.Operation.OperationId]++;
            kinds[request.Kind] = kinds.GetValueOrDefault(request.Kind) + 1;
            HttpResponseMessage response;
            try
            {
                response = await RawHttp.SendBytesAsync(app.BaseAddress, request.Operation.Method, request.Target, request.Headers, request.Body, TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidDataException or System.Net.Sockets.SocketException)
            {
                failures.Add($"#{i} no answer ({e.GetType().Name}: {e.Message}): {request.Describe()}");
                continue;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    failures.Add($"#{i} {status}: {request.Describe()} => {text}");
                }
                if (status is >= 400 and < 500)
                {
                    refused++;
                    // Kestrel refuses a request line or header block over its limits before any middleware runs,
                    // with a bare 414 or 431 (README, "Limits"); everything else is ours and must be a problem.
                    // So is a path segment that decodes to NUL (%00): Kestrel's bare 400, before routing.
                    var kestrel = status is 414 or 431 || (status == 400 && request.PathHasNul);
                    if (kestrel)
                    {
                        kestrelRefused++;
                    }
                    else if (ProblemError(response, status, text) is { } problem)
                    {
                        failures.Add($"#{i} {status} {problem}: {request.Describe()} => {text}");
                    }
                }
                var after = await ServiceFixture.ContentChecksumAsync(sql);
                if (status is >= 400 and < 500 && after != checksum)
                {
                    failures.Add($"#{i} {status} changed content: {request.Describe()} => {text}");
                }
                checksum = after;
            }
            if (failures.Count > 20)
            {
                break;
            }
        }
        var elapsed = clock.Elapsed;

        // The service's own errors (an unhandled exception is logged by ProblemMiddleware). EF Core also logs the
        // failed INSERT behind a handled conflict (a taken site id, a duplicate term), answered with a 4xx above.
        // Text the database refused (a NUL) is answered 400 but logged: it means a validator is missing, so it fails here too.
        var errors = logs.Lines.Where(l => (l.Level >= Microsoft.Extensions.Logging.LogLevel.Error && l.Category.StartsWith("CommentService", StringComparison.Ordinal))
                || l.Message.StartsWith("Unstorable text", StringComparison.Ordinal))
            .Select(l => l.All).Take(5).ToList();
        output.WriteLine($"seed {Seed}: {Requests} requests over {operations.Count} operations in {elapsed.TotalSeconds:F1} s; {refused} refused with 4xx, {kestrelRefused} of them by Kestrel itself (bare 400 for %00 in the path, 414, 431)");
        output.WriteLine("status: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        output.WriteLine("kinds: " + string.Join(", ", kinds.Select(k => $"{k.Key}×{k.Value}")));
        output.WriteLine("fewest per operation: " + string.Join(", ", perOperation.OrderBy(p => p.Value).Take(5).Select(p => $"{p.Key}×{p.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(errors.Count == 0, "errors logged:\n" + string.Join("\n", errors));
        Assert.All(perOperation, p => Assert.True(p.Value >= 20, $"{p.Key} got only {p.Value} requests"));
        Assert.True(statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value) > Requests / 10, "too few requests got through: the generator no longer reaches the handlers");
    }

    /// <summary>What is wrong with a 4xx answer as problem details; null when nothing is.</summary>
    public static string? ProblemError(HttpResponseMessage response, int status, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"is not problem+json ({response.Content.Headers.ContentType})";
        }
        try
        {
            var problem = JsonNode.Parse(text)!.AsObject();
            if (problem["status"]?.GetValue<int>() != status)
            {
                return "has the wrong status";
            }
            if (problem["type"]?.GetValue<string>() is not { } type || !type.StartsWith("https://commentservice.dev/problems/", StringComparison.Ordinal))
            {
                return "has no type of ours";
            }
            return null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            return "is not a JSON object: " + e.Message;
        }
    }

    /// <summary>Two sites, a key of each scope, a thread with a reply, a webhook, a ban and a rule: ids for the generator to aim at.</summary>
    private static async Task<FuzzWorld> BuildWorldAsync(ExtraService app)
    {
        using var op = app.Operator();
        const string site = "fuzz-site", other = "fuzz-other", article = "fuzz-article";
        foreach (var id in new[] { site, other })
        {
            await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id, name = "Fuzz " + id, allowedOrigins = new[] { "https://blog.example" } }), 201);
        }
        async Task<JsonObject> Post(string path, object body, int status = 201) =>
            await Expect.JsonAsync(await op.PostAsJsonAsync(path, body), status);

        var keys = new Dictionary<string, string?> { ["none"] = null, ["operator"] = "Bearer " + ServiceFixture.AdminKey, ["garbage"] = "Bearer csk_not-a-real-key" };
        var keyIds = new List<string>();
        foreach (var scope in new[] { "admin", "moderate", "comments:write", "comments:read" })
        {
            var created = await Post($"/v1/sites/{site}/keys", new { name = "fuzz " + scope, scopes = new[] { scope } });
            keys[scope] = "Bearer " + created["key"]!.GetValue<string>();
        }
        // Keys the fuzzer may revoke: never the callers' own, or most requests would end at 401.
        foreach (var i in Enumerable.Range(0, 3))
        {
            keyIds.Add((await Post($"/v1/sites/{site}/keys", new { name = "victim", scopes = new[] { "comments:read" } }))["id"]!.GetValue<string>());
        }
        var otherAdmin = await Post($"/v1/sites/{other}/keys", new { name = "other admin", scopes = new[] { "admin" } });
        keys["other-site-admin"] = "Bearer " + otherAdmin["key"]!.GetValue<string>();

        var first = await Post(ServiceFixture.CommentsPath(site, article), new { authorName = "Ada", authorEmail = "ada@mail.example", body = SampleText.Line(1) });
        var reply = await Post(ServiceFixture.CommentsPath(site, article), new { authorName = "Ben", body = SampleText.Line(2), parentId = first["id"] });
        var webhook = await Post($"/v1/sites/{site}/webhooks", new { url = "https://hooks.example/in", events = new[] { "comment.created" } });
        var ban = await Post($"/v1/sites/{site}/moderation/bans", new { commentId = first["id"], reason = "fuzz" });
        var rule = await Post($"/v1/sites/{site}/moderation/rules", new { kind = "term", term = "popcorn", action = "hold" });

        var ids = new Dictionary<string, IReadOnlyList<string>>
        {
            ["commentId"] = [first["id"]!.GetValue<string>(), reply["id"]!.GetValue<string>()],
            ["keyId"] = keyIds,
            ["webhookId"] = [webhook["id"]!.GetValue<string>()],
            ["banId"] = [ban["id"]!.GetValue<string>()],
            ["ruleId"] = [rule["id"]!.GetValue<string>()],
            ["deliveryId"] = [Guid.NewGuid().ToString()],
        };
        return new FuzzWorld(site, other, article, ids, keys);
    }
}

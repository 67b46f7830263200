using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using CommentService.Api.Infrastructure.Telemetry;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Scaling;

/// <summary>
/// The service's instruments and traces as an exporter sees them: a MeterListener on one instance's
/// meter, an ActivityListener for the request and database spans.
/// </summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class TelemetryTests(ServiceFixture service)
{
    [Fact]
    public async Task Created_comments_are_counted_by_status_and_flag_reason_and_the_gauges_report_queue_and_backlog()
    {
        var database = await ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, "comments_otel_" + Guid.NewGuid().ToString("N")[..10]);
        await using var instance = ExtraService.Start(database,
            ("Comments:Telemetry:GaugeIntervalSeconds", "0.3"),
            ("Comments:Webhooks:DispatcherEnabled", "false"),
            ("Comments:RateLimits:Enabled", "false"));
        Assert.True(await instance.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
        using var created = new InstanceCounter(instance.Services, "comments.created", "status");
        using var flags = new InstanceCounter(instance.Services, "comments.moderation.flags", "reason");

        var site = "otel-" + Guid.NewGuid().ToString("N")[..8];
        using (var op = instance.Operator())
        {
            await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id = site, name = "Telemetry" }), 201);
            await Expect.StatusAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/webhooks", new { url = "https://hooks.example/in", events = new[] { "comment.created" } }), 201);
        }
        using var client = instance.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            await Expect.StatusAsync(await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "a"), new { authorName = "Reader", body = SampleText.Line(i) }), 201);
        }
        // Link spam: held, with a spam reason.
        using var spam = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "a"), new
        {
            authorName = "Best Deals",
            body = "Cheap replica watches, best price, buy now at http://bit.ly/deal1 http://bit.ly/deal2 http://bit.ly/deal3 and http://tinyurl.com/x",
        });
        var held = (await Expect.JsonAsync(spam, 201))["status"]!.GetValue<string>();
        Assert.NotEqual("approved", held);

        Assert.Equal(3, created["approved"]);
        Assert.Equal(1, created[held]);
        var reasons = await ReasonsAsync(database);
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(flags[r] >= 1, $"no flag count for {r}"));

        // Gauges: the webhook backlog is the four undelivered events (no dispatcher runs here); the queue counts held comments.
        var gauges = new ConcurrentDictionary<string, long>();
        var factory = instance.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ServiceMetrics.MeterName && ReferenceEquals(i.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => gauges[i.Name] = v);
        listener.Start();
        var clock = Stopwatch.StartNew();
        while (gauges.GetValueOrDefault("comments.webhooks.backlog") != 4)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"backlog gauge: {gauges.GetValueOrDefault("comments.webhooks.backlog")}");
            await Task.Delay(100);
            listener.RecordObservableInstruments();
        }
        var pending = await CountAsync(database, "SELECT count(*) FROM comments WHERE status = 'pending'");
        Assert.Equal(pending, gauges["comments.moderation.queue"]);
        Assert.Equal(0, gauges["comments.imports.active"]);
    }

    [Fact]
    public async Task A_request_is_traced_with_its_database_calls_in_the_same_trace()
    {
        var site = await service.CreateSiteAsync();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        // The caller's W3C trace context is continued: the request and its queries join the caller's trace.
        var traceId = ActivityTraceId.CreateRandom();
        using (var client = service.Anonymous())
        using (var post = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, "traced")) { Content = JsonContent.Create(new { authorName = "Reader", body = SampleText.Line(7) }) })
        {
            post.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            await Expect.StatusAsync(await client.SendAsync(post), 201);
        }

        // The server span ends just after the answer is sent.
        var clock = Stopwatch.StartNew();
        while (!spans.Any(s => s.Source.Name == "Microsoft.AspNetCore" && s.TraceId == traceId) && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }
        var request = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.TraceId == traceId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        var database = spans.Where(s => s.Source.Name == "Npgsql" && s.TraceId == request.TraceId).ToList();
        Assert.NotEmpty(database);
        Assert.All(database, s => Assert.Equal(ActivityKind.Client, s.Kind));
    }

    private static async Task<List<string>> ReasonsAsync(string database)
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(database);
        await using var cmd = source.CreateCommand("SELECT DISTINCT f->>'reason' FROM comments, jsonb_array_elements(verdict->'flags') f");
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(database);
        await using var cmd = source.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}

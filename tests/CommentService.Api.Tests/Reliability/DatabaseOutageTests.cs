using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Reliability;

/// <summary>
/// PostgreSQL stopped and started again under load, with the real database process (a cluster of the
/// test's own, so the suite's database stays up): the API answers 503 with Retry-After during the
/// outage and never 500, keeps its liveness, recovers without a restart, and every comment it
/// acknowledged with 201 is in the database afterwards.
/// COMMENTS_SOAK_SECONDS makes the load run longer with an outage every six seconds (scripts/soak.sh).
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const int Posters = 8;

    private sealed record Outcome(int Status, Guid? Id, bool RetryAfter, string? Error, TimeSpan At);

    [Fact]
    public async Task PostgreSQL_stopped_and_restarted_under_load_gives_503s_with_Retry_After_no_500s_and_loses_no_acknowledged_comment()
    {
        var soak = int.TryParse(Environment.GetEnvironmentVariable("COMMENTS_SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 0;
        var duration = TimeSpan.FromSeconds(Math.Max(soak, 14));
        var dir = Path.Combine(Path.GetTempPath(), "commentservice-outage-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var port = ExtraService.FreePort();
        var admin = await LocalPostgres.StartAsync(dir, port, durable: true);
        try
        {
            var connection = await ServiceFixture.CreateDatabaseAsync(admin, "comments_outage");
            // A short connect timeout, as an operator would set: during an outage a request fails fast with 503.
            await using var api = ExtraService.Start(connection + ";Timeout=3;Command Timeout=10", ("Comments:RateLimits:Enabled", "false"));
            Assert.True(await api.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the service did not become ready");
            var site = "outage-" + Guid.NewGuid().ToString("N")[..8];
            using (var op = api.Operator())
            {
                await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id = site, name = "Outage site" }), 201);
            }

            var outcomes = new ConcurrentQueue<Outcome>();
            var probes = new ConcurrentQueue<(string Path, int Status, TimeSpan Sent, TimeSpan At)>();
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            using var client = api.Anonymous();
            client.Timeout = TimeSpan.FromSeconds(30);
            var sequence = 0;

            var load = Enumerable.Range(0, Posters).Select(p => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref sequence);
                    var path = ServiceFixture.CommentsPath(site, $"article-{n % 5}");
                    try
                    {
                        using var response = await client.PostAsJsonAsync(path, new { authorName = $"Reader {p}-{n}", body = SampleText.Line(n) });
                        var text = await response.Content.ReadAsStringAsync();
                        var status = (int)response.StatusCode;
                        Guid? id = status == 201 ? Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>()) : null;
                        outcomes.Enqueue(new Outcome(status, id, response.Headers.RetryAfter?.Delta > TimeSpan.Zero, status is 201 or 503 ? null : text, clock.Elapsed));
                        if (status == 503)
                        {
                            await Task.Delay(100); // a client backing off a little, as Retry-After asks
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        outcomes.Enqueue(new Outcome(0, null, false, e.Message, clock.Elapsed));
                    }
                }
            })).ToList();

            // Liveness and readiness sampled all along, as an orchestrator would.
            var probing = Task.Run(async () =>
            {
                using var probe = api.Anonymous();
                while (!stop.IsCancellationRequested)
                {
                    foreach (var path in new[] { "/health/live", "/health/ready" })
                    {
                        var sent = clock.Elapsed;
                        using var response = await probe.GetAsync(path);
                        probes.Enqueue((path, (int)response.StatusCode, sent, clock.Elapsed));
                    }
                    await Task.Delay(200);
                }
            });

            // The faults: every six seconds from 3 s on, PostgreSQL goes away for about 3 s (fast shutdown, then a crash, alternately).
            var outages = new List<(string Mode, TimeSpan Down, TimeSpan Restart, TimeSpan Up)>();
            for (var at = TimeSpan.FromSeconds(3); at + TimeSpan.FromSeconds(5) <= duration; at += TimeSpan.FromSeconds(6))
            {
                await Task.Delay(at - clock.Elapsed);
                var mode = outages.Count % 2 == 0 ? "fast" : "immediate";
                await LocalPostgres.StopAsync(dir, mode);
                var down = clock.Elapsed;
                await Task.Delay(TimeSpan.FromSeconds(3));
                var restart = clock.Elapsed;
                await LocalPostgres.StartAsync(dir, port, durable: true);
                outages.Add((mode, down, restart, clock.Elapsed));
            }
            // Load goes on for the rest of the run, and at least 3 s after the last restart: the API must recover by itself.
            var end = duration > outages[^1].Up + TimeSpan.FromSeconds(3) ? duration : outages[^1].Up + TimeSpan.FromSeconds(3);
            await Task.Delay(end - clock.Elapsed);
            await stop.CancelAsync();
            await Task.WhenAll(load);
            await probing;

            var all = outcomes.ToList();
            var created = all.Where(o => o.Status == 201).ToList();
            var unavailable = all.Where(o => o.Status == 503).ToList();
            var others = all.Where(o => o.Status is not (201 or 503)).ToList();
            var lastUp = outages[^1].Up;
            var acknowledgedAfter = created.Count(o => o.At > lastUp);

            // Every acknowledged comment is stored, once.
            var ids = created.Select(o => o.Id!.Value).ToArray();
            await using var sql = NpgsqlDataSource.Create(connection);
            await using var cmd = sql.CreateCommand("SELECT count(*) FROM comments WHERE id = ANY($1)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
            var found = (long)(await cmd.ExecuteScalarAsync())!;
            await using var total = sql.CreateCommand("SELECT count(*) FROM comments WHERE site_id = $1");
            total.Parameters.Add(new NpgsqlParameter { Value = site });
            var stored = (long)(await total.ExecuteScalarAsync())!;

            // Probes wholly inside the time PostgreSQL was down (sent after the stop returned, answered before the restart began).
            var liveDuringOutage = probes.Where(p => p.Path == "/health/live" && outages.Any(o => p.Sent > o.Down && p.At < o.Restart)).ToList();
            var readyDuringOutage = probes.Where(p => p.Path == "/health/ready" && outages.Any(o => p.Sent > o.Down && p.At < o.Restart)).ToList();

            output.WriteLine($"{Posters} posters for {clock.Elapsed.TotalSeconds:0} s; outages: "
                + string.Join(", ", outages.Select(o => $"{o.Mode} stop at {o.Down.TotalSeconds:0.0} s, back at {o.Up.TotalSeconds:0.0} s")));
            output.WriteLine($"requests: {all.Count}; 201: {created.Count} ({acknowledgedAfter} after the last restart); 503: {unavailable.Count} "
                + $"(with Retry-After: {unavailable.Count(o => o.RetryAfter)}); other statuses: {others.Count(o => o.Status != 0)}; 500s: {all.Count(o => o.Status == 500)}; "
                + $"connection errors: {others.Count(o => o.Status == 0)}");
            output.WriteLine($"acknowledged comments found in the database: {found} of {ids.Length} (distinct ids {ids.Distinct().Count()}); comments stored: {stored}");
            output.WriteLine($"during outages: /health/live {liveDuringOutage.Count(p => p.Status == 200)} of {liveDuringOutage.Count} answered 200; "
                + $"/health/ready {readyDuringOutage.Count(p => p.Status == 503)} of {readyDuringOutage.Count} answered 503");

            Assert.True(others.Count == 0, $"{others.Count} answers were neither 201 nor 503: "
                + string.Join("\n", others.Take(5).Select(o => $"{o.Status} at {o.At.TotalSeconds:0.0} s: {o.Error}")));
            Assert.NotEmpty(unavailable); // the fault bit: without 503s the test proved nothing
            Assert.All(unavailable, o => Assert.True(o.RetryAfter, "a 503 without Retry-After"));
            Assert.Equal(ids.Length, ids.Distinct().Count());
            Assert.Equal((long)ids.Length, found);
            Assert.True(acknowledgedAfter > 0, "no comment was acknowledged after PostgreSQL came back: the API did not recover");
            Assert.NotEmpty(liveDuringOutage);
            Assert.All(liveDuringOutage, p => Assert.Equal(200, p.Status));
            Assert.NotEmpty(readyDuringOutage);
            Assert.All(readyDuringOutage, p => Assert.Equal(503, p.Status));
            Assert.True(await api.WaitForReadinessAsync(200, TimeSpan.FromSeconds(10)), "readiness did not come back");
        }
        finally
        {
            await LocalPostgres.StopAsync(dir, "immediate");
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

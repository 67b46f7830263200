using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Infrastructure.Scaling;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Scaling;

/// <summary>
/// Thread reads and counts from a real streaming standby: proven by pausing the standby's replay
/// (anonymous readers then see the standby's older data, writers see their own comment from the
/// primary), then by letting the pause outlast MaxLagSeconds, and by stopping the standby.
/// </summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class ReadReplicaTests(Replication clusters) : IClassFixture<Replication>
{
    private const double MaxLagSeconds = 5;

    private async Task<ExtraService> StartAsync()
    {
        var instance = ExtraService.Start(clusters.Primary,
            ("ConnectionStrings:CommentsRead", clusters.Standby + ";Timeout=3"),
            ("Comments:ReadReplica:MaxLagSeconds", MaxLagSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Comments:ReadReplica:CheckIntervalMilliseconds", "200"),
            ("Comments:RateLimits:Enabled", "false"));
        Assert.True(await instance.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the service did not become ready");
        await WaitForStateAsync(instance, ReplicaState.InUse);
        return instance;
    }

    private static async Task WaitForStateAsync(ExtraService instance, ReplicaState state)
    {
        var replica = instance.Services.GetRequiredService<ReadReplica>();
        var clock = Stopwatch.StartNew();
        while (replica.State != state)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the replica stayed {replica.State}, expected {state}");
            await Task.Delay(50);
        }
    }

    private static async Task<string> CreateSiteAsync(ExtraService instance)
    {
        var site = "replica-" + Guid.NewGuid().ToString("N")[..8];
        using var client = instance.Operator();
        await Expect.StatusAsync(await client.PostAsJsonAsync("/v1/sites", new { id = site, name = "Replica" }), 201);
        return site;
    }

    private static async Task<Guid> PostAsync(HttpClient client, string site, int line)
    {
        using var response = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "film"), new { authorName = "Reader", body = SampleText.Line(line) });
        return Guid.Parse((await Expect.JsonAsync(response, 201))["id"]!.GetValue<string>());
    }

    /// <summary>The ids in the thread as this client reads it (a fresh client has no recent-write cookie).</summary>
    private static async Task<HashSet<Guid>> ThreadAsync(HttpClient client, string site)
    {
        using var response = await client.GetAsync(ServiceFixture.CommentsPath(site, "film"));
        var page = await Expect.JsonAsync(response, 200);
        return page["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).ToHashSet();
    }

    private static async Task<int> CountAsync(HttpClient client, string site)
    {
        using var response = await client.GetAsync($"/v1/sites/{site}/counts?articleId=film");
        return (await Expect.JsonAsync(response, 200))["counts"]![0]!["count"]!.GetValue<int>();
    }

    private static async Task<HashSet<Guid>> FreshReadAsync(ExtraService instance, string site)
    {
        using var reader = instance.Anonymous();
        return await ThreadAsync(reader, site);
    }

    [Fact]
    public async Task Anonymous_reads_come_from_the_standby_writers_read_their_own_writes_and_a_lagging_standby_is_left_out()
    {
        await using var instance = await StartAsync();
        using var reads = new InstanceCounter(instance.Services, "comments.db.reads", "source");
        var site = await CreateSiteAsync(instance);
        // One client plays the writer: it keeps the recent-write cookie its post answers with.
        using var writer = instance.Anonymous();
        var first = await PostAsync(writer, site, 1);
        await clusters.WaitUntilStandbyCurrentAsync();
        Assert.Equal([first], await FreshReadAsync(instance, site));

        // Replay stops on the standby; the primary goes on.
        await clusters.WaitUntilStandbyCurrentAsync();
        await Replication.OnAsync<object>(clusters.Standby, "SELECT pg_wal_replay_pause()");
        var paused = Stopwatch.StartNew();
        var second = await PostAsync(writer, site, 2);

        var anonymous = await FreshReadAsync(instance, site);
        using (var counter = instance.Anonymous())
        {
            var staleCount = await CountAsync(counter, site);
            Assert.True(paused.Elapsed < TimeSpan.FromSeconds(MaxLagSeconds), $"too slow to observe the standby ({paused.Elapsed}); raise MaxLagSeconds");
            Assert.Equal([first], anonymous);
            Assert.Equal(1, staleCount);
        }
        Assert.Equal([first, second], await ThreadAsync(writer, site));
        Assert.Equal(2, await CountAsync(writer, site));
        using (var moderator = instance.Operator())
        {
            Assert.Equal([first, second], await ThreadAsync(moderator, site));
        }
        Assert.True(reads["replica"] >= 3, $"replica reads: {reads["replica"]}");

        // Past MaxLagSeconds the standby is left out: every reader sees the primary, while the standby still lacks the comment.
        var clock = Stopwatch.StartNew();
        while (!(await FreshReadAsync(instance, site)).Contains(second))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(MaxLagSeconds + 10), "reads never left the lagging standby");
            await Task.Delay(200);
        }
        Assert.Equal(0L, await Replication.OnAsync<long>(clusters.Standby, "SELECT count(*) FROM comments WHERE id = $1", second));
        Assert.Equal(ReplicaState.Lagging, instance.Services.GetRequiredService<ReadReplica>().State);
        Assert.True(paused.Elapsed >= TimeSpan.FromSeconds(MaxLagSeconds - 1), $"left the standby after {paused.Elapsed}, before it lagged");
        using (var counter = instance.Anonymous())
        {
            Assert.Equal(2, await CountAsync(counter, site));
        }

        // Replay resumes: the standby catches up and serves reads again.
        await Replication.OnAsync<object>(clusters.Standby, "SELECT pg_wal_replay_resume()");
        await WaitForStateAsync(instance, ReplicaState.InUse);
        var before = reads["replica"];
        Assert.Equal([first, second], await FreshReadAsync(instance, site));
        Assert.Equal(before + 1, reads["replica"]);
    }

    [Fact]
    public async Task With_the_standby_down_reads_still_answer_from_the_primary_and_return_to_it_when_it_is_back()
    {
        await using var instance = await StartAsync();
        using var reads = new InstanceCounter(instance.Services, "comments.db.reads", "source");
        var site = await CreateSiteAsync(instance);
        using var writer = instance.Anonymous();
        var first = await PostAsync(writer, site, 3);
        await clusters.WaitUntilStandbyCurrentAsync();
        Assert.Equal([first], await FreshReadAsync(instance, site));
        Assert.Equal(1, reads["replica"]);

        await clusters.StopStandbyAsync();
        try
        {
            // At once, before any check noticed: the failed connection sends the read to the primary.
            Assert.Equal([first], await FreshReadAsync(instance, site));
            var second = await PostAsync(writer, site, 4);
            Assert.Equal([first, second], await FreshReadAsync(instance, site));
            using (var counter = instance.Anonymous())
            {
                Assert.Equal(2, await CountAsync(counter, site));
            }
            using (var probe = instance.Anonymous())
            {
                await Expect.StatusAsync(await probe.GetAsync("/health/ready"), 200);
            }
            Assert.NotEqual(ReplicaState.InUse, instance.Services.GetRequiredService<ReadReplica>().State);
        }
        finally
        {
            await clusters.StartStandbyAsync();
        }

        await WaitForStateAsync(instance, ReplicaState.InUse);
        var before = reads["replica"];
        Assert.Equal(2, (await FreshReadAsync(instance, site)).Count);
        Assert.Equal(before + 1, reads["replica"]);
    }
}

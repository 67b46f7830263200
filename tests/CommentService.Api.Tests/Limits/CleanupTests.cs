using System.Net.Http.Json;
using CommentService.Api.Infrastructure;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Limits;

/// <summary>The scheduled clean-up of operational rows: expired rate-limit counters and old webhook deliveries.</summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class CleanupTests(ServiceFixture service)
{
    private Task<long> CountAsync(string sql, params object[] parameters) => service.ScalarAsync<long>(sql, parameters);

    private async Task InsertCounterAsync(string key, string expiresIn)
    {
        await using var cmd = service.Sql.CreateCommand($"""
            INSERT INTO rate_limit_counters (scope, key, window_seconds, window_start, hits, expires_at)
            VALUES ('cleanup.test', $1, 60, now() + interval '{expiresIn}' - interval '60 seconds', 3, now() + interval '{expiresIn}')
            """);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>An event with one delivery in <paramref name="status"/>, finished <paramref name="age"/> ago.</summary>
    private async Task<Guid> InsertDeliveryAsync(string site, Guid webhook, string status, string age)
    {
        var eventId = Guid.NewGuid();
        await using var cmd = service.Sql.CreateCommand($"""
            WITH event AS (
                INSERT INTO webhook_events (id, site_id, type, occurred_at, body)
                VALUES ($1, $2, 'comment.created', now() - interval '{age}', '[]') RETURNING id)
            INSERT INTO webhook_deliveries (id, event_id, webhook_id, status, attempts, next_attempt_at, created_at, last_attempt_at, delivered_at)
            SELECT gen_random_uuid(), event.id, $3, $4, 1, now() - interval '{age}', now() - interval '{age}', now() - interval '{age}',
                   CASE WHEN $4 = 'delivered' THEN now() - interval '{age}' END
            FROM event
            """);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = eventId });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = site });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = webhook });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = status });
        await cmd.ExecuteNonQueryAsync();
        return eventId;
    }

    [Fact]
    public async Task A_sweep_deletes_expired_counters_and_old_finished_deliveries_and_keeps_the_rest()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        var created = await Expect.JsonAsync(await client.PostAsJsonAsync($"/v1/sites/{site}/webhooks",
            new { url = "https://receiver.invalid/sweep", events = new[] { "comment.created" } }), 201);
        var webhook = Guid.Parse(created["id"]!.GetValue<string>());
        var expired = "expired-" + Guid.NewGuid().ToString("N");
        var current = "current-" + Guid.NewGuid().ToString("N");
        await InsertCounterAsync(expired, "-5 seconds");
        await InsertCounterAsync(current, "30 seconds");

        // Retention defaults: delivered 7 days, failed 30 days; pending deliveries are never swept.
        var oldDelivered = await InsertDeliveryAsync(site, webhook, "delivered", "8 days");
        var recentDelivered = await InsertDeliveryAsync(site, webhook, "delivered", "6 days");
        var oldFailed = await InsertDeliveryAsync(site, webhook, "failed", "31 days");
        var recentFailed = await InsertDeliveryAsync(site, webhook, "failed", "8 days");
        var oldPending = await InsertDeliveryAsync(site, webhook, "pending", "40 days");

        var result = await service.Services.GetRequiredService<Housekeeping>().RunOnceAsync(CancellationToken.None);
        Assert.True(result.RateLimitCounters >= 1 && result.WebhookDeliveries >= 2 && result.WebhookEvents >= 2, result.ToString());

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM rate_limit_counters WHERE key = $1", expired));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM rate_limit_counters WHERE key = $1", current));
        foreach (var (id, kept) in new[] { (oldDelivered, false), (recentDelivered, true), (oldFailed, false), (recentFailed, true), (oldPending, true) })
        {
            Assert.Equal(kept ? 1 : 0, await CountAsync("SELECT count(*) FROM webhook_deliveries WHERE event_id = $1", id));
            Assert.Equal(kept ? 1 : 0, await CountAsync("SELECT count(*) FROM webhook_events WHERE id = $1", id));
        }
        var listed = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{site}/webhooks/{webhook}/deliveries"), 200);
        Assert.Equal(3, listed["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_sweep_runs_by_itself_at_the_configured_interval()
    {
        var expired = "scheduled-" + Guid.NewGuid().ToString("N");
        await InsertCounterAsync(expired, "-1 seconds");
        await using var instance = ExtraService.Start(service.ConnectionString, ("Comments:Cleanup:IntervalSeconds", "1"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await CountAsync("SELECT count(*) FROM rate_limit_counters WHERE key = $1", expired) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the expired counter was not swept within 20 s");
            await Task.Delay(200);
        }
    }
}

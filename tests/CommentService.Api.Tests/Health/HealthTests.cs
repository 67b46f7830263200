using System.Net.Http.Json;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CommentService.Api.Tests.Health;

[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class HealthTests(ServiceFixture service)
{
    private static async Task AssertStatusAsync(HttpClient client, string path, int status)
    {
        using var response = await client.GetAsync(path);
        await Expect.StatusAsync(response, status);
    }

    /// <summary>Every kind of API route answers 503 database-unavailable with Retry-After, never 500.</summary>
    private static async Task AssertApiUnavailableAsync(HttpClient anonymous, HttpClient operatorClient, string site)
    {
        var attempts = new List<Func<Task<HttpResponseMessage>>>
        {
            () => anonymous.GetAsync($"/v1/sites/{site}/articles/a/comments"),
            () => anonymous.PostAsJsonAsync($"/v1/sites/{site}/articles/a/comments", new { authorName = "Ada", body = "Anyone there?" }),
            () => anonymous.GetAsync($"/v1/sites/{site}/counts?articleId=a"),
            () => operatorClient.GetAsync($"/v1/sites/{site}"),
            () => operatorClient.PostAsJsonAsync("/v1/sites", new { id = "late-site", name = "Late" }),
        };
        foreach (var attempt in attempts)
        {
            using var response = await attempt();
            await Expect.ProblemAsync(response, 503, "database-unavailable");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"no Retry-After on {response.RequestMessage!.Method} {response.RequestMessage.RequestUri}");
        }
    }

    [Fact]
    public async Task Live_and_ready_answer_200_when_the_database_is_up()
    {
        using var client = service.Anonymous();
        await AssertStatusAsync(client, "/health/live", 200);
        await AssertStatusAsync(client, "/health/ready", 200);
    }

    [Fact]
    public async Task Unreachable_at_start_it_stays_up_not_ready_then_becomes_ready_when_PostgreSQL_arrives()
    {
        var port = ExtraService.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "commentservice-late-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var connection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=comments_late;Timeout=5";
        await using var late = ExtraService.Start(connection);
        try
        {
            using var anonymous = late.Anonymous();
            using var operatorClient = late.Operator();

            await AssertStatusAsync(anonymous, "/health/live", 200);
            await AssertStatusAsync(anonymous, "/health/ready", 503);
            await AssertApiUnavailableAsync(anonymous, operatorClient, "x");
            // Still up after the first retries failed.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(late.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
            await AssertStatusAsync(anonymous, "/health/live", 200);
            await AssertStatusAsync(anonymous, "/health/ready", 503);

            await LocalPostgres.StartAsync(dir, port);
            Assert.True(await late.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the service did not become ready after PostgreSQL started");

            var site = "late-" + Guid.NewGuid().ToString("N")[..8];
            await Expect.StatusAsync(await operatorClient.PostAsJsonAsync("/v1/sites", new { id = site, name = "Late site" }), 201);
            await Expect.StatusAsync(await anonymous.PostAsJsonAsync($"/v1/sites/{site}/articles/a/comments", new { authorName = "Ada", body = "First!" }), 201);

            // The database goes away under a running service: still 503, never 500; and back again.
            await LocalPostgres.StopAsync(dir);
            await AssertApiUnavailableAsync(anonymous, operatorClient, site);
            await AssertStatusAsync(anonymous, "/health/ready", 503);
            await AssertStatusAsync(anonymous, "/health/live", 200);

            await LocalPostgres.StartAsync(dir, port);
            Assert.True(await late.WaitForReadinessAsync(200, TimeSpan.FromSeconds(30)), "the service did not recover after PostgreSQL restarted");
            var thread = await Expect.JsonAsync(await anonymous.GetAsync($"/v1/sites/{site}/articles/a/comments"), 200);
            Assert.Equal(1, thread["totalCount"]!.GetValue<int>());
        }
        finally
        {
            await LocalPostgres.StopAsync(dir);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task Without_migrations_an_empty_database_is_not_ready_until_a_migration_job_runs()
    {
        var name = "comments_unmigrated_" + Guid.NewGuid().ToString("N")[..8];
        var connection = await ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, name);
        await using var waiting = ExtraService.Start(connection, ("Comments:ApplyMigrations", "false"));
        using var anonymous = waiting.Anonymous();
        using var operatorClient = waiting.Operator();

        // Give the start-up check time to look at the schema more than once.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await AssertStatusAsync(anonymous, "/health/live", 200);
        await AssertStatusAsync(anonymous, "/health/ready", 503);
        await AssertApiUnavailableAsync(anonymous, operatorClient, "x");
        await using (var sql = new NpgsqlConnection(connection))
        {
            await sql.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", sql);
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        }

        // Another instance with migrations on plays the migration job; the waiting one notices by itself.
        await using (var migrator = ExtraService.Start(connection))
        {
            Assert.True(await migrator.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the migrating instance did not become ready");
        }
        Assert.True(await waiting.WaitForReadinessAsync(200, TimeSpan.FromSeconds(40)), "the waiting instance did not notice the migrated schema");
        await Expect.JsonAsync(await anonymous.GetAsync("/v1/sites/x/articles/a/comments"), 404);
    }
}

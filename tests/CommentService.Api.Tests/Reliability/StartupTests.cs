using System.Net.Http.Json;
using CommentService.Api.Data;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Reliability;

/// <summary>
/// The real service process started against a database it cannot use yet: it says why in one log
/// line, stays up (liveness 200) with readiness 503 and API routes 503 + Retry-After, instead of
/// exiting into a crash loop; an orchestrator sees "not ready", an operator reads the reason.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class StartupTests(ServiceFixture service, ITestOutputHelper output)
{
    private static async Task AssertNotReadyButAliveAsync(ServiceProcess api)
    {
        using var client = api.Anonymous();
        using var operatorClient = api.Operator();
        await Expect.StatusAsync(await client.GetAsync("/health/live"), 200);
        await Expect.StatusAsync(await client.GetAsync("/health/ready"), 503);
        using var write = await operatorClient.PostAsJsonAsync("/v1/sites", new { id = "too-early", name = "Too early" });
        await Expect.ProblemAsync(write, 503, "database-unavailable");
        Assert.True(write.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");
        Assert.False(api.HasExited, "the process exited:\n" + api.LogText);
    }

    [Fact]
    public async Task With_PostgreSQL_unreachable_the_process_stays_up_not_ready_and_logs_which_database_it_cannot_reach()
    {
        var port = ExtraService.FreePort();
        await using var api = ServiceProcess.Start($"Host=127.0.0.1;Port={port};Username=postgres;Password=not-for-logs;Database=comments_nowhere;Timeout=3");

        var line = await api.WaitForLogAsync(TimeSpan.FromSeconds(60), "not reachable yet", $"127.0.0.1:{port}/comments_nowhere");
        Assert.True(line is not null, "no log line names the unreachable database:\n" + api.LogText);
        Assert.True(await api.WaitForReadinessAsync(503, TimeSpan.FromSeconds(30)), "the process did not answer /health/ready with 503:\n" + api.LogText);
        // Several retries later it is still up and still says why.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await AssertNotReadyButAliveAsync(api);
        Assert.True(api.Log.Count(l => l.Contains("not reachable yet", StringComparison.Ordinal)) >= 2, "it stopped retrying:\n" + api.LogText);
        Assert.DoesNotContain("not-for-logs", api.LogText);

        api.Terminate();
        Assert.True(await api.WaitForExitAsync(TimeSpan.FromSeconds(20)), "SIGTERM did not stop a process waiting for its database");
        Assert.Equal(0, api.ExitCode);
        output.WriteLine($"unreachable database: {api.Log.Count(l => l.Contains("not reachable yet", StringComparison.Ordinal))} retry lines, e.g. {line}");
    }

    [Fact]
    public async Task With_an_older_schema_and_migrations_off_it_is_not_ready_and_names_the_pending_migrations_then_a_migrating_start_fixes_it()
    {
        var connection = await ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, "comments_old_" + Guid.NewGuid().ToString("N")[..10]);
        string[] missing;
        await using (var db = new CommentsDb(new DbContextOptionsBuilder<CommentsDb>()
            .UseNpgsql(connection, o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention().Options))
        {
            // The schema of the build before the last two migrations: what an old release left behind.
            var all = db.Database.GetMigrations().ToList();
            missing = [.. all.TakeLast(2)];
            await db.GetService<IMigrator>().MigrateAsync(all[^3]);
        }

        await using (var api = ServiceProcess.Start(connection, ("Comments__ApplyMigrations", "false")))
        {
            var line = await api.WaitForLogAsync(TimeSpan.FromSeconds(60), "schema is behind this build", missing[0], missing[1]);
            Assert.True(line is not null, "no log line names the pending migrations:\n" + api.LogText);
            Assert.True(await api.WaitForReadinessAsync(503, TimeSpan.FromSeconds(30)), "the process did not answer /health/ready with 503:\n" + api.LogText);
            await AssertNotReadyButAliveAsync(api);
            output.WriteLine($"older schema: {line}");
        }

        // The next release starts with migrations on (the default): it brings the schema up and is ready.
        await using var upgraded = ServiceProcess.Start(connection);
        Assert.True(await upgraded.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the migrating start did not become ready:\n" + upgraded.LogText);
        Assert.NotNull(await upgraded.WaitForLogAsync(TimeSpan.FromSeconds(5), "schema is current"));
    }
}

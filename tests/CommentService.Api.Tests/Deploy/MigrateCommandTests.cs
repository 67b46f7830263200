using System.Diagnostics;
using CommentService.Api.Data;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommentService.Api.Tests.Deploy;

/// <summary>
/// `dotnet CommentService.Api.dll --migrate`, the command the Kubernetes migration Job runs, as a real
/// process against a real database.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class MigrateCommandTests(ServiceFixture service)
{
    private sealed record Run(int ExitCode, string Output);

    private static async Task<Run> RunMigrateAsync(string connectionString)
    {
        var api = typeof(Program).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", [api, "--migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.Environment["ConnectionStrings__Comments"] = connectionString;
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment.Remove("COMMENTS_ADMIN_KEY");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("--migrate did not exit within 120 s: " + await stdout);
        }
        return new Run(process.ExitCode, await stdout + await stderr);
    }

    private static List<string> MigrationsInBuild()
    {
        using var db = new CommentsDb(new DbContextOptionsBuilder<CommentsDb>()
            .UseNpgsql("Host=unused", o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options);
        return [.. db.Database.GetMigrations()];
    }

    [Fact]
    public async Task Migrate_mode_brings_an_empty_database_to_the_current_schema_exits_0_and_a_waiting_replica_becomes_ready()
    {
        var name = "comments_migrate_" + Guid.NewGuid().ToString("N")[..8];
        var connection = await ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, name);
        var expected = MigrationsInBuild();
        Assert.NotEmpty(expected);

        var first = await RunMigrateAsync(connection);
        Assert.True(first.ExitCode == 0, "exit " + first.ExitCode + ": " + first.Output);
        Assert.Contains($"Migrations: applied {expected.Count}; the schema is current at {expected[^1]}", first.Output, StringComparison.Ordinal);

        await using (var sql = new NpgsqlConnection(connection))
        {
            await sql.OpenAsync();
            await using var applied = new NpgsqlCommand("SELECT migration_id FROM __ef_migrations_history ORDER BY migration_id", sql);
            var ids = new List<string>();
            await using (var reader = await applied.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetString(0));
                }
            }
            Assert.Equal(expected, ids);
            await using var comments = new NpgsqlCommand("SELECT count(*) FROM information_schema.columns WHERE table_name = 'comments' AND column_name = 'path'", sql);
            Assert.Equal(1L, (long)(await comments.ExecuteScalarAsync())!);
        }

        // A second run (the Job re-run by a retried rollout) changes nothing and still succeeds.
        var second = await RunMigrateAsync(connection);
        Assert.True(second.ExitCode == 0, "exit " + second.ExitCode + ": " + second.Output);
        Assert.Contains($"Migrations: nothing to apply; the schema is current at {expected[^1]}", second.Output, StringComparison.Ordinal);

        // The command started no server: a replica that must not migrate finds the schema current and serves.
        await using var replica = ExtraService.Start(connection, ("Comments:ApplyMigrations", "false"));
        Assert.True(await replica.WaitForReadinessAsync(200, TimeSpan.FromSeconds(30)), "the replica with ApplyMigrations=false did not become ready");
        using var operatorClient = replica.Operator();
        var site = "migrated-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await operatorClient.PostAsync("/v1/sites", System.Net.Http.Json.JsonContent.Create(new { id = site, name = "Migrated" }));
        await Expect.StatusAsync(created, 201);
    }

    [Fact]
    public async Task Migrate_mode_exits_1_with_a_clear_line_and_no_password_when_the_database_is_unreachable()
    {
        var port = ExtraService.FreePort();
        const string password = "not-in-any-log-7f3a";
        var result = await RunMigrateAsync($"Host=127.0.0.1;Port={port};Username=migrator;Password={password};Database=comments;Timeout=3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Migrations failed:", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Output, StringComparison.Ordinal);
    }
}

using Testcontainers.PostgreSql;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server for the suite, found in this order: COMMENTS_TEST_CONNECTION from the
/// environment, a Testcontainers container where Docker runs, or a throw-away cluster started from
/// the machine's PostgreSQL binaries by scripts/local-postgres.sh.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private PostgreSqlContainer? container;
    private string? localDir;

    public string AdminConnectionString { get; private set; } = "";
    public string Source { get; private set; } = "";

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        var fromEnv = Environment.GetEnvironmentVariable("COMMENTS_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            server.AdminConnectionString = fromEnv;
            server.Source = "COMMENTS_TEST_CONNECTION";
            return server;
        }
        if (await server.TryDockerAsync())
        {
            return server;
        }
        await server.StartLocalAsync();
        return server;
    }

    private async Task<bool> TryDockerAsync()
    {
        try
        {
            container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await container.StartAsync();
            AdminConnectionString = container.GetConnectionString();
            Source = "Testcontainers";
            return true;
        }
        catch (Exception)
        {
            // No Docker engine here (Testcontainers throws from Build or StartAsync): use local binaries.
            container = null;
            return false;
        }
    }

    private async Task StartLocalAsync()
    {
        localDir = Path.Combine(Path.GetTempPath(), "commentservice-tests-" + Guid.NewGuid().ToString("N")[..8]);
        AdminConnectionString = (await RunScriptAsync("start", localDir)).Trim();
        Source = "local PostgreSQL binaries";
    }

    private static Task<string> RunScriptAsync(string command, string dir) =>
        RepoScripts.RunAsync("local-postgres.sh", new Dictionary<string, string> { ["COMMENTS_PG_FAST"] = "1" }, command, dir);

    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
        if (localDir is not null)
        {
            await RunScriptAsync("stop", localDir);
            try
            {
                Directory.Delete(localDir, recursive: true);
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

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding CommentService.sln above the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommentService.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CommentService.sln not found above " + AppContext.BaseDirectory);
    }
}

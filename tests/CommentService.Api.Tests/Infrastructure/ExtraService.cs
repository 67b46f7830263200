using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// A second service instance on its own loopback port with its own settings, for tests about
/// start-up and the database connection (the shared fixture's instance must stay healthy).
/// </summary>
public sealed class ExtraService : IAsyncDisposable
{
    private readonly ServiceFactory factory;

    private ExtraService(ServiceFactory factory)
    {
        this.factory = factory;
    }

    public Uri BaseAddress => factory.ClientOptions.BaseAddress;
    public IServiceProvider Services => factory.Services;

    public static ExtraService Start(string connectionString, params (string Key, string? Value)[] settings) =>
        Start(connectionString, null, settings);

    /// <summary>As <see cref="Start(string, ValueTuple{string, string}[])"/>, with more set up on the host (logging, environment).</summary>
    public static ExtraService Start(string connectionString, Action<Microsoft.AspNetCore.Hosting.IWebHostBuilder>? configure, params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Comments"] = connectionString,
            ["COMMENTS_ADMIN_KEY"] = ServiceFixture.AdminKey,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var factory = new ServiceFactory(all, configure);
        factory.UseKestrel(0);
        factory.StartServer();
        return new ExtraService(factory);
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Operator()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceFixture.AdminKey);
        return client;
    }

    /// <summary>Polls /health/ready until it answers <paramref name="status"/>; false when the time runs out.</summary>
    public async Task<bool> WaitForReadinessAsync(int status, TimeSpan timeout)
    {
        using var client = Anonymous();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            using var response = await client.GetAsync("/health/ready");
            if ((int)response.StatusCode == status)
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    public ValueTask DisposeAsync() => factory.DisposeAsync();

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>scripts/local-postgres.sh, for tests that start and stop a cluster of their own.</summary>
public static class LocalPostgres
{
    /// <summary>
    /// Starts (or restarts) the cluster on <paramref name="port"/>. <paramref name="durable"/> keeps fsync and
    /// synchronous commit on whatever COMMENTS_PG_FAST says: a crash must not lose a commit the API acknowledged.
    /// </summary>
    public static Task<string> StartAsync(string dir, int port, bool durable = false) =>
        RunAsync(durable ? new() { ["COMMENTS_PG_FAST"] = "0" } : [], "start", dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Stops the cluster: "fast" (clients are disconnected, a clean shutdown) or "immediate" (like a crash).</summary>
    public static Task<string> StopAsync(string dir, string mode = "fast") => RunAsync([], "stop", dir, mode);

    private static Task<string> RunAsync(Dictionary<string, string> environment, params string[] args) =>
        RepoScripts.RunAsync("local-postgres.sh", environment, args);
}

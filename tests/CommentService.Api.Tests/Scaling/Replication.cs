using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using CommentService.Api.Infrastructure.Telemetry;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CommentService.Api.Tests.Scaling;

/// <summary>
/// A PostgreSQL primary and a streaming standby of it, both started here from the machine's binaries
/// (scripts/local-postgres.sh and scripts/local-postgres-standby.sh) on loopback ports, with one
/// database for the tests. Works as root (the clusters run as 'postgres') and as an ordinary user.
/// </summary>
public sealed class Replication : IAsyncLifetime
{
    private readonly string primaryDir = Path.Combine(Path.GetTempPath(), "commentservice-primary-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string standbyDir = Path.Combine(Path.GetTempPath(), "commentservice-standby-" + Guid.NewGuid().ToString("N")[..8]);

    public int StandbyPort { get; } = ExtraService.FreePort();
    public string Primary { get; private set; } = "";
    public string Standby { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var admin = await Script("local-postgres.sh", "start", primaryDir);
        var port = new NpgsqlConnectionStringBuilder(admin).Port.ToString(CultureInfo.InvariantCulture);
        Primary = await ServiceFixture.CreateDatabaseAsync(admin, "comments_replicated");
        // The standby is copied after the database exists; everything written later streams over.
        await Script("local-postgres-standby.sh", "start", port, standbyDir, StandbyPort.ToString(CultureInfo.InvariantCulture));
        Standby = new NpgsqlConnectionStringBuilder(Primary) { Port = StandbyPort }.ConnectionString;
    }

    public Task StopStandbyAsync() => Script("local-postgres-standby.sh", "stop", standbyDir);

    public async Task StartStandbyAsync()
    {
        var port = new NpgsqlConnectionStringBuilder(Primary).Port.ToString(CultureInfo.InvariantCulture);
        await Script("local-postgres-standby.sh", "start", port, standbyDir, StandbyPort.ToString(CultureInfo.InvariantCulture));
    }

    public static async Task<T> OnAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        // Unpooled: the standby restarts in some tests, which would leave a pooled connection dead.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Writes on the primary and waits until the standby has replayed it: the standby is current.</summary>
    public async Task WaitUntilStandbyCurrentAsync()
    {
        var lsn = await OnAsync<string>(Primary, "SELECT pg_current_wal_insert_lsn()::text");
        var clock = Stopwatch.StartNew();
        while (!await OnAsync<bool>(Standby, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the standby did not catch up");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await Script("local-postgres-standby.sh", "stop", standbyDir);
        await Script("local-postgres.sh", "stop", primaryDir);
        foreach (var dir in new[] { standbyDir, primaryDir })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static Task<string> Script(string name, params string[] args) =>
        RepoScripts.RunAsync(name, new Dictionary<string, string> { ["COMMENTS_PG_FAST"] = "1" }, args);
}

/// <summary>Counts one service instance's measurements of one instrument, by one tag's value.</summary>
public sealed class InstanceCounter : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly Dictionary<string, long> totals = [];

    public InstanceCounter(IServiceProvider services, string instrument, string tag)
    {
        // Each instance's meters come from its own IMeterFactory: the factory is the meter's scope.
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ServiceMetrics.MeterName && i.Name == instrument && ReferenceEquals(i.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var key = "";
            foreach (var t in tags)
            {
                if (t.Key == tag)
                {
                    key = t.Value?.ToString() ?? "";
                }
            }
            lock (totals)
            {
                totals[key] = totals.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();
    }

    public long this[string value]
    {
        get
        {
            lock (totals)
            {
                return totals.GetValueOrDefault(value);
            }
        }
    }

    public void Dispose() => listener.Dispose();
}

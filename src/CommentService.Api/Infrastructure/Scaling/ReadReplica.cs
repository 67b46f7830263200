using System.ComponentModel.DataAnnotations;
using CommentService.Api.Data;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommentService.Api.Infrastructure.Scaling;

/// <summary>
/// Settings under "Comments:ReadReplica" (docs/scaling-operations.md). The replica itself is the
/// connection string ConnectionStrings:CommentsRead; without it every read goes to the primary.
/// </summary>
public sealed class ReadReplicaOptions
{
    public const string Section = "Comments:ReadReplica";
    public const string ConnectionStringName = "CommentsRead";

    /// <summary>A standby further behind than this serves no reads until it catches up.</summary>
    [Range(0.1, 3600)]
    public double MaxLagSeconds { get; set; } = 5;

    /// <summary>How often the replica's reachability and lag are checked.</summary>
    [Range(100, 60_000)]
    public int CheckIntervalMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How long after a write the writer's reads stay on the primary (the recent-write cookie's
    /// lifetime). Default: MaxLagSeconds plus two check intervals, rounded up.
    /// </summary>
    [Range(1, 3600)]
    public int? StickySeconds { get; set; }

    public int EffectiveStickySeconds => StickySeconds ?? (int)Math.Ceiling(MaxLagSeconds + 2 * CheckIntervalMilliseconds / 1000.0);
}

/// <summary>
/// The read replica (a PostgreSQL streaming standby, or anything reached by ConnectionStrings:CommentsRead)
/// and whether it may serve reads right now. A background check every CheckIntervalMilliseconds asks
/// the replica how far behind it is; reads use it only while it answered the last check and its lag
/// was within MaxLagSeconds. A failed connection at request time also takes it out until the next
/// good check, so a standby that went down costs one refused connection, not an error.
/// </summary>
public sealed class ReadReplica : BackgroundService
{
    // Lag is zero when everything received has been replayed (an idle primary is not lag); otherwise it is
    // the age of the last replayed transaction. Not a standby at all (a pooler in front of the primary, a
    // promoted standby): no lag. No WAL received yet: unknown, so the replica is not used.
    private const string LagSql = """
        SELECT CASE
            WHEN NOT pg_is_in_recovery() THEN 0
            WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
        END
        """;

    private readonly IOptionsMonitor<ReadReplicaOptions> options;
    private readonly ILogger<ReadReplica> log;
    private readonly NpgsqlDataSource? source;
    private volatile ReplicaState state = ReplicaState.NotConfigured;
    private double lastLag = double.NaN;

    public ReadReplica(IConfiguration configuration, IOptionsMonitor<ReadReplicaOptions> options, ILogger<ReadReplica> log)
    {
        this.options = options;
        this.log = log;
        var connection = configuration.GetConnectionString(ReadReplicaOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(connection))
        {
            source = NpgsqlDataSource.Create(connection);
            ContextOptions = new DbContextOptionsBuilder<CommentsDb>()
                .UseNpgsql(source, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
                .UseSnakeCaseNamingConvention()
                .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
                .Options;
            state = ReplicaState.Unchecked;
        }
    }

    public bool Configured => source is not null;

    /// <summary>True while reads may go to the replica.</summary>
    public bool Usable => state == ReplicaState.InUse;

    public ReplicaState State => state;

    /// <summary>The lag the last successful check measured, in seconds.</summary>
    public double? LagSeconds => Volatile.Read(ref lastLag) is var lag && !double.IsNaN(lag) ? lag : null;

    /// <summary>Options for a CommentsDb on the replica (read-only use; nothing is tracked).</summary>
    public DbContextOptions<CommentsDb>? ContextOptions { get; }

    /// <summary>A request could not connect: serve from the primary until a check finds the replica again.</summary>
    public void MarkUnreachable(Exception error)
    {
        if (state != ReplicaState.Unreachable)
        {
            log.LogWarning("Read replica unreachable ({Error}); reads go to the primary", error.Message);
        }
        state = ReplicaState.Unreachable;
        // Idle pooled connections to a standby that went away are dead too: none is handed out again.
        source?.Clear();
    }

    /// <summary>One check now: reachability and lag. Public so tests and start-up need not wait for the timer.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        if (source is null)
        {
            return;
        }
        var settings = options.CurrentValue;
        ReplicaState next;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Math.Max(settings.CheckIntervalMilliseconds, 2000));
            await using var cmd = source.CreateCommand(LagSql);
            var lag = await cmd.ExecuteScalarAsync(timeout.Token) as double?;
            Volatile.Write(ref lastLag, lag ?? double.NaN);
            next = lag is { } seconds && seconds <= settings.MaxLagSeconds ? ReplicaState.InUse : ReplicaState.Lagging;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            next = ReplicaState.Unreachable;
            if (state != ReplicaState.Unreachable)
            {
                log.LogWarning("Read replica unreachable ({Error}); reads go to the primary", ex.Message);
            }
            source.Clear();
        }
        if (next != state)
        {
            if (next == ReplicaState.Lagging)
            {
                log.LogWarning("Read replica {Lag:0.0} s behind (more than {Max} s); reads go to the primary", LagSeconds, settings.MaxLagSeconds);
            }
            else if (next == ReplicaState.InUse)
            {
                log.LogInformation("Read replica in use (lag {Lag:0.0} s)", LagSeconds ?? 0);
            }
        }
        state = next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (source is null)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            await CheckAsync(stoppingToken);
            try
            {
                await Task.Delay(options.CurrentValue.CheckIntervalMilliseconds, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        source?.Dispose();
        base.Dispose();
    }
}

public enum ReplicaState
{
    NotConfigured,
    Unchecked,
    InUse,
    Lagging,
    Unreachable,
}

/// <summary>
/// The database a read-only route reads from, per request: the replica when it is usable and the caller
/// does not need to see its own writes; otherwise the request's own (primary) CommentsDb. Chosen on
/// first use and kept for the request, so one response never mixes the two.
/// </summary>
public sealed class ReadDb(CommentsDb primary, ReadReplica replica, IHttpContextAccessor http, ServiceMetrics metrics) : IAsyncDisposable, IDisposable
{
    private CommentsDb? chosen;
    private CommentsDb? onReplica;

    public async ValueTask<CommentsDb> GetAsync(CancellationToken ct)
    {
        if (chosen is not null)
        {
            return chosen;
        }
        if (ReplicaAllowed && replica.ContextOptions is { } replicaOptions)
        {
            var db = new CommentsDb(replicaOptions);
            try
            {
                // Opened now, and kept open for the request: a replica that is down shows here, not mid-query.
                await db.Database.OpenConnectionAsync(ct);
                onReplica = db;
                metrics.CountRead("replica");
                return chosen = db;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                await db.DisposeAsync();
                replica.MarkUnreachable(ex);
            }
        }
        metrics.CountRead("primary");
        return chosen = primary;
    }

    /// <summary>
    /// The raw Npgsql source for a read path that does not go through EF (the thread page): the replica's
    /// when this request may read from it, else the primary's. Same choice, kept for the request, as
    /// <see cref="GetAsync"/>; a failure on the replica is retried on the primary by <see cref="RecentWrites"/>.
    /// </summary>
    public NpgsqlDataSource SourceFor(Features.Comments.ListThread.ThreadReadSource sources)
    {
        if (chosen is null && !replicaSourceChosen && sources.Replica is not null && ReplicaAllowed)
        {
            replicaSourceChosen = true;
            metrics.CountRead("replica");
        }
        else if (chosen is null && !replicaSourceChosen)
        {
            chosen = primary;
            metrics.CountRead("primary");
        }
        return replicaSourceChosen ? sources.Replica! : sources.Primary;
    }

    private bool replicaSourceChosen;

    /// <summary>The replica passed its last check and the caller need not see its own writes.</summary>
    private bool ReplicaAllowed => replica.Usable && !RecentWrites.NeedsPrimary(http.HttpContext);

    /// <summary>True when this request's reads went to the replica.</summary>
    public bool UsedReplica => onReplica is not null || replicaSourceChosen;

    /// <summary>The replica failed this request: its reads go to the primary when the request runs again.</summary>
    public async Task FallBackToPrimaryAsync()
    {
        if (onReplica is not null)
        {
            await onReplica.DisposeAsync();
            onReplica = null;
        }
        replicaSourceChosen = false;
        chosen = primary;
        metrics.CountRead("primary");
    }

    public async ValueTask DisposeAsync()
    {
        if (onReplica is not null)
        {
            await onReplica.DisposeAsync();
        }
    }

    // FastEndpoints resolves endpoints in a scope it disposes synchronously.
    public void Dispose() => onReplica?.Dispose();
}

/// <summary>
/// Read-your-own-writes with a replica: a successful write answers with a short-lived cookie, and a
/// request carrying it reads from the primary until it expires. Requests with a key that may write or
/// moderate on the site (servers, moderators, scripts) always read from the primary. And a read whose
/// replica connection fails (the standby went down since the last check, a query cancelled by recovery)
/// runs again on the primary, as long as nothing of its answer was sent.
/// </summary>
public sealed class RecentWrites(RequestDelegate next, ReadReplica replica, IOptionsMonitor<ReadReplicaOptions> options)
{
    public const string CookieName = "cs-recent-write";

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (!replica.Configured || !ctx.Request.Path.StartsWithSegments("/v1"))
        {
            await next(ctx);
            return;
        }
        if (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method))
        {
            try
            {
                await next(ctx);
            }
            catch (NpgsqlException ex) when (!ctx.Response.HasStarted && ctx.RequestServices.GetRequiredService<ReadDb>().UsedReplica)
            {
                if (ex is not PostgresException { SqlState: var state } || state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal))
                {
                    replica.MarkUnreachable(ex);
                }
                await ctx.RequestServices.GetRequiredService<ReadDb>().FallBackToPrimaryAsync();
                await next(ctx);
            }
            return;
        }
        if (!HttpMethods.IsOptions(ctx.Request.Method))
        {
            ctx.Response.OnStarting(() =>
            {
                if (ctx.Response.StatusCode is >= 200 and < 300)
                {
                    ctx.Response.Cookies.Append(CookieName, "1", new CookieOptions
                    {
                        MaxAge = TimeSpan.FromSeconds(options.CurrentValue.EffectiveStickySeconds),
                        HttpOnly = true,
                        Secure = ctx.Request.IsHttps,
                        SameSite = SameSiteMode.Lax,
                        Path = "/v1",
                        IsEssential = true,
                    });
                }
                return Task.CompletedTask;
            });
        }
        await next(ctx);
    }

    public static bool NeedsPrimary(HttpContext? ctx)
    {
        if (ctx is null)
        {
            return true;
        }
        if (ctx.Request.Cookies.ContainsKey(CookieName))
        {
            return true;
        }
        var siteId = ctx.Request.RouteValues.TryGetValue("siteId", out var value) ? value as string : null;
        return ctx.User.HasKey() && (siteId is null || ctx.User.Can(siteId, ApiScopes.CommentsWrite) || ctx.User.Can(siteId, ApiScopes.Moderate));
    }
}

/// <summary>Readiness detail: the replica's state. Never unhealthy: reads fall back to the primary.</summary>
public sealed class ReadReplicaCheck(ReadReplica replica) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["state"] = replica.State.ToString() };
        if (replica.LagSeconds is { } lag)
        {
            data["lagSeconds"] = lag;
        }
        return Task.FromResult(replica.State switch
        {
            ReplicaState.NotConfigured or ReplicaState.InUse or ReplicaState.Unchecked => HealthCheckResult.Healthy("read replica " + replica.State, data),
            _ => HealthCheckResult.Degraded("read replica " + replica.State + "; reads go to the primary", data: data),
        });
    }
}

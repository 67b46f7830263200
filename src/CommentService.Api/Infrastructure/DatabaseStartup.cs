using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Infrastructure;

/// <summary>Whether the database schema is known to be current; API routes answer 503 until it is.</summary>
public sealed class DatabaseState
{
    private volatile bool ready;
    public bool Ready => ready;
    public void MarkReady() => ready = true;
}

/// <summary>
/// Brings the schema up to date at start-up without blocking the process: if PostgreSQL is not
/// reachable yet it keeps retrying (with a log line each time), and readiness stays failing meanwhile,
/// so an orchestrator waits instead of restarting. With migrations turned off it waits for someone
/// else (a migration job) to apply them.
/// </summary>
public sealed class DatabaseMigrator(
    IServiceScopeFactory scopes,
    DatabaseState state,
    IOptions<ServiceOptions> options,
    ILogger<DatabaseMigrator> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!state.Ready && !stoppingToken.IsCancellationRequested && !await TryOnceAsync(stoppingToken))
        {
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
        }
    }

    /// <summary>One attempt: true when the schema is current afterwards.</summary>
    public async Task<bool> TryOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
            configured ??= db.Database.GetConnectionString();
            if (options.Value.ApplyMigrations)
            {
                await db.Database.MigrateAsync(ct);
            }
            else
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
                if (pending.Count > 0)
                {
                    log.LogWarning("Database {Database} schema is behind this build: {Count} pending migrations ({Pending}) and Comments:ApplyMigrations is off; not ready until a migration job applies them",
                        Describe(db), pending.Count, string.Join(", ", pending));
                    return false;
                }
            }
            log.LogInformation("Database schema is current");
            state.MarkReady();
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("Database {Database} not reachable yet ({Error}); not ready (API answers 503), retrying", Describe(configured), ex.Message);
            return false;
        }
        catch (Exception)
        {
            log.LogWarning("Database {Database} did not answer in time; not ready (API answers 503), retrying", Describe(configured));
            return false;
        }
    }

    private string? configured;

    /// <summary>Host, port and database name of a connection string: enough to find the problem, no credentials.</summary>
    private static string Describe(string? connectionString)
    {
        try
        {
            var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }

    private string Describe(CommentsDb db) => Describe(db.Database.GetConnectionString());
}

/// <summary>Ready when the schema is current and PostgreSQL answers now.</summary>
public sealed class DatabaseReadyCheck(DatabaseState state, IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.Ready)
        {
            return HealthCheckResult.Unhealthy("database schema not current yet");
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database not reachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("database not reachable", ex);
        }
    }
}

/// <summary>API routes answer 503 with Retry-After until the schema is current.</summary>
public sealed class DatabaseReadyGate(RequestDelegate next, DatabaseState state)
{
    public Task InvokeAsync(HttpContext ctx) =>
        state.Ready || !ctx.Request.Path.StartsWithSegments("/v1")
            ? next(ctx)
            : ProblemMiddleware.DatabaseUnavailableAsync(ctx);
}

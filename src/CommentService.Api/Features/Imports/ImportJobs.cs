using System.Collections.Concurrent;
using System.Threading.Channels;
using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Imports;

public static class ImportStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>A queued or running job not moved on for this long was left behind by a process that stopped.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);
}

/// <summary>An import file read and accepted, waiting for the worker.</summary>
public sealed record ImportWork(Guid JobId, string SiteId, ParsedImport File);

/// <summary>The imports this process accepted and has not finished; the worker takes them one at a time.</summary>
public sealed class ImportQueue
{
    private readonly Channel<ImportWork> channel = Channel.CreateUnbounded<ImportWork>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Jobs of this process that are queued or running: their heartbeat keeps them from looking abandoned.</summary>
    public ConcurrentDictionary<Guid, byte> Active { get; } = new();

    public void Enqueue(ImportWork work)
    {
        Active[work.JobId] = 0;
        channel.Writer.TryWrite(work);
    }

    public ChannelReader<ImportWork> Reader => channel.Reader;
}

/// <summary>
/// Runs accepted imports one after another (the machine's cores stay free for readers), reporting
/// progress on the job row from a separate connection while the import's own transaction is open.
/// A failure rolls the whole import back and records the reason on the job.
/// </summary>
public sealed class ImportWorker(ImportQueue queue, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ImportWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = HeartbeatAsync(stoppingToken);
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(work, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await heartbeat;
    }

    private async Task RunAsync(ImportWork work, CancellationToken ct)
    {
        await using var progressScope = scopes.CreateAsyncScope();
        var jobs = progressScope.ServiceProvider.GetRequiredService<CommentsDb>().ImportJobs.Where(j => j.Id == work.JobId);
        try
        {
            await jobs.ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ImportStates.Running).SetProperty(j => j.UpdatedAt, clock.GetUtcNow()), ct);
            await using var scope = scopes.CreateAsyncScope();
            var writer = scope.ServiceProvider.GetRequiredService<ImportWriter>();
            var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
            var outcome = await writer.WriteAsync(work.SiteId, work.File,
                processed => jobs.ExecuteUpdateAsync(s => s.SetProperty(j => j.Processed, processed).SetProperty(j => j.UpdatedAt, clock.GetUtcNow()), ct),
                async result =>
                {
                    // Inside the import's transaction: the job says "succeeded" exactly when the comments are there.
                    var job = await db.ImportJobs.SingleAsync(j => j.Id == work.JobId, ct);
                    job.State = ImportStates.Succeeded;
                    job.Processed = job.Total;
                    job.ThreadsCreated = result.ThreadsCreated;
                    job.Imported = result.Imported;
                    job.Duplicates = result.Duplicates;
                    job.Orphans = result.Orphans;
                    job.Issues = [.. job.Issues, .. result.Issues.Take(Math.Max(0, ImportLimits.MaxIssues - job.Issues.Count))];
                    job.FinishedAt = clock.GetUtcNow();
                    job.UpdatedAt = job.FinishedAt.Value;
                    await db.SaveChangesAsync(ct);
                },
                ct);
            log.LogInformation("Import {JobId} into site {SiteId}: {Imported} comments, {Duplicates} duplicates, {Threads} new threads",
                work.JobId, work.SiteId, outcome.Imported, outcome.Duplicates, outcome.ThreadsCreated);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(ex, "Import {JobId} into site {SiteId} failed; nothing was imported", work.JobId, work.SiteId);
            await FailAsync(jobs, "The import failed and was rolled back; nothing was imported. Run it again; if it fails again, "
                                  + "report the job id (the reason is logged with it).", CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            await FailAsync(jobs, "The service stopped during the import; it was rolled back and nothing was imported. Run it again.", CancellationToken.None);
        }
        finally
        {
            queue.Active.TryRemove(work.JobId, out _);
        }
    }

    private async Task FailAsync(IQueryable<ImportJob> jobs, string error, CancellationToken ct)
    {
        try
        {
            var now = clock.GetUtcNow();
            await jobs.ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ImportStates.Failed).SetProperty(j => j.Error, error)
                .SetProperty(j => j.UpdatedAt, now).SetProperty(j => j.FinishedAt, now), ct);
        }
        catch (Exception ex)
        {
            // The job will read as interrupted once its heartbeat is old.
            log.LogWarning(ex, "Could not record an import's failure");
        }
    }

    /// <summary>Moves the jobs this process holds on, so other replicas (and later reads) know they are alive.</summary>
    private async Task HeartbeatAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(ImportStates.Heartbeat, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var ids = queue.Active.Keys.ToArray();
                if (ids.Length == 0)
                {
                    continue;
                }
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var now = clock.GetUtcNow();
                    await scope.ServiceProvider.GetRequiredService<CommentsDb>().ImportJobs
                        .Where(j => ids.Contains(j.Id) && (j.State == ImportStates.Queued || j.State == ImportStates.Running))
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.UpdatedAt, now), ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "Import heartbeat failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

public static class ImportLimits
{
    /// <summary>Issues kept on a job; the counts cover all of them.</summary>
    public const int MaxIssues = 1000;
}

public static class ImportSetup
{
    public static void AddImports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportQueue>();
        builder.Services.AddScoped<ImportWriter>();
        builder.Services.AddScoped<Exports.JsonLinesExport>();
        builder.Services.AddHostedService<ImportWorker>();
    }
}

using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommentService.Api.Infrastructure.Telemetry;

/// <summary>Settings under "Comments:Telemetry" (docs/scaling-operations.md).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Comments:Telemetry";

    /// <summary>How often the gauges that need a query (moderation queue, webhook backlog) are refreshed.</summary>
    [Range(0.2, 3600)]
    public double GaugeIntervalSeconds { get; set; } = 15;
}

/// <summary>
/// The service's own instruments, on the meter "CommentService" (exported with the ASP.NET Core,
/// HttpClient, runtime and Npgsql ones; docs/scaling-operations.md lists them). Tags carry statuses,
/// reason codes and sources only: never a site's content, an author, an address or a key.
/// </summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "CommentService";

    private readonly Counter<long> created;
    private readonly Counter<long> flags;
    private readonly Counter<long> reads;
    private readonly Counter<long> deliveries;
    private volatile GaugeSample sample = new(null, null, null);

    public ServiceMetrics(IMeterFactory meters, Features.Imports.ImportQueue imports, Scaling.ReadReplica replica)
    {
        var meter = meters.Create(MeterName);
        created = meter.CreateCounter<long>("comments.created", "{comment}",
            "Comments accepted by the create route, by the status the moderation pipeline gave them.");
        flags = meter.CreateCounter<long>("comments.moderation.flags", "{flag}",
            "Moderation flags on created comments, by reason code and the comment's status.");
        reads = meter.CreateCounter<long>("comments.db.reads", "{request}",
            "Requests of the replica-capable read routes, by the database that served them (replica or primary).");
        deliveries = meter.CreateCounter<long>("comments.webhooks.attempts", "{attempt}",
            "Webhook delivery attempts, by outcome (delivered, retry, failed, interrupted).");
        meter.CreateObservableGauge("comments.moderation.queue", () => Measure(sample.Queue), "{comment}",
            "Comments waiting for a moderator (status pending), all sites; refreshed every GaugeIntervalSeconds.");
        meter.CreateObservableGauge("comments.webhooks.backlog", () => Measure(sample.Backlog), "{delivery}",
            "Webhook deliveries not yet delivered or failed for good; refreshed every GaugeIntervalSeconds.");
        meter.CreateObservableGauge("comments.webhooks.due", () => Measure(sample.Due), "{delivery}",
            "Webhook deliveries due now and not claimed by any instance.");
        meter.CreateObservableGauge("comments.imports.active", () => (long)imports.Active.Count, "{job}",
            "Import jobs this instance has queued or is running.");
        meter.CreateObservableGauge("comments.db.replica.lag", () => replica.LagSeconds is { } lag
            ? [new Measurement<double>(lag)] : Array.Empty<Measurement<double>>(), "s",
            "How far the read replica was behind at its last check (absent without a replica).");
    }

    public void CommentCreated(CommentStatus status, StoredVerdict verdict)
    {
        var wire = status.ToWire();
        created.Add(1, new KeyValuePair<string, object?>("status", wire));
        foreach (var reason in verdict.Flags.Select(f => f.Reason).Distinct(StringComparer.Ordinal))
        {
            flags.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("status", wire));
        }
    }

    public void CountRead(string source) => reads.Add(1, new KeyValuePair<string, object?>("source", source));

    public void CountDelivery(string outcome) => deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Publish(GaugeSample next) => sample = next;

    private static IEnumerable<Measurement<long>> Measure(long? value) =>
        value is { } v ? [new Measurement<long>(v)] : [];

    internal sealed record GaugeSample(long? Queue, long? Backlog, long? Due);
}

/// <summary>
/// Refreshes the gauges that need a query, every Comments:Telemetry:GaugeIntervalSeconds, so an
/// exporter's collection never waits on the database. Every instance reports the same totals:
/// aggregate them with max, not sum.
/// </summary>
public sealed class GaugeSampler(
    ServiceMetrics metrics,
    IServiceScopeFactory scopes,
    DatabaseState database,
    IOptionsMonitor<TelemetryOptions> options,
    ILogger<GaugeSampler> log) : BackgroundService
{
    // Per site, so each count is a range of the (site_id, status, created_at) index rather than a scan of every comment.
    private const string Sql = """
        SELECT (SELECT coalesce(sum((SELECT count(*) FROM comments c WHERE c.site_id = s.id AND c.status = 'pending')), 0)::bigint FROM sites s),
               count(*), count(*) FILTER (WHERE next_attempt_at <= now())
        FROM webhook_deliveries WHERE status = 'pending'
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (database.Ready)
            {
                try
                {
                    await SampleAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogDebug("Could not refresh the gauges: {Error}", ex.Message);
                }
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.CurrentValue.GaugeIntervalSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task SampleAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(Sql, (NpgsqlConnection)db.Database.GetDbConnection());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        metrics.Publish(new ServiceMetrics.GaugeSample(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }
}

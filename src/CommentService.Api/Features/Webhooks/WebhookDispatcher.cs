using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommentService.Api.Features.Webhooks;

/// <summary>A delivery claimed for one attempt.</summary>
public sealed record ClaimedDelivery(Guid Id, int Attempt, Guid EventId, string Type, string Body, string Url, string SecretProtected);

/// <summary>
/// Sends due webhook deliveries from the outbox. Any number of replicas run one each: a claim takes
/// due rows with <c>FOR UPDATE SKIP LOCKED</c> and leases them (moves their due time past the attempt's
/// timeout) in the same statement, so no two dispatchers send one delivery at once, and a dispatcher
/// that dies mid-attempt only delays the delivery until its lease ends. Delivery is at least once:
/// receivers de-duplicate on X-CommentService-Delivery.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    DatabaseState database,
    IHttpClientFactory http,
    IDataProtectionProvider protection,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    Infrastructure.Telemetry.ServiceMetrics metrics,
    ILogger<WebhookDispatcher> log) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    private const string ClaimSql = """
        WITH due AS (
            SELECT id FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY next_attempt_at
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        UPDATE webhook_deliveries d
        SET attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => @lease)
        FROM due, webhook_events e, webhooks w
        WHERE d.id = due.id AND e.id = d.event_id AND w.id = d.webhook_id
        RETURNING d.id, d.attempts, e.id, e.type, e.body, w.url, w.secret_protected
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.DispatcherEnabled)
        {
            return;
        }
        var running = new List<Task>();
        using var slots = new SemaphoreSlim(options.CurrentValue.MaxConcurrency);
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var free = 1;
                while (slots.Wait(0))
                {
                    free++;
                }
                IReadOnlyList<ClaimedDelivery> claimed = [];
                try
                {
                    claimed = database.Ready ? await ClaimAsync(free, stoppingToken) : [];
                    failures = 0;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is away or the schema is changing: wait and try again, never crash the host.
                    failures++;
                    log.LogWarning("Could not claim webhook deliveries ({Error}); retrying", ex.Message);
                }
                if (free > claimed.Count)
                {
                    slots.Release(free - claimed.Count);
                }
                running.RemoveAll(t => t.IsCompleted);
                foreach (var delivery in claimed)
                {
                    running.Add(RunAsync(delivery, slots, stoppingToken));
                }
                if (claimed.Count == 0)
                {
                    var wait = options.CurrentValue.PollIntervalMilliseconds * Math.Min(1 << Math.Min(failures, 5), 30);
                    await Task.Delay(wait, stoppingToken);
                }
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a cancelled claim may surface as a driver error rather than a cancellation.
        }
        await Task.WhenAll(running);
    }

    private async Task RunAsync(ClaimedDelivery delivery, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await DeliverAsync(delivery, stoppingToken);
        }
        catch (Exception ex)
        {
            // Recording the outcome failed (database away): the lease runs out and the delivery is retried.
            log.LogWarning("Could not record webhook delivery {Delivery} attempt {Attempt}: {Error}", delivery.Id, delivery.Attempt, ex.Message);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Claims up to <paramref name="limit"/> due deliveries and leases them for one attempt each.</summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(ClaimSql, (NpgsqlConnection)db.Database.GetDbConnection());
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("lease", options.CurrentValue.TimeoutSeconds + 30);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var claimed = new List<ClaimedDelivery>();
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(new ClaimedDelivery(reader.GetGuid(0), reader.GetInt32(1), reader.GetGuid(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }
        return claimed;
    }

    /// <summary>One attempt: POST the event, then record success, a retry (with backoff) or the final failure.</summary>
    public async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue;
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error;
        try
        {
            var secret = protection.WebhookSecrets().Unprotect(delivery.SecretProtected);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.UserAgent.ParseAdd("CommentService-Webhooks/1");
            request.Headers.Add("X-CommentService-Event", delivery.Type);
            request.Headers.Add("X-CommentService-Delivery", delivery.EventId.ToString());
            request.Headers.Add("X-CommentService-Signature", WebhookSignature.Header(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}".Trim();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: hand the delivery back at once rather than waiting for the lease to end.
            await RecordAsync(delivery, null, "Interrupted by a service shutdown; retried.", TimeSpan.Zero, CancellationToken.None);
            metrics.CountDelivery("interrupted");
            return;
        }
        catch (OperationCanceledException)
        {
            error = $"No answer within {settings.TimeoutSeconds:0.###} s.";
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            error = Describe(ex);
        }

        if (error is null)
        {
            log.LogDebug("Webhook delivery {Delivery} ({Type}) delivered in {Elapsed} ms", delivery.Id, delivery.Type, watch.ElapsedMilliseconds);
            await RecordAsync(delivery, status, null, null, CancellationToken.None);
            metrics.CountDelivery("delivered");
            return;
        }
        var retryIn = delivery.Attempt >= settings.MaxAttempts ? (TimeSpan?)null : Backoff(delivery.Attempt, settings);
        if (retryIn is null)
        {
            log.LogWarning("Webhook delivery {Delivery} ({Type}) failed after {Attempts} attempts: {Error}", delivery.Id, delivery.Type, delivery.Attempt, error);
        }
        else
        {
            log.LogInformation("Webhook delivery {Delivery} ({Type}) attempt {Attempt} failed: {Error}; retry in {Delay}", delivery.Id, delivery.Type, delivery.Attempt, error, retryIn);
        }
        await RecordAsync(delivery, status, error, retryIn, CancellationToken.None);
        metrics.CountDelivery(retryIn is null ? "failed" : "retry");
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: doubling from the first retry, capped, ±20 % jitter so retries spread out.</summary>
    public static TimeSpan Backoff(int attempt, WebhookOptions settings)
    {
        var seconds = Math.Min(settings.FirstRetrySeconds * Math.Pow(2, attempt - 1), settings.MaxRetrySeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    /// <summary>
    /// Records an attempt's outcome. <paramref name="error"/> null: delivered. Otherwise retried after
    /// <paramref name="retryIn"/>, or failed for good when that is null. A failure only counts if no
    /// later attempt has been claimed since (an expired lease); a success always counts.
    /// </summary>
    private async Task RecordAsync(ClaimedDelivery delivery, int? status, string? error, TimeSpan? retryIn, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        if (error is null)
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_status_code = {status}, last_error = NULL
                WHERE id = {delivery.Id} AND status <> 'delivered'
                """, ct);
            return;
        }
        var message = error.Length > LimitsAndEventsModel.ErrorLength ? error[..LimitsAndEventsModel.ErrorLength] : error;
        var nextStatus = retryIn is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        var delay = (retryIn ?? TimeSpan.Zero).TotalSeconds;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE webhook_deliveries
            SET status = {nextStatus}, next_attempt_at = now() + make_interval(secs => {delay}), last_status_code = {status}, last_error = {message}
            WHERE id = {delivery.Id} AND attempts = {delivery.Attempt} AND status = 'pending'
            """, ct);
    }

    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message))
            {
                messages.Add(e.Message);
            }
        }
        return string.Join(" ", messages);
    }
}

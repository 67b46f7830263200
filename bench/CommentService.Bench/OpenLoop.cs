using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace CommentService.Bench;

/// <summary>
/// Posts comments at a fixed arrival rate, open loop: request i is due at start + i / rate whether or not
/// earlier ones have answered, and its latency counts from when it was due (so a stall shows in the
/// percentiles instead of silently slowing the sender: no coordinated omission). Half the posts are
/// replies to approved comments of the seeded threads, half new top-level comments on them.
/// </summary>
public sealed class OpenLoop(Uri baseAddress, string connectionString, int seed)
{
    public sealed record Result(double Rate, double Seconds, int Sent, int Succeeded, Dictionary<string, int> Statuses,
        double AchievedPerSecond, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MeanBodyChars);

    private sealed record Target(string SiteId, string ArticleId, Guid? ParentId);

    public async Task<Result> RunAsync(double rate, double seconds, double warmupSeconds)
    {
        var random = new Random(seed);
        var text = new TextGenerator(random);
        var targets = new List<Target>();
        await using (var data = NpgsqlDataSource.Create(connectionString))
        await using (var cmd = data.CreateCommand("""
            SELECT t.site_id, t.article_id, c.id FROM comments c TABLESAMPLE SYSTEM (1) REPEATABLE (7)
            JOIN threads t ON t.id = c.thread_id WHERE c.status = 'approved' AND c.depth < 30 LIMIT 4000
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                targets.Add(new Target(reader.GetString(0), reader.GetString(1), random.Next(2) == 0 ? reader.GetGuid(2) : null));
            }
        }
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

        if (warmupSeconds > 0)
        {
            await RunPhaseAsync(http, targets, text, random, rate, warmupSeconds);
        }
        var (latencies, statuses, sent, chars) = await RunPhaseAsync(http, targets, text, random, rate, seconds);
        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        var succeeded = statuses.Where(s => s.Key.StartsWith('2')).Sum(s => s.Value);
        return new Result(rate, seconds, sent, succeeded, statuses, succeeded / seconds,
            P(0.50), P(0.90), P(0.99), latencies.Count == 0 ? double.NaN : latencies[^1], chars / Math.Max(1, sent));
    }

    private static async Task<(List<double> Latencies, Dictionary<string, int> Statuses, int Sent, double Chars)> RunPhaseAsync(
        HttpClient http, List<Target> targets, TextGenerator text, Random random, double rate, double seconds)
    {
        var total = (int)(rate * seconds);
        var latencies = new List<double>(total);
        var statuses = new Dictionary<string, int>();
        var gate = new object();
        var tasks = new List<Task>(total);
        double chars = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = i / rate;
            var wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.002)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait - 0.001));
            }
            while (clock.Elapsed.TotalSeconds < due)
            {
                Thread.SpinWait(50);
            }
            var target = targets[random.Next(targets.Count)];
            var body = text.Comment(2000);
            chars += body.Length;
            var payload = new { authorName = text.Name(), body, parentId = target.ParentId };
            var path = $"/v1/sites/{target.SiteId}/articles/{Uri.EscapeDataString(target.ArticleId)}/comments";
            tasks.Add(SendAsync(http, path, payload, clock, due, latencies, statuses, gate));
        }
        await Task.WhenAll(tasks);
        return (latencies, statuses, total, chars);
    }

    private static async Task SendAsync(HttpClient http, string path, object payload, Stopwatch clock, double due,
        List<double> latencies, Dictionary<string, int> statuses, object gate)
    {
        string status;
        try
        {
            using var response = await http.PostAsJsonAsync(path, payload);
            await response.Content.ReadAsByteArrayAsync();
            status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = e.GetType().Name;
        }
        var latencyMs = (clock.Elapsed.TotalSeconds - due) * 1000;
        lock (gate)
        {
            latencies.Add(latencyMs);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        }
    }

    public static string ToJson(Result result) => JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
}

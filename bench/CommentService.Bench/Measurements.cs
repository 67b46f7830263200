using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CommentService.Bench;

/// <summary>Throughput and latency of one load run (wrk or pgbench), in requests per second and milliseconds.</summary>
public sealed record LoadFigures(double PerSecond, double P50Ms, double P99Ms, long Count, double Seconds, long Errors = 0);

public static partial class Measurements
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string file, object value) => File.WriteAllText(file, JsonSerializer.Serialize(value, Indented));

    public static T? Read<T>(string file) where T : class => File.Exists(file) ? JsonSerializer.Deserialize<T>(File.ReadAllText(file)) : null;

    /// <summary>
    /// pgbench's per-transaction logs (-l: client, transaction, latency in µs, script, epoch, µs) and its
    /// summary output (tps), as the same figures wrk gives.
    /// </summary>
    public static LoadFigures FromPgbench(string logPrefix, string stdoutFile)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(logPrefix))!;
        var latencies = new List<double>();
        foreach (var file in Directory.GetFiles(dir, Path.GetFileName(logPrefix) + ".*"))
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ');
                if (parts.Length >= 3 && double.TryParse(parts[2], CultureInfo.InvariantCulture, out var us))
                {
                    latencies.Add(us / 1000.0);
                }
            }
        }
        latencies.Sort();
        var output = File.ReadAllText(stdoutFile);
        var tps = TpsLine().Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        var seconds = DurationLine().Match(output) is { Success: true } d ? double.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        var failed = FailedLine().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new LoadFigures(tps, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count, seconds, failed);
    }

    /// <summary>The JSON line bench/wrk-report.lua prints (latencies in µs).</summary>
    public static LoadFigures FromWrk(string file)
    {
        var line = File.ReadLines(file).Last(l => l.StartsWith('{'));
        using var json = JsonDocument.Parse(line);
        var r = json.RootElement;
        var seconds = r.GetProperty("seconds").GetDouble();
        var requests = r.GetProperty("requests").GetInt64();
        return new LoadFigures(requests / seconds, r.GetProperty("p50").GetDouble() / 1000, r.GetProperty("p99").GetDouble() / 1000,
            requests, seconds, r.GetProperty("errors").GetInt64() + r.GetProperty("non2xx").GetInt64());
    }

    public static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1))];

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"duration: ([0-9.]+) s")]
    private static partial Regex DurationLine();

    [GeneratedRegex(@"number of failed transactions: ([0-9]+)")]
    private static partial Regex FailedLine();
}

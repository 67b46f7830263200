using System.Globalization;
using System.Text;

namespace CommentService.Bench;

/// <summary>Writes REPORT.md and the latency chart from the figures of one run (the raw/ folder).</summary>
public static class Report
{
    public sealed record SizeFigures(int Size, LoadFigures? Api, LoadFigures? Api304, LoadFigures? Sql, LoadFigures? Cte, PageShape? Page);

    public sealed record PageShape(int Comments, long Bytes, int Statements);

    public sealed record Environment(string Machine, string Cpu, int Cores, string Os, string Dotnet, string Postgres, string Commit,
        string LoadBefore, string LoadAfter, int Comments, int Seed, int Connections, int Seconds, string PgSettings, long SeedSeconds);

    private static string F(double v, string format = "0.0") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    public static void Write(string raw, string outDir)
    {
        var env = Measurements.Read<Environment>(Path.Combine(raw, "env.json"))!;
        var threads = Seeder.Read(Path.Combine(raw, "threads.json"));
        var sizes = threads.Select(t => new SizeFigures(t.Size,
            Measurements.Read<LoadFigures>(Path.Combine(raw, $"{t.Size}-api.json")),
            Measurements.Read<LoadFigures>(Path.Combine(raw, $"{t.Size}-api304.json")),
            Measurements.Read<LoadFigures>(Path.Combine(raw, $"{t.Size}-sql.json")),
            Measurements.Read<LoadFigures>(Path.Combine(raw, $"{t.Size}-cte.json")),
            Measurements.Read<PageShape>(Path.Combine(raw, $"{t.Size}-page.json")))).ToList();
        var post = Measurements.Read<OpenLoop.Result>(Path.Combine(raw, "post.json"));
        var peakKb = File.Exists(Path.Combine(raw, "memory.txt")) ? long.Parse(File.ReadAllText(Path.Combine(raw, "memory.txt")).Trim(), CultureInfo.InvariantCulture) : -1;
        var pipeline = File.Exists(Path.Combine(raw, "pipeline.md")) ? File.ReadAllText(Path.Combine(raw, "pipeline.md")).Trim() : "(not run)";

        Chart(sizes, Path.Combine(outDir, "thread-latency.png"));

        var md = new StringBuilder();
        md.AppendLine("# CommentService performance report").AppendLine();
        md.AppendLine($"One run of `bench/run.sh` ({env.Comments:N0} comments, seed {env.Seed}, commit `{env.Commit}`). Machine: {env.Cpu}, {env.Cores} cores, {env.Machine}; {env.Os}; .NET {env.Dotnet}; PostgreSQL {env.Postgres} ({env.PgSettings}). "
            + $"The machine is shared: load average {env.LoadBefore} before the measurements, {env.LoadAfter} after. Seeding took {env.SeedSeconds} s.").AppendLine();
        md.AppendLine($"Every thread read is the first page `GET /v1/sites/{{site}}/articles/{{article}}/comments{Scripts.PageQuery}` (20 top-level comments, up to 4 replies under each, depth-first: at most 100 comments), "
            + "the same page at every size: each measured thread starts with 20 top-level comments of 4 approved replies each, whose names and texts come from a generator started afresh from the seed (log-normal lengths), "
            + "and the rest of the thread grows around and under them, so every measured page holds 100 comments of the same texts and only the thread behind it changes "
            + "(the 100-comment thread is exactly that page, so its page has no replies or next-page cursors and skips the third statement, which asks whether cut-off comments have more replies). "
            + $"With {env.Connections} concurrent connections for {env.Seconds} s after a warm-up, the load generator on the same 2 cores. "
            + "**API**: wrk against the service (no response cache exists; plain requests, no `If-None-Match`). **API 304**: wrk sending the page's ETag (`If-None-Match`), the cache-on figure. "
            + "**SQL**: pgbench replaying the service's own statements for that page, recorded from the service's `ThreadReader` with the values it binds (the ceiling). "
            + "**CTE**: pgbench running the design usually written instead, as the issue states it: an adjacency list, a plain recursive CTE over an indexed `parent_id` building each comment's sort path (array of ids from its root) over the whole thread, then `ORDER BY path LIMIT 100` (the most the service's page holds), with an index on children by time and on top-level comments by time, and hash and merge joins off in its sessions so it walks the `parent_id` index (left to itself, PostgreSQL hashed every comment in the database on each recursion level: 16.5 s at 50,000 in a trial run, which would flatter the service). Depth-first order needs every path before the first row, so it walks the entire thread. The issue's 10× target at 10,000 comments is measured API against CTE (p50 latency, column *CTE / API*); SQL against CTE is shown beside it.").AppendLine();

        md.AppendLine("## Thread page: throughput and latency").AppendLine();
        md.AppendLine("| Thread size | Comments in page | Bytes | SQL statements | API req/s | API p50 / p99 ms | API 304 req/s | API 304 p50 / p99 ms | SQL tx/s | SQL p50 / p99 ms | CTE tx/s | CTE p50 / p99 ms | API / SQL throughput | CTE / API latency (p50) | CTE / SQL latency (p50) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in sizes)
        {
            md.AppendLine($"| {s.Size:N0} | {s.Page?.Comments} | {s.Page?.Bytes:N0} | {s.Page?.Statements} | {F(s.Api?.PerSecond ?? double.NaN, "0")} | {F(s.Api?.P50Ms ?? double.NaN, "0.00")} / {F(s.Api?.P99Ms ?? double.NaN, "0.00")} "
                + $"| {F(s.Api304?.PerSecond ?? double.NaN, "0")} | {F(s.Api304?.P50Ms ?? double.NaN, "0.00")} / {F(s.Api304?.P99Ms ?? double.NaN, "0.00")} "
                + $"| {F(s.Sql?.PerSecond ?? double.NaN, "0")} | {F(s.Sql?.P50Ms ?? double.NaN, "0.00")} / {F(s.Sql?.P99Ms ?? double.NaN, "0.00")} "
                + $"| {F(s.Cte?.PerSecond ?? double.NaN, "0.0")} | {F(s.Cte?.P50Ms ?? double.NaN, "0.0")} / {F(s.Cte?.P99Ms ?? double.NaN, "0.0")} "
                + $"| {F(Ratio(s.Api?.PerSecond, s.Sql?.PerSecond) * 100, "0")} % | {F(Ratio(s.Cte?.P50Ms, s.Api?.P50Ms), "0.0")}× | {F(Ratio(s.Cte?.P50Ms, s.Sql?.P50Ms), "0.0")}× |");
        }
        md.AppendLine();
        md.AppendLine("![Thread-page latency against thread size](thread-latency.png)").AppendLine();

        // CPU time per request, from /proc around each measurement (bench/run.sh): where a page's time goes.
        if (sizes.Any(s => File.Exists(Path.Combine(raw, $"{s.Size}-api-cpu.txt"))))
        {
            md.AppendLine("### CPU time per thread page").AppendLine();
            md.AppendLine("CPU time the API process and the PostgreSQL cluster used during each measured run, divided by the requests (or pgbench transactions) completed: "
                + "what one page costs each side, whatever the machine's load. The API's share over PostgreSQL's for the same page is what bounds *API / SQL throughput* on shared cores.").AppendLine();
            md.AppendLine("| Thread size | API ms per page (API process) | PostgreSQL ms per API page | PostgreSQL ms per pgbench page | API process / PostgreSQL |");
            md.AppendLine("|---:|---:|---:|---:|---:|");
            foreach (var s in sizes)
            {
                var api = Cpu(raw, $"{s.Size}-api-cpu.txt");
                var sql = Cpu(raw, $"{s.Size}-sql-cpu.txt");
                var apiMs = api is { } a && s.Api is { Count: > 0 } ? a.Api / s.Api.Count : double.NaN;
                var pgMs = api is { } b && s.Api is { Count: > 0 } ? b.Pg / s.Api.Count : double.NaN;
                var sqlMs = sql is { } c && s.Sql is { Count: > 0 } ? c.Pg / s.Sql.Count : double.NaN;
                md.AppendLine($"| {s.Size:N0} | {F(apiMs, "0.000")} | {F(pgMs, "0.000")} | {F(sqlMs, "0.000")} | {F(apiMs / pgMs, "0.0")}× |");
            }
            md.AppendLine();
        }

        // Targets.
        var small = sizes.First();
        var large = sizes.Last();
        var tenK = sizes.FirstOrDefault(s => s.Size == 10_000);
        var minRatio = sizes.Select(s => Ratio(s.Api?.PerSecond, s.Sql?.PerSecond)).DefaultIfEmpty(double.NaN).Min();
        var growth = Ratio(large.Api?.P50Ms, small.Api?.P50Ms);
        var growth99 = Ratio(large.Api?.P99Ms, small.Api?.P99Ms);
        var cteAt10k = Ratio(tenK?.Cte?.P50Ms, tenK?.Api?.P50Ms);
        md.AppendLine("## Targets").AppendLine();
        md.AppendLine("| Target | Measured | Met |");
        md.AppendLine("|---|---|---|");
        md.AppendLine($"| API thread-page throughput ≥ 50 % of the pgbench ceiling (cache off), at every size | lowest {F(minRatio * 100, "0")} % | {Met(minRatio >= 0.5)} |");
        md.AppendLine($"| Thread-page latency at {large.Size:N0} comments ≤ 1.3× that at {small.Size:N0} | p50 {F(growth, "0.00")}× (p99 {F(growth99, "0.00")}×) | {Met(growth <= 1.3)} |");
        md.AppendLine($"| Service ≥ 10× faster than the recursive CTE at 10,000 comments (measured through the API) | CTE p50 / API p50 = {F(cteAt10k, "0")}× (CTE / SQL: {F(Ratio(tenK?.Cte?.P50Ms, tenK?.Sql?.P50Ms), "0")}×) | {Met(cteAt10k >= 10)} |");
        if (post is not null)
        {
            md.AppendLine($"| Comment creation p99 ≤ 50 ms at {post.Rate:0} requests/s, pipeline on | p99 {F(post.P99Ms, "0.0")} ms (p50 {F(post.P50Ms, "0.0")} ms, {F(post.AchievedPerSecond, "0")} succeeded/s) | {Met(post.P99Ms <= 50 && post.AchievedPerSecond >= post.Rate * 0.98)} |");
        }
        md.AppendLine($"| Local pipeline phases ≤ 100 µs median per 1,000-character comment | see BenchmarkDotNet below (`Comment_1000_characters`) | see below |");
        md.AppendLine($"| API peak memory under this load ≤ 300 MB | {(peakKb < 0 ? "n/a" : F(peakKb / 1024.0, "0"))} MB peak resident (VmHWM, whole run) | {Met(peakKb > 0 && peakKb / 1024.0 <= 300)} |");
        md.AppendLine();

        if (post is not null)
        {
            md.AppendLine("## Comment creation").AppendLine();
            md.AppendLine($"`bench/CommentService.Bench post`: an open-loop generator (requests due every {1000 / post.Rate:0.0} ms whatever the answers; latency counted from when each was due), "
                + $"{post.Seconds:0} s after a warm-up, POSTing new comments and replies (mean {post.MeanBodyChars:0} characters) to the seeded threads through the whole moderation pipeline, rate limits off.").AppendLine();
            md.AppendLine("| Rate | Sent | Succeeded/s | p50 ms | p90 ms | p99 ms | max ms | Answers |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|");
            md.AppendLine($"| {post.Rate:0}/s | {post.Sent:N0} | {F(post.AchievedPerSecond, "0")} | {F(post.P50Ms, "0.0")} | {F(post.P90Ms, "0.0")} | {F(post.P99Ms, "0.0")} | {F(post.MaxMs, "0")} | {string.Join(", ", post.Statuses.OrderBy(k => k.Key).Select(k => $"{k.Key}: {k.Value:N0}"))} |");
            if (Cpu(raw, "post-cpu.txt") is { } cpu && cpu.Requests > 0)
            {
                md.AppendLine().AppendLine($"CPU time per posted comment (over the run and its warm-up, {cpu.Requests:N0} requests): API process {F(cpu.Api / cpu.Requests, "0.00")} ms, PostgreSQL {F(cpu.Pg / cpu.Requests, "0.00")} ms; "
                    + $"at {post.Rate:0}/s that is {F(cpu.Api / cpu.Requests * post.Rate / 10, "0")} % and {F(cpu.Pg / cpu.Requests * post.Rate / 10, "0")} % of one core.");
            }
            md.AppendLine();
        }
        md.AppendLine("## Moderation pipeline (BenchmarkDotNet)").AppendLine();
        md.AppendLine(pipeline).AppendLine();

        md.AppendLine("## Query plans (EXPLAIN ANALYZE)").AppendLine();
        foreach (var s in sizes)
        {
            foreach (var (kind, title) in new[] { ("service", "service's page statement"), ("cte", "recursive CTE") })
            {
                var file = Path.Combine(raw, $"explain-{s.Size}-{kind}.txt");
                if (File.Exists(file))
                {
                    md.AppendLine($"<details><summary>{s.Size:N0} comments: {title}</summary>").AppendLine().AppendLine("```").AppendLine(File.ReadAllText(file).TrimEnd()).AppendLine("```").AppendLine().AppendLine("</details>").AppendLine();
                }
            }
        }
        var notes = Path.Combine(raw, "..", "NOTES.md");
        if (File.Exists(notes))
        {
            md.AppendLine(File.ReadAllText(notes).TrimEnd()).AppendLine();
        }
        File.WriteAllText(Path.Combine(outDir, "REPORT.md"), md.ToString());
    }

    /// <summary>"api_ms pg_ms [requests]" written by bench/run.sh.</summary>
    private static (double Api, double Pg, double Requests)? Cpu(string raw, string name)
    {
        var file = Path.Combine(raw, name);
        if (!File.Exists(file))
        {
            return null;
        }
        var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (parts[0], parts[1], parts.Length > 2 ? parts[2] : double.NaN);
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static double Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : double.NaN;

    private static void Chart(List<SizeFigures> sizes, string file)
    {
        var plot = new ScottPlot.Plot();
        var xs = sizes.Select(s => Math.Log10(s.Size)).ToArray();
        void Line(string label, Func<SizeFigures, LoadFigures?> pick, ScottPlot.Color color)
        {
            var points = sizes.Select((s, i) => (X: xs[i], Y: pick(s)?.P50Ms)).Where(p => p.Y is > 0).ToList();
            if (points.Count == 0)
            {
                return;
            }
            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y!.Value)).ToArray(), color);
            scatter.LegendText = label;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 8;
        }
        Line("API (HTTP, wrk) p50", s => s.Api, ScottPlot.Colors.Blue);
        Line("Raw SQL, service's statements (pgbench) p50", s => s.Sql, ScottPlot.Colors.Green);
        Line("Recursive CTE, adjacency list (pgbench) p50", s => s.Cte, ScottPlot.Colors.Red);
        Line("API with If-None-Match (304) p50", s => s.Api304, ScottPlot.Colors.Gray);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, sizes.Select(s => s.Size.ToString("N0", CultureInfo.InvariantCulture)).ToArray());
        var ticks = Enumerable.Range(-2, 7).Select(e => (double)e).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ticks.Select(e => Math.Pow(10, e).ToString("0.##", CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.Label.Text = "p50 latency, ms (log scale)";
        plot.Axes.Bottom.Label.Text = "comments in the thread (log scale)";
        plot.Title("Thread page (20 items, 4 replies each): latency against thread size");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(file, 1000, 560);
    }
}

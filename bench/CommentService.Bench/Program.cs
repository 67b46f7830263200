using CommentService.Bench;

// bench/run.sh drives these steps; each can also run alone. See the README's "Performance" section.
var command = args.FirstOrDefault() ?? "";
string Arg(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
}

switch (command)
{
    case "seed":
    {
        var threads = await new Seeder(Arg("connection"), int.Parse(Arg("comments", "1000000")), int.Parse(Arg("seed", "20261127")), int.Parse(Arg("max-depth", "32"))).RunAsync();
        await Seeder.WriteAsync(Arg("out"), threads);
        return 0;
    }
    case "scripts":
    {
        // pgbench scripts per measured thread: the service's statements and the recursive CTE.
        var dir = Arg("out");
        foreach (var thread in Seeder.Read(Arg("threads")))
        {
            var statements = await Scripts.ServiceStatementsAsync(Arg("connection"), thread);
            File.WriteAllText(Path.Combine(dir, $"{thread.Size}-service.sql"), Scripts.PgbenchScript(statements));
            File.WriteAllText(Path.Combine(dir, $"{thread.Size}-cte.sql"), Scripts.PgbenchScript([Scripts.RecursiveCte(thread.ThreadId)]));
            File.WriteAllText(Path.Combine(dir, $"{thread.Size}-service-page.sql"), statements[1] + ";\n");
            File.WriteAllText(Path.Combine(dir, $"{thread.Size}-statements.txt"), statements.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Console.WriteLine($"{thread.Size}\t{thread.SiteId}\t{Uri.EscapeDataString(thread.ArticleId)}\t{statements.Count}");
        }
        return 0;
    }
    case "cte-indexes":
        Console.WriteLine(args.Contains("--drop") ? Scripts.DropRecursiveCteIndexes : Scripts.RecursiveCteIndexes);
        return 0;
    case "pgbench-summary":
        Measurements.Write(Arg("out"), Measurements.FromPgbench(Arg("log-prefix"), Arg("stdout")));
        return 0;
    case "wrk-summary":
        Measurements.Write(Arg("out"), Measurements.FromWrk(Arg("in")));
        return 0;
    case "page":
    {
        // What one page holds: comments (nested, counted) and bytes.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Arg("in")))!;
        static int Count(System.Text.Json.Nodes.JsonNode? items) => items?.AsArray().Sum(i => 1 + Count(i!["replies"])) ?? 0;
        Measurements.Write(Arg("out"), new Report.PageShape(Count(json["items"]), new FileInfo(Arg("in")).Length, int.Parse(File.ReadAllText(Arg("statements")).Trim())));
        return 0;
    }
    case "post":
    {
        var result = await new OpenLoop(new Uri(Arg("url")), Arg("connection"), int.Parse(Arg("seed", "20261127")))
            .RunAsync(double.Parse(Arg("rate", "200"), System.Globalization.CultureInfo.InvariantCulture), double.Parse(Arg("seconds", "30"), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(Arg("warmup", "5"), System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Arg("out"), OpenLoop.ToJson(result));
        Console.WriteLine($"posted {result.Sent} at {result.Rate}/s: p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, {string.Join(", ", result.Statuses.Select(s => $"{s.Key}={s.Value}"))}");
        return 0;
    }
    case "env":
        Measurements.Write(Arg("out"), new Report.Environment(Arg("machine"), Arg("cpu"), System.Environment.ProcessorCount, Arg("os"), System.Environment.Version.ToString(),
            Arg("postgres"), Arg("commit"), Arg("load-before"), Arg("load-after"), int.Parse(Arg("comments")), int.Parse(Arg("seed")), int.Parse(Arg("connections")),
            int.Parse(Arg("seconds")), Arg("pg-settings"), long.Parse(Arg("seed-seconds"))));
        return 0;
    case "report":
        Report.Write(Arg("raw"), Arg("out"));
        return 0;
    default:
        Console.Error.WriteLine("usage: seed | scripts | cte-indexes | pgbench-summary | wrk-summary | page | post | env | report (see bench/run.sh)");
        return 2;
}

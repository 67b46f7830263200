using System.Reflection;
using CommentService.Evaluation;

// dotnet run --project tools/CommentService.Evaluation -- [--datasets DIR] [--check]
// Runs every IEvaluation in this assembly against the labelled data sets (by default ../shared/datasets
// beside the repository) and prints Markdown. With --check, exits 1 when a regression guard fails.
string? datasets = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--datasets" when i + 1 < args.Length:
            datasets = args[++i];
            break;
        case "--check":
            check = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--datasets DIR] [--check]");
            return 2;
    }
}
datasets ??= DefaultDatasets();
if (datasets is null || !Directory.Exists(datasets))
{
    Console.WriteLine($"No data sets folder ({datasets ?? "../shared/datasets beside the repository"}); nothing to evaluate.");
    return 0;
}

var evaluations = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IEvaluation).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IEvaluation)Activator.CreateInstance(t)!)
    .OrderBy(e => e.Name, StringComparer.Ordinal)
    .ToList();

var failures = new List<string>();
foreach (var evaluation in evaluations)
{
    var report = await evaluation.RunAsync(datasets, Console.Out, CancellationToken.None);
    if (report is null)
    {
        continue;
    }
    Console.WriteLine(report.Markdown);
    failures.AddRange(report.Failures.Select(f => $"{evaluation.Name}: {f}"));
}
if (check && failures.Count > 0)
{
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"REGRESSION {failure}");
    }
    return 1;
}
return 0;

// The repository root is the folder holding CommentService.sln; the data sets sit beside it in shared/.
static string? DefaultDatasets()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommentService.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "datasets"));
            }
        }
    }
    return null;
}

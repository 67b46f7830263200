using CommentService.Evaluation;

// Measures the moderation pipeline on labelled public datasets (read from ../shared/datasets, never copied
// into the repository). Usage: dotnet run --project tools/CommentService.Evaluation -- [--datasets DIR] [--check] [--train-model]
var root = RepositoryRoot();
string? datasets = null;
var check = false;
var train = false;
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
        case "--train-model":
            train = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--datasets DIR] [--check] [--train-model]");
            return 2;
    }
}
datasets = Path.GetFullPath(datasets ?? Path.Combine(root, "..", "shared", "datasets"));
var options = new EvaluationOptions(datasets, root, check, train);
// Evaluations on generated data (an empty DatasetFolder) run everywhere; the others need the datasets.
IEvaluation[] evaluations = [new YouTubeSpamEvaluation(), new WikiToxicityEvaluation(), new ReplyContextEvaluation()];
if (!Directory.Exists(datasets))
{
    Console.WriteLine($"No datasets at {datasets}; only the generated evaluations run (pass --datasets DIR).\n");
    evaluations = [.. evaluations.Where(e => e.DatasetFolder.Length == 0)];
}
var failed = false;
foreach (var evaluation in evaluations)
{
    if (evaluation.DatasetFolder.Length > 0 && !Directory.Exists(Path.Combine(datasets, evaluation.DatasetFolder)))
    {
        Console.WriteLine($"## {evaluation.Name}\n\nSkipped: {evaluation.DatasetFolder}/ is not in {datasets}.\n");
        continue;
    }
    var report = await evaluation.RunAsync(options, CancellationToken.None);
    Console.WriteLine(report.Markdown);
    if (check && !report.MeetsFloor)
    {
        Console.Error.WriteLine($"{evaluation.Name}: results fell below the regression floor.");
        failed = true;
    }
}
return failed ? 1 : 0;

// The folder holding CommentService.sln, found upward from the working directory or the binary.
static string RepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommentService.sln")))
            {
                return dir.FullName;
            }
        }
    }
    return Directory.GetCurrentDirectory();
}

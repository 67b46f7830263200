namespace CommentService.Evaluation;

/// <summary>Options shared by every evaluation, from the command line.</summary>
public sealed record EvaluationOptions(string DatasetsDirectory, string RepositoryRoot, bool Check, bool TrainModel);

/// <summary>What an evaluation reports: a Markdown section, and whether it met its regression floor.</summary>
public sealed record EvaluationReport(string Markdown, bool MeetsFloor);

/// <summary>One dataset's evaluation of the moderation pipeline.</summary>
public interface IEvaluation
{
    string Name { get; }

    /// <summary>The dataset folder under the datasets directory.</summary>
    string DatasetFolder { get; }

    Task<EvaluationReport> RunAsync(EvaluationOptions options, CancellationToken ct);
}

namespace CommentService.Evaluation;

/// <summary>
/// One labelled data set run through the moderation pipeline. Program.cs finds every implementation in
/// this assembly, so adding a data set is adding one class.
/// </summary>
public interface IEvaluation
{
    /// <summary>Short name, also the order in which reports print.</summary>
    string Name { get; }

    /// <summary>Runs against the data sets folder; returns null (after saying why) when its data is absent.</summary>
    Task<EvaluationReport?> RunAsync(string datasetsDirectory, TextWriter log, CancellationToken ct);
}

/// <summary>
/// What an evaluation measured: a Markdown section to print, and the regression guards that failed
/// (checked only with --check).
/// </summary>
public sealed record EvaluationReport(string Markdown, IReadOnlyList<string> Failures);

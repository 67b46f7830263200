using CommentService.Api.Data;
using CommentService.Api.Infrastructure;

namespace CommentService.Api.Features.Imports.Readers;

/// <summary>The 400 answers of an import: every error names the file and the line (and column) it is at.</summary>
public static class ImportProblems
{
    public const string Field = "file";
    private const int MaxListed = 50;

    public static ApiProblemException Unreadable(int line, int column, string reason) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "The import file cannot be read.",
            $"Line {line}, column {column}: {reason} Nothing was imported.",
            [new FieldError(Field, reason) { Line = line, Column = column }]);

    public static ApiProblemException Invalid(IReadOnlyList<ImportIssue> issues)
    {
        var first = issues[0];
        var more = issues.Count > 1 ? $" ({issues.Count - 1} more problems are listed in errors)" : "";
        return new(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "The import file has invalid items.",
            $"Line {first.Line}{(first.Column is { } c ? $", column {c}" : "")}: {first.Reason}{more} Nothing was imported; "
            + "fix the file, or send partial=true to import the valid items and skip these.",
            issues.Take(MaxListed).Select(i => new FieldError(Field, i.Reason) { Line = i.Line, Column = i.Column }).ToList());
    }
}

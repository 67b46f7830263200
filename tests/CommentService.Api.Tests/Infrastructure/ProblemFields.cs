using System.Text.Json.Nodes;

namespace CommentService.Api.Tests.Infrastructure;

public static class ProblemFields
{
    /// <summary>
    /// Asserts the problem names <paramref name="field"/> itself or one of its items (<c>scopes[1]</c>):
    /// rules on each item of a list name the item.
    /// </summary>
    public static void AssertNamesFieldOrItem(JsonObject problem, string field)
    {
        var names = problem["errors"]?.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList() ?? [];
        Assert.True(
            names.Any(n => n.Equals(field, StringComparison.OrdinalIgnoreCase) || n.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)),
            $"problem does not name '{field}' or one of its items: {problem.ToJsonString()}");
    }
}

using System.Text.RegularExpressions;
using CommentService.Api.Tests.Infrastructure;
using CommentService.Client;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>
/// Every operation in openapi.yaml has a method on the generated client and is called by the client tests,
/// so a new route cannot ship without being driven through the client.
/// </summary>
public sealed class OperationCoverageTests
{
    private static string ClientTestsFolder => Path.Combine(RepoPaths.Root, "tests", "CommentService.Api.Tests", "Client");

    private static async Task<List<string>> OperationIdsAsync()
    {
        var document = await NSwag.OpenApiYamlDocument.FromYamlAsync(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "openapi.yaml")));
        return document.Paths.SelectMany(p => p.Value.Values).Select(o => o.OperationId).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The client method NSwag generates for an operation id: exportSite → ExportSiteAsync.</summary>
    private static string MethodOf(string operationId) => char.ToUpperInvariant(operationId[0]) + operationId[1..] + "Async";

    /// <summary>The operations whose client method is called somewhere in <paramref name="sources"/> (as <c>.MethodAsync(</c>).</summary>
    public static IEnumerable<string> Called(IEnumerable<string> operationIds, string sources) =>
        operationIds.Where(id => Regex.IsMatch(sources, @"\." + Regex.Escape(MethodOf(id)) + @"\s*\("));

    [Fact]
    public async Task Every_operation_has_a_client_method()
    {
        var operations = await OperationIdsAsync();
        var methods = typeof(ICommentServiceClient).GetMethods().Select(m => m.Name).ToHashSet();
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations found");
        var missing = operations.Where(id => !methods.Contains(MethodOf(id))).ToList();
        Assert.True(missing.Count == 0, "regenerate the client (scripts/generate-client.sh): no method for " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_operation_is_called_through_the_generated_client_by_a_test()
    {
        var operations = await OperationIdsAsync();
        var sources = string.Join("\n", Directory.EnumerateFiles(ClientTestsFolder, "*.cs")
            .Where(f => Path.GetFileName(f) != nameof(OperationCoverageTests) + ".cs")
            .Select(File.ReadAllText));

        var uncalled = operations.Except(Called(operations, sources)).ToList();

        Assert.True(uncalled.Count == 0,
            "operations no test in tests/CommentService.Api.Tests/Client calls through the generated client: " + string.Join(", ", uncalled));
    }

    [Fact]
    public void The_scan_finds_calls_and_not_mere_mentions()
    {
        string[] ids = ["exportSite", "getImport", "startImport"];
        const string sources = """
            using var export = await admin.ExportSiteAsync(site);
            job = await admin
                .GetImportAsync (site, job.Id!.Value);
            // StartImportAsync is only mentioned here
            """;
        Assert.Equal(["exportSite", "getImport"], Called(ids, sources));
    }
}

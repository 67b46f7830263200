using CommentService.Api.Infrastructure;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Contract;

[Collection(ServiceCollection.Name)]
public sealed class OpenApiTests(ServiceFixture service)
{
    [Fact]
    public async Task The_committed_openapi_yaml_is_what_the_code_generates()
    {
        var generated = await OpenApiExport.GenerateYamlAsync(service.Services);
        var committed = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "openapi.yaml"))).Replace("\r\n", "\n");
        Assert.True(generated == committed,
            "openapi.yaml is out of date: run scripts/openapi.sh and commit the result.");
    }

    [Fact]
    public async Task Every_route_has_an_operation_id_a_summary_and_problem_responses()
    {
        var document = await NSwag.OpenApiYamlDocument.FromYamlAsync(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "openapi.yaml")));
        var operations = document.Paths.SelectMany(p => p.Value.Values).ToList();
        Assert.True(operations.Count >= 12, $"only {operations.Count} operations documented");
        Assert.All(operations, op =>
        {
            Assert.False(string.IsNullOrEmpty(op.OperationId));
            Assert.False(string.IsNullOrEmpty(op.Summary), op.OperationId);
            Assert.Contains(op.Responses, r => r.Value.Content.ContainsKey("application/problem+json"));
        });
        Assert.Equal(operations.Count, operations.Select(o => o.OperationId).Distinct().Count());
    }
}

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

    private static async Task<NSwag.OpenApiDocument> CommittedAsync() =>
        await NSwag.OpenApiYamlDocument.FromYamlAsync(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "openapi.yaml")));

    private static IEnumerable<(string Method, string Path, NSwag.OpenApiOperation Operation)> Operations(NSwag.OpenApiDocument document) =>
        document.Paths.SelectMany(p => p.Value.Select(o => (o.Key, p.Key, o.Value)));

    [Fact]
    public async Task Every_operation_documents_its_caller_its_errors_with_examples_and_its_request_example()
    {
        var document = await CommittedAsync();
        var failures = new List<string>();
        foreach (var (method, path, op) in Operations(document))
        {
            var name = $"{method.ToUpperInvariant()} {path} ({op.OperationId})";
            void Require(bool ok, string what)
            {
                if (!ok)
                {
                    failures.Add($"{name}: {what}");
                }
            }
            Require(!string.IsNullOrWhiteSpace(op.OperationId), "no operationId");
            Require(!string.IsNullOrWhiteSpace(op.Summary), "no summary");
            Require(!string.IsNullOrWhiteSpace(op.Description), "no description");
            Require(op.ExtensionData?.TryGetValue("x-required-scopes", out var scopes) == true && scopes is not null, "no x-required-scopes");
            Require(op.ActualSecurity?.Any(s => s.ContainsKey("ApiKey")) == true, "no ApiKey security requirement");

            var problems = op.Responses.Where(r => r.Value.Content.ContainsKey("application/problem+json")).ToList();
            Require(problems.Count > 0, "no problem responses");
            Require(op.Responses.ContainsKey("503"), "no 503 (database unavailable)");
            foreach (var (status, response) in problems)
            {
                Require(response.Content["application/problem+json"].Example is not null, $"{status} has no example");
                Require(!string.IsNullOrWhiteSpace(response.Description), $"{status} has no description");
            }
            Require(op.Responses.Keys.Any(k => k.StartsWith('2')), "no success response");

            var write = method is "post" or "put" or "patch" or "delete";
            if (write)
            {
                Require(op.Parameters.Any(p => p.Name == "Idempotency-Key" && p.Kind == NSwag.OpenApiParameterKind.Header), "no Idempotency-Key header");
                Require(op.Responses.ContainsKey("422"), "no 422 (Idempotency-Key reused)");
            }
            if (method is "post" or "put" or "patch" && op.RequestBody is { } body)
            {
                var json = body.Content.TryGetValue("application/json", out var media) ? media : null;
                // A file upload (an import) is described as binary content with a description of the file instead.
                var file = json is null && body.Content.Count > 0
                    && body.Content.Values.All(m => m.Schema?.ActualSchema.Format == "binary") && !string.IsNullOrWhiteSpace(body.Description);
                Require(json is not null || file, "request body is neither JSON nor a described file");
                Require(file || json?.Example is not null || json?.Schema?.ActualSchema.Example is not null, "no request example");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_security_scheme_is_a_bearer_api_key_and_names_every_scope()
    {
        var document = await CommittedAsync();
        var scheme = document.Components.SecuritySchemes["ApiKey"];
        Assert.Equal(NSwag.OpenApiSecuritySchemeType.Http, scheme.Type);
        Assert.Equal("bearer", scheme.Scheme);
        foreach (var scope in CommentService.Api.Infrastructure.Auth.ApiScopes.All)
        {
            Assert.Contains(scope, scheme.Description);
        }
        var scopesUsed = Operations(document)
            .SelectMany(o => ((IEnumerable<object>)o.Operation.ExtensionData!["x-required-scopes"]!).Select(s => s.ToString()))
            .ToHashSet();
        Assert.Superset(new HashSet<string?>(["operator", "admin", "moderate", "comments:read", "comments:write"]), scopesUsed);
    }

    [Fact]
    public async Task Routes_open_to_readers_have_optional_security_and_the_others_require_a_key()
    {
        var document = await CommittedAsync();
        var ops = Operations(document).ToDictionary(o => o.Operation.OperationId);
        Assert.Contains(ops["createComment"].Operation.Security, s => s.Count == 0);
        Assert.Contains(ops["listThread"].Operation.Security, s => s.Count == 0);
        Assert.DoesNotContain(ops["listModerationQueue"].Operation.Security, s => s.Count == 0);
        Assert.DoesNotContain(ops["createSite"].Operation.Security, s => s.Count == 0);
    }
}

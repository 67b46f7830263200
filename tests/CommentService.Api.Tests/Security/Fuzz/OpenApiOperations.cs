using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;
using NJsonSchema;
using NSwag;

namespace CommentService.Api.Tests.Security.Fuzz;

/// <summary>One operation of the committed openapi.yaml, reduced to what a request generator needs.</summary>
public sealed record FuzzOperation(
    string Method,
    string PathTemplate,
    string OperationId,
    IReadOnlyList<FuzzParameter> Path,
    IReadOnlyList<FuzzParameter> Query,
    IReadOnlyList<string> Headers,
    IReadOnlyDictionary<string, JsonSchema>? BodyProperties,
    JsonObject? BodyExample);

public sealed record FuzzParameter(string Name, JsonObjectType Type, bool IsArray);

public static class OpenApiOperations
{
    /// <summary>Every operation in openapi.yaml at the repository root: the contract, so a new route is fuzzed without a test change.</summary>
    public static async Task<IReadOnlyList<FuzzOperation>> LoadAsync()
    {
        var document = await OpenApiYamlDocument.FromYamlAsync(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "openapi.yaml")));
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, op) in item)
            {
                var parameters = op.ActualParameters.ToList();
                FuzzParameter Describe(OpenApiParameter p)
                {
                    var schema = p.ActualSchema;
                    var isArray = schema.Type.HasFlag(JsonObjectType.Array);
                    var type = isArray ? schema.Item?.ActualSchema.Type ?? JsonObjectType.String : schema.Type;
                    return new FuzzParameter(p.Name, type, isArray);
                }

                IReadOnlyDictionary<string, JsonSchema>? properties = null;
                JsonObject? example = null;
                if (op.RequestBody?.Content.TryGetValue("application/json", out var media) == true)
                {
                    var schema = media.Schema.ActualSchema;
                    properties = schema.ActualProperties.ToDictionary(p => p.Key, p => p.Value.ActualTypeSchema);
                    var raw = media.Example ?? schema.Example;
                    if (raw is not null)
                    {
                        example = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(raw)) as JsonObject;
                    }
                }

                operations.Add(new FuzzOperation(
                    method.ToUpperInvariant(),
                    path,
                    op.OperationId,
                    [.. parameters.Where(p => p.Kind == OpenApiParameterKind.Path).Select(Describe)],
                    [.. parameters.Where(p => p.Kind == OpenApiParameterKind.Query).Select(Describe)],
                    [.. parameters.Where(p => p.Kind == OpenApiParameterKind.Header).Select(p => p.Name)],
                    properties,
                    example));
            }
        }
        return operations;
    }
}

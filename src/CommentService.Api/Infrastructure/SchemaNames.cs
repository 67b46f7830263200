using NJsonSchema.Generation;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Every use case names its DTOs Request and Response in its own namespace (Features.Sites.Create);
/// in the OpenAPI document and the generated client they become CreateSiteRequest and so on.
/// </summary>
public sealed class SchemaNames : DefaultSchemaNameGenerator
{
    public override string Generate(Type type)
    {
        var ns = type.Namespace ?? "";
        if (ns.StartsWith("CommentService.Api.Features.", StringComparison.Ordinal) && type.Name is "Request" or "Response")
        {
            var parts = ns.Split('.');
            var useCase = parts[^1]; // Features.Counts has no use-case folder: CountsResponse
            var area = parts[^2];
            var noun = area.EndsWith('s') ? area[..^1] : area;
            return area == "Features" ? useCase + type.Name : useCase + noun + type.Name;
        }
        return base.Generate(type);
    }
}

using System.Text.RegularExpressions;
using NJsonSchema.Generation;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Use cases name their DTOs Request and Response (or GetRequest, ListResponse, ... where one folder
/// holds several endpoints) in their own namespace; in the OpenAPI document and the generated client
/// they become CreateSiteRequest, ListTermsResponse and so on.
/// </summary>
public sealed partial class SchemaNames : DefaultSchemaNameGenerator
{
    public override string Generate(Type type)
    {
        var ns = type.Namespace ?? "";
        if (!ns.StartsWith("CommentService.Api.Features.", StringComparison.Ordinal))
        {
            return base.Generate(type);
        }
        var parts = ns.Split('.');
        var folder = parts[^1];
        var area = parts[^2];
        if (type.Name is "Request" or "Response")
        {
            return area == "Features" ? folder + type.Name : folder + Singular(area) + type.Name;
        }
        var verb = VerbDto().Match(type.Name);
        return verb.Success
            ? verb.Groups[1].Value + (verb.Groups[1].Value == "List" ? folder : Singular(folder)) + verb.Groups[2].Value
            : base.Generate(type);
    }

    private static string Singular(string noun) => noun.EndsWith('s') ? noun[..^1] : noun;

    [GeneratedRegex("^(Get|Update|List|Put|Delete|Create)(Request|Response)$")]
    private static partial Regex VerbDto();
}

using CommentService.Api.Features;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.Idempotency;
using Microsoft.AspNetCore.Authorization;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Completes every operation of the OpenAPI document with what holds for all routes alike, so no
/// endpoint can forget it: who may call it (<c>x-required-scopes</c>, optional security on routes open
/// to readers), the <c>Idempotency-Key</c> header on writes with its 409 and 422 answers, the 503 of an
/// unavailable database, 413 and 415 on routes with a body, and an example problem for every error.
/// </summary>
public sealed class OpenApiContract : IOperationProcessor
{
    public const string ScopesExtension = "x-required-scopes";

    private static readonly Dictionary<int, (string Type, string Title, string Detail, string Description)> Errors = new()
    {
        [400] = ("validation", "One or more fields are invalid.", "The comment is empty.", "Malformed or invalid input; errors names each failing field."),
        [401] = ("unauthorized", "Unauthorized", "The API key is invalid, revoked or expired.", "Missing, invalid, revoked or expired key (or edit token where one is needed)."),
        [403] = ("forbidden", "Forbidden", "This key may not use moderate on site 'film-blog'.", "A valid key without the scope, or for another site."),
        [404] = ("not-found", "Not found", "Site 'film-blog' does not exist.", "Unknown site or resource."),
        [409] = ("conflict", "Conflict", "This article's thread is closed to new comments.", "A state conflict (see the description), a request with the same Idempotency-Key still running (type idempotency-in-progress, with Retry-After), or one that was carried out but whose answer was lost (type idempotency-answer-lost, with Location when it created something; do not retry)."),
        [412] = ("precondition-failed", "Precondition failed", "The comment changed since you loaded it (it is approved now, ETag \"m2\"); reload it and decide again.", "If-Match did not match: someone changed the resource since you read it."),
        [413] = ("payload-too-large", "Payload too large", "The request body exceeds the documented limit.", "The body is over the service's limit."),
        [415] = ("unsupported-media-type", "Unsupported media type", "Send JSON with Content-Type: application/json.", "The body is not application/json."),
        [422] = ("idempotency-key-reused", "Unprocessable content", "This Idempotency-Key was already used for a different request (method, path or body); use a new key.", "The Idempotency-Key was used before for a different request."),
        [429] = ("rate-limited", "Too many requests", "Too many comments from this address; retry after the Retry-After seconds.", "Rate limited; Retry-After says when to retry."),
        [503] = ("database-unavailable", "Service unavailable", "The database cannot be reached; retry later.", "The database is unavailable; Retry-After says when to retry."),
    };

    public bool Process(OperationProcessorContext context)
    {
        var operation = context.OperationDescription.Operation;
        var method = context.OperationDescription.Method;
        var metadata = (context as AspNetCoreOperationProcessorContext)?.ApiDescription.ActionDescriptor.EndpointMetadata ?? [];
        DescribeCaller(operation, metadata);

        foreach (var header in metadata.OfType<AcceptedHeaders>().SelectMany(h => h.Names))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header,
                OriginalName = HeaderArgument(header),
                Kind = OpenApiParameterKind.Header,
                IsRequired = false,
                Description = HeaderDescriptions[header],
                Schema = new JsonSchema { Type = JsonObjectType.String },
            });
        }

        var write = method is "post" or "put" or "patch" or "delete";
        if (write)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                // x-originalName: the name generated clients give the argument (idempotencyKey).
                OriginalName = "idempotencyKey",
                Kind = OpenApiParameterKind.Header,
                IsRequired = false,
                Description = "Makes the write safe to retry: the same key with the same request returns the first answer "
                    + "(with Idempotency-Replayed: true) and changes nothing again; 1-255 visible ASCII characters, e.g. a UUID; "
                    + "kept 24 hours per caller.",
                Schema = new JsonSchema { Type = JsonObjectType.String, MaxLength = 255 },
                Example = "5f0c6a4e-3d1b-4a8e-9d55-2f6f1c0b7a21",
            });
            AddProblem(context, operation, 409);
            AddProblem(context, operation, 422);
        }
        if (operation.RequestBody is not null)
        {
            AddProblem(context, operation, 413);
            AddProblem(context, operation, 415);
        }
        AddProblem(context, operation, 503);

        foreach (var (code, response) in operation.Responses)
        {
            if (int.TryParse(code, out var status) && Errors.TryGetValue(status, out var error)
                && response.Content.TryGetValue(ProblemWriter.ContentType, out var media))
            {
                if (string.IsNullOrEmpty(response.Description) || response.Description == HttpReason(status))
                {
                    response.Description = error.Description;
                }
                var example = new Dictionary<string, object>
                {
                    ["type"] = "https://commentservice.dev/problems/" + error.Type,
                    ["title"] = error.Title,
                    ["status"] = status,
                    ["detail"] = error.Detail,
                };
                if (status == 400)
                {
                    example["errors"] = new[] { new Dictionary<string, string> { ["name"] = "body", ["reason"] = "The comment is empty." } };
                }
                media.Example ??= example;
            }
        }
        return true;
    }

    private static void DescribeCaller(OpenApiOperation operation, IList<object> metadata)
    {
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToHashSet();
        string[] scopes = policies.Contains(Policies.Operator) ? ["operator"]
            : policies.Contains(Policies.SiteAdmin) ? [ApiScopes.Admin]
            : policies.Contains(Policies.SiteModerator) ? [ApiScopes.Moderate]
            : metadata.OfType<OptionalKeyScope>().Select(s => s.Scope).Distinct().ToArray();
        operation.ExtensionData ??= new Dictionary<string, object?>();
        operation.ExtensionData[ScopesExtension] = scopes;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            // Open to readers: no credentials, or a key holding the scope.
            operation.Security = [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [ApiKeyAuthentication.SchemeName] = [] }];
        }
    }

    private static void AddProblem(OperationProcessorContext context, OpenApiOperation operation, int status)
    {
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(code))
        {
            return;
        }
        var schema = context.SchemaGenerator.Generate(typeof(Problem), context.SchemaResolver);
        var response = new OpenApiResponse { Description = Errors[status].Description };
        response.Content[ProblemWriter.ContentType] = new OpenApiMediaType { Schema = schema };
        operation.Responses[code] = response;
    }

    private static readonly Dictionary<string, string> HeaderDescriptions = new()
    {
        ["X-Edit-Token"] = "The edit token from the comment's 201 answer: the anonymous author's proof, within the site's edit window.",
        ["X-User-Token"] = "A site-signed user token (JWT, HS256): the reader the site vouches for.",
        ["X-Reader-Token"] = "The browser's random reader token (16-128 letters, digits, - and _), kept by the embed; with the address it identifies a reader.",
        ["If-Match"] = "The comment's moderation ETag as last seen (a queue item's etag, or GET comment's ETag header): "
            + "the decision applies only if nobody changed the comment meanwhile, else 412. * matches any state.",
    };

    // X-Edit-Token -> editToken
    private static string HeaderArgument(string header) =>
        string.Concat((header.StartsWith("X-", StringComparison.Ordinal) ? header["X-".Length..] : header).Split('-').Select((part, i) => i == 0 ? part.ToLowerInvariant() : part));

    private static string HttpReason(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}

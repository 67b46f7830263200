using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;

namespace CommentService.Api.Features.Exports;

public sealed class Request
{
    public string SiteId { get; set; } = "";
}

/// <summary>GET /v1/sites/{siteId}/export: every thread and comment of the site as JSON Lines.</summary>
public sealed class ExportSite(Data.CommentsDb db, JsonLinesExport export, TimeProvider clock) : Endpoint<Request>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/export");
        Policies(Infrastructure.Auth.Policies.SiteModerator);
        Description(b => b.WithName("exportSite").WithTags("Export")
            .Produces<string>(200, JsonLinesDownload.MediaType).ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Export a site's comments as JSON Lines";
            s.Description = "Streamed, one JSON object per line: a header, then each thread followed by its comments depth-first (parents before replies), "
                + "every status included. No emails or addresses; authors are carried by their keyed identity hash. Imports back with format=jsonl. "
                + "Operator key, or a site key with the moderate (or admin) scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        await export.WriteAsync(HttpContext.Response, req.SiteId, null, clock.GetUtcNow(), ct);
    }
}

/// <summary>GET /v1/sites/{siteId}/articles/{articleId}/export: one article's thread as JSON Lines.</summary>
public sealed class ExportArticle(Data.CommentsDb db, JsonLinesExport export, TimeProvider clock) : Endpoint<Request>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/articles/{articleId}/export");
        Policies(Infrastructure.Auth.Policies.SiteModerator);
        Description(b => b.WithName("exportArticle").WithTags("Export")
            .Produces<string>(200, JsonLinesDownload.MediaType).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Export one article's comments as JSON Lines";
            s.Description = "The same lines as exportSite for one article (just the header when nobody commented on it). "
                + "The article ID is one percent-encoded path segment. Operator key, or a site key with the moderate (or admin) scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var articleId = ArticleIds.FromRoute(HttpContext);
        await db.RequireAsync(req.SiteId, ct);
        await export.WriteAsync(HttpContext.Response, req.SiteId, articleId, clock.GetUtcNow(), ct);
    }
}

/// <summary>
/// Describes a JSON Lines answer as a file (binary) in the OpenAPI document: it is not one JSON value, so a
/// generated client must hand the caller the stream (NSwag: FileResponse) instead of parsing it as JSON.
/// </summary>
public sealed class JsonLinesDownload : NSwag.Generation.Processors.IOperationProcessor
{
    public const string MediaType = "application/x-ndjson";

    public bool Process(NSwag.Generation.Processors.Contexts.OperationProcessorContext context)
    {
        foreach (var (code, response) in context.OperationDescription.Operation.Responses)
        {
            if (code.StartsWith('2') && response.Content.TryGetValue(MediaType, out var media))
            {
                media.Schema = new NJsonSchema.JsonSchema { Type = NJsonSchema.JsonObjectType.String, Format = "binary" };
            }
        }
        return true;
    }
}

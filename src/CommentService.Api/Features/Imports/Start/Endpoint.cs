using CommentService.Api.Data;
using CommentService.Api.Features.Imports.Readers;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Imports.Start;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>disqus (Disqus XML export), wxr (WordPress eXtended RSS) or jsonl (this service's JSON Lines export).</summary>
    [QueryParam]
    public string? Format { get; set; }

    /// <summary>
    /// Which value becomes the article ID. disqus: link (default), identifier (the thread's &lt;id&gt;, else its link) or path
    /// (the link's path). wxr: link (default), postId, slug (post_name, else post id) or path. jsonl: articleId (the only one).
    /// </summary>
    [QueryParam]
    public string? ArticleIdFrom { get; set; }

    /// <summary>false (default): any invalid item refuses the whole file. true: import the valid items and report the rest with their lines.</summary>
    [QueryParam]
    public bool? Partial { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Format).NotEmpty().WithMessage("format is required: disqus, wxr or jsonl.")
            .Must(f => ImportFormats.All.Contains(f)).WithMessage("format must be disqus, wxr or jsonl.");
        RuleFor(r => r.ArticleIdFrom)
            .Must((r, from) => from is null || ImportFormats.ArticleIdSources(r.Format ?? "").Contains(from))
            .WithMessage(r => $"articleIdFrom must be one of: {string.Join(", ", ImportFormats.ArticleIdSources(r.Format ?? ""))}.")
            .When(r => ImportFormats.All.Contains(r.Format));
    }
}

/// <summary>Marks a route whose body may be as large as Comments:MaxImportBytes.</summary>
public sealed class ImportUpload;

public sealed class Endpoint(CommentsDb db, ImportQueue queue, TimeProvider clock) : Endpoint<Request, ImportJobResponse>
{
    public static readonly string[] ContentTypes =
        ["application/xml", "text/xml", "application/rss+xml", "application/x-ndjson", "application/jsonl", "application/octet-stream", "text/plain"];

    public override void Configure()
    {
        Post("/");
        Group<ImportsGroup>();
        Description(b => b.WithName("startImport")
            .ClearDefaultAccepts()
            .Accepts<Request>(ContentTypes[0], ContentTypes[1..])
            .WithMetadata(new ImportUpload())
            .Produces<ImportJobResponse>(202)
            .ProducesProblems(400, 401, 403, 404, 413, 415));
        Summary(s =>
        {
            s.Summary = "Import comments from a Disqus, WordPress (WXR) or JSON Lines file";
            s.Description = "The file is the request body (up to Comments:MaxImportBytes, 200 MiB by default). It is read while it uploads: "
                + "a malformed or invalid file is refused with 400 naming the line (and column), and nothing is imported unless partial=true. "
                + "An accepted file answers 202 with an import job; poll getImport for progress and the outcome. The whole import is one "
                + "transaction: it succeeds entirely or leaves nothing. Comments imported before (same source id) are skipped, so running an "
                + "import again adds nothing twice. Imported comments bypass the moderation pipeline and send no webhooks. "
                + "Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct);
        var format = req.Format!;
        var articleIdFrom = req.ArticleIdFrom ?? ImportFormats.ArticleIdSources(format)[0];
        var body = HttpContext.Request.Body;
        var parsed = format switch
        {
            ImportFormats.Disqus => await DisqusReader.ReadAsync(body, articleIdFrom, ct),
            ImportFormats.Wxr => await WxrReader.ReadAsync(body, articleIdFrom, ct),
            _ => await JsonLinesReader.ReadAsync(body, ct),
        };
        var partial = req.Partial ?? false;
        if (parsed.Fatal is { } fatal && (!partial || parsed.Comments.Count == 0))
        {
            throw ImportProblems.Unreadable(fatal.Line, fatal.Column ?? 0, fatal.Reason);
        }
        var invalid = parsed.Fatal is { } stop
            ? [.. parsed.Invalid, stop with { Reason = stop.Reason + " The rest of the file was not read." }]
            : parsed.Invalid;
        if (!partial && invalid.Count > 0)
        {
            throw ImportProblems.Invalid(invalid);
        }

        var now = clock.GetUtcNow();
        var job = new ImportJob
        {
            Id = Guid.CreateVersion7(now),
            SiteId = site.Id,
            Format = format,
            ArticleIdFrom = articleIdFrom,
            Partial = partial,
            State = ImportStates.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            Total = parsed.Comments.Count,
            Invalid = invalid.Count,
            Ignored = parsed.Ignored,
            Issues = [.. invalid.Concat(parsed.Notes).OrderBy(i => i.Line).Take(ImportLimits.MaxIssues)],
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        queue.Enqueue(new ImportWork(job.Id, site.Id, parsed));
        HttpContext.Response.Headers.Location = $"/v1/sites/{Uri.EscapeDataString(site.Id)}/imports/{job.Id}";
        await Send.ResponseAsync(ImportJobResponse.From(job), 202, ct);
    }
}

/// <summary>Describes the import file as the request body in the OpenAPI document (the request DTO holds only query parameters).</summary>
public sealed class ImportFileBody : NSwag.Generation.Processors.IOperationProcessor
{
    public bool Process(NSwag.Generation.Processors.Contexts.OperationProcessorContext context)
    {
        if (context.OperationDescription.Method == "post" && context.OperationDescription.Path == "/v1/sites/{siteId}/imports")
        {
            var body = new NSwag.OpenApiRequestBody
            {
                IsRequired = true,
                Description = "The export file itself (not a form): Disqus XML, WordPress WXR, or JSON Lines.",
            };
            foreach (var type in Endpoint.ContentTypes)
            {
                body.Content[type] = new NSwag.OpenApiMediaType
                {
                    Schema = new NJsonSchema.JsonSchema { Type = NJsonSchema.JsonObjectType.String, Format = "binary" },
                };
            }
            context.OperationDescription.Operation.RequestBody = body;
        }
        return true;
    }
}

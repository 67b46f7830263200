using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Refuses a declared body over Comments:MaxRequestBodyBytes (Comments:MaxImportBytes on import
/// uploads, which alone raise Kestrel's limit for their request) with 413 before reading it, then reads
/// and discards what the client is still sending (up to a bound), so the client actually receives the
/// 413 instead of a connection reset mid-upload. Bodies without a length hit Kestrel's limit instead.
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next, IOptions<ServiceOptions> options)
{
    private const long DrainLimit = 16 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext ctx)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<Features.Imports.Start.ImportUpload>() is not null)
        {
            limit = options.Value.MaxImportBytes;
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } upload)
            {
                upload.MaxRequestBodySize = limit;
            }
        }
        if (ctx.Request.ContentLength is not { } length || length <= limit)
        {
            await next(ctx);
            return;
        }

        await ProblemWriter.WriteAsync(ctx, 413, ProblemTypes.PayloadTooLarge, "Payload too large",
            $"The request body is {length} bytes; the limit is {limit}.");
        await ctx.Response.CompleteAsync();
        if (length <= DrainLimit && ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
            var buffer = new byte[64 * 1024];
            while (await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted) > 0)
            {
            }
        }
    }
}

/// <summary>
/// A JSON route called without any Content-Type: FastEndpoints answers 415 by starting an empty
/// response, too early for <see cref="ProblemMiddleware"/> to write the problem. Answering the bare
/// status here first lets it. Runs after authentication, so callers without a key still get 401.
/// An empty JSON body is read as <c>{}</c>.
/// </summary>
public sealed class ContentTypeGate(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        var accepts = ctx.GetEndpoint()?.Metadata.GetOrderedMetadata<IAcceptsMetadata>() ?? [];
        if (ctx.Request.ContentLength == 0 && ctx.Request.HasJsonContentType())
        {
            // Generated clients call routes without a body (POST …/user-token-secret) with an empty JSON body:
            // read it as {}, so such routes bind from their path and others name their missing fields.
            ctx.Request.Body = new MemoryStream("{}"u8.ToArray(), writable: false);
            ctx.Request.ContentLength = 2;
        }
        if (ctx.Request.Headers.ContentType.Count == 0 && accepts.Count > 0 && !accepts.Any(a => a.ContentTypes.Contains("*/*")))
        {
            ctx.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return Task.CompletedTask;
        }
        return next(ctx);
    }
}

/// <summary>
/// Reads a routed request's whole body before the endpoint runs, carrying on when Kestrel cancels the
/// pending read. On a graceful shutdown (SIGTERM) Kestrel cancels whatever read is pending on each
/// connection so that idle keep-alive connections close; a request whose body was still arriving
/// would otherwise fail (the JSON reader gives up on a cancelled read) instead of completing like the
/// other requests in flight. Bodies are bounded by Comments:MaxRequestBodyBytes, so holding one in
/// memory costs what the endpoint's own deserialisation would.
/// </summary>
public sealed class WholeBodyReader(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.GetEndpoint() is not null && ctx.Request.ContentLength is not 0
            && ctx.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            var body = new MemoryStream();
            var reader = ctx.Request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(ctx.RequestAborted);
                foreach (var segment in result.Buffer)
                {
                    body.Write(segment.Span);
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
                // result.IsCanceled: the server is stopping; the client is still sending, so keep reading.
            }
            body.Position = 0;
            ctx.Request.Body = body;
        }
        await next(ctx);
    }
}

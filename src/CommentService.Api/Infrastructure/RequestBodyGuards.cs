using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Refuses a declared body over Comments:MaxRequestBodyBytes with 413 before reading it, then reads
/// and discards what the client is still sending (up to a bound), so the client actually receives the
/// 413 instead of a connection reset mid-upload. Bodies without a length hit Kestrel's limit instead.
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next, IOptions<ServiceOptions> options)
{
    private const long DrainLimit = 16 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext ctx)
    {
        var limit = options.Value.MaxRequestBodyBytes;
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

/// <summary>Every API body is JSON: anything else is refused with 415 before an endpoint sees it.</summary>
public sealed class JsonBodyRequired(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext ctx)
    {
        var hasBodyMethod = HttpMethods.IsPost(ctx.Request.Method) || HttpMethods.IsPatch(ctx.Request.Method) || HttpMethods.IsPut(ctx.Request.Method);
        if (!hasBodyMethod || !ctx.Request.Path.StartsWithSegments("/v1") || IsJson(ctx.Request.ContentType))
        {
            return next(ctx);
        }
        return ProblemWriter.WriteAsync(ctx, 415, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
            "Send a JSON body with Content-Type: application/json.");
    }

    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}

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

using System.Text.RegularExpressions;
using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Cross-origin access per site: browser requests (and preflights) from a site's allowed origins to
/// its reader routes get CORS headers; any other origin gets none, and its writes are refused with
/// 403 rather than left to the browser. Operator and moderator routes never answer cross-origin.
/// </summary>
public sealed partial class SiteCors(RequestDelegate next, SiteOrigins origins)
{
    private const string AllowedMethods = "GET, POST, PATCH, PUT, DELETE";
    private const string AllowedHeaders = "Content-Type, X-Edit-Token, X-User-Token, X-Reader-Token, Idempotency-Key";
    private const string ExposedHeaders = "Retry-After, Location, ETag";

    public async Task InvokeAsync(HttpContext ctx)
    {
        string? origin = ctx.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin) || !ctx.Request.Path.StartsWithSegments("/v1") || IsSameOrigin(ctx, origin))
        {
            await next(ctx);
            return;
        }

        var preflight = HttpMethods.IsOptions(ctx.Request.Method) && ctx.Request.Headers.ContainsKey("Access-Control-Request-Method");
        var reader = ReaderRoute().Match(ctx.Request.Path.Value ?? "");
        if (reader.Success && await origins.IsAllowedAsync(reader.Groups["site"].Value, origin, ctx.RequestAborted))
        {
            ctx.Response.Headers.AccessControlAllowOrigin = origin;
            ctx.Response.Headers.Vary = "Origin";
            if (preflight)
            {
                ctx.Response.Headers.AccessControlAllowMethods = AllowedMethods;
                ctx.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
                ctx.Response.Headers.AccessControlMaxAge = "600";
                ctx.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            ctx.Response.Headers.AccessControlExposeHeaders = ExposedHeaders;
            await next(ctx);
            return;
        }

        if (preflight || !(HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)))
        {
            await ProblemWriter.WriteAsync(ctx, 403, ProblemTypes.OriginNotAllowed, "Origin not allowed",
                $"Requests from {origin} are not allowed here; a site admin lists its origins in allowedOrigins.");
            return;
        }
        // A cross-origin read without CORS headers: answered, but the browser keeps it from the page.
        await next(ctx);
    }

    private static bool IsSameOrigin(HttpContext ctx, string origin) =>
        string.Equals(origin, $"{ctx.Request.Scheme}://{ctx.Request.Host}", StringComparison.OrdinalIgnoreCase);

    /// <summary>The routes a reader's browser calls: threads, comments, votes, reports, appeals, counts.</summary>
    [GeneratedRegex("^/v1/sites/(?<site>[^/]+)/(articles/[^/]+/comments|comments/[^/]+(/(vote|reports|moderation-status|appeal))?|counts)/?$")]
    private static partial Regex ReaderRoute();
}

/// <summary>
/// Each site's allowed origins, cached briefly so CORS costs no query per request. A change made on any
/// instance drops the entry on every instance at once (<see cref="Scaling.CacheSignals"/>).
/// </summary>
public sealed class SiteOrigins
{
    /// <summary>How long another replica may keep answering with a site's previous origins when change notifications are not arriving.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>The change-notification topic: its key is the site id.</summary>
    public const string Topic = "origins";

    private readonly IMemoryCache cache;
    private readonly IServiceScopeFactory scopes;

    public SiteOrigins(IMemoryCache cache, IServiceScopeFactory scopes, Scaling.CacheSignals signals)
    {
        this.cache = cache;
        this.scopes = scopes;
        signals.Subscribe(Topic, Forget);
    }

    public async Task<bool> IsAllowedAsync(string siteId, string origin, CancellationToken ct)
    {
        var allowed = await cache.GetOrCreateAsync(Key(siteId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
            var list = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => s.AllowedOrigins).SingleOrDefaultAsync(ct);
            return new HashSet<string>(list ?? [], StringComparer.OrdinalIgnoreCase);
        });
        return allowed!.Contains(origin.TrimEnd('/'));
    }

    public void Forget(string siteId) => cache.Remove(Key(siteId));

    private static string Key(string siteId) => "origins:" + siteId;
}

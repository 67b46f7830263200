using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// The embed script (<c>/embed.js</c>) from wwwroot beside the binary, for any site to load, and in
/// Development only the demo page (<c>/demo</c>). Served before the database gate: a page can load
/// the script while the database is away and the script then shows the API's 503 problem.
/// </summary>
public static class EmbedAssets
{
    /// <summary>
    /// The script's URL never changes, so browsers keep it briefly and then revalidate (ETag and
    /// Last-Modified come with the file): a new version reaches every site within ten minutes.
    /// </summary>
    public const string ScriptCacheControl = "public, max-age=600, stale-while-revalidate=86400";

    public const string ScriptPath = "/embed.js";

    public const string DemoPath = "/demo";

    public static void AddEmbedAssets(this WebApplicationBuilder builder) =>
        builder.Services.AddResponseCompression(o =>
        {
            // Only the public script is compressed (see below): it carries no secret, so compression
            // over HTTPS cannot leak one (BREACH), unlike API answers with edit tokens.
            o.EnableForHttps = true;
            o.Providers.Add(new BrotliCompressionProvider(new BrotliCompressionProviderOptions { Level = CompressionLevel.Optimal }));
            o.Providers.Add(new GzipCompressionProvider(new GzipCompressionProviderOptions { Level = CompressionLevel.Optimal }));
        });

    public static void UseEmbedAssets(this WebApplication app)
    {
        // About 20 KB as written, a third of that on the wire.
        app.UseWhen(ctx => ctx.Request.Path.Equals(ScriptPath, StringComparison.Ordinal), branch => branch.UseResponseCompression());
        app.UseStaticFiles(new StaticFileOptions
        {
            // Scripts only: any other file that lands in wwwroot stays unserved.
            ContentTypeProvider = new FileExtensionContentTypeProvider(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                [".js"] = "text/javascript; charset=utf-8",
            }),
            OnPrepareResponse = ctx =>
            {
                var headers = ctx.Context.Response.Headers;
                headers.CacheControl = ScriptCacheControl;
                headers.XContentTypeOptions = "nosniff";
                // Any page may load the script, also with crossorigin="anonymous" (for Subresource
                // Integrity) or under Cross-Origin-Embedder-Policy.
                headers.AccessControlAllowOrigin = "*";
                headers["Cross-Origin-Resource-Policy"] = "cross-origin";
            },
        });

        if (app.Environment.IsDevelopment())
        {
            // A film review with the embed on it; scripts/demo-seed.py fills its thread through the API.
            var page = Path.Combine(app.Environment.ContentRootPath, "Demo", "demo.html");
            app.MapGet(DemoPath, (HttpContext ctx) =>
            {
                ctx.Response.Headers.CacheControl = "no-store";
                return Results.File(page, "text/html; charset=utf-8");
            }).ExcludeFromDescription();
        }
    }
}

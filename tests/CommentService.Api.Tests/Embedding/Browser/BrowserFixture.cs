using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace CommentService.Api.Tests.Embedding.Browser;

/// <summary>
/// One headless Chromium (Debian's, never a downloaded one) shared by the browser tests, and the
/// "publisher's site": a second tiny web server on another loopback port, so the pages it serves are
/// a different origin from the service, as on a real blog.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private readonly ConcurrentDictionary<string, string> pages = new();
    private IPlaywright? playwright;
    private WebApplication? host;

    public IBrowser? Browser { get; private set; }

    /// <summary>Why there is no browser, when there is none.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The publisher's origin, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string HostOrigin { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await StartHostAsync();
        if (!File.Exists(ChromiumPath))
        {
            Unavailable = $"Chromium is not installed at {ChromiumPath}: apt-get update && apt-get install -y chromium";
            return;
        }
        // The package never fetches a browser at build time; this keeps its driver from trying at run time.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = await Playwright.CreateAsync();
        // Each launch runs on a fresh, temporary user-data directory that Playwright removes on close;
        // each test's context has its own storage on top (a new reader's browser).
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    /// <summary>Fails in CI (CI=true), where Chromium must be there; skips elsewhere with the reason.</summary>
    public IBrowser Require()
    {
        if (Browser is not null)
        {
            return Browser;
        }
        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI runs the browser tests: " + Unavailable);
        Skip.If(true, Unavailable);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Serves <paramref name="html"/> from the publisher's origin and returns its URL.</summary>
    public string AddPage(string html)
    {
        var path = "/articles/" + Guid.NewGuid().ToString("N")[..10];
        pages[path] = html;
        return HostOrigin + path;
    }

    /// <summary>A film-review article page with the two embed lines, pointing at the service.</summary>
    public static string ArticlePage(Uri service, string site, string article, string extraAttributes = "")
    {
        var script = new Uri(service, "/embed.js");
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Her (2013): a review | The Film Blog</title>
              <style>
                body { font-family: Georgia, serif; max-width: 44rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; background: #fdfcf8; }
                #comments { margin-top: 2rem; font-family: system-ui, sans-serif; font-size: 15px; }
              </style>
            </head>
            <body>
              <h1>Her (2013)</h1>
              <p>Theodore writes other people's love letters for a living, and then falls for the voice of his operating system.
                 A gentle film about loneliness, and the ways people grow apart.</p>
              <div id="comments" data-site="{{WebUtility.HtmlEncode(site)}}" data-article="{{WebUtility.HtmlEncode(article)}}" {{extraAttributes}}></div>
              <script src="{{script}}" async></script>
            </body>
            </html>
            """;
    }

    private async Task StartHostAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        host = builder.Build();
        host.Run(async ctx =>
        {
            if (pages.TryGetValue(ctx.Request.Path.Value ?? "", out var html))
            {
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync(html);
                return;
            }
            ctx.Response.StatusCode = 404;
        });
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        HostOrigin = address.TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }
}

using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CommentService.Api.Tests.Embedding;

[Collection(ServiceCollection.Name)]
public sealed partial class EmbedAssetsTests(ServiceFixture service)
{
    private static string ScriptSource => File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "CommentService.Api", "wwwroot", "embed.js"));

    [Fact]
    public async Task The_embed_script_is_served_to_any_page_cached_briefly_and_revalidated()
    {
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/embed.js");
        request.Headers.Add("Origin", "https://any-blog.example");
        using var response = await client.SendAsync(request);

        await Expect.StatusAsync(response, 200);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=600, stale-while-revalidate=86400", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("cross-origin", response.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(ScriptSource, await response.Content.ReadAsStringAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/embed.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task The_embed_script_travels_compressed_when_the_browser_accepts_it()
    {
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/embed.js");
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await client.SendAsync(request);

        await Expect.StatusAsync(response, 200);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < 10_000, $"{compressed.Length} bytes compressed");
        await using var unzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        Assert.Equal(ScriptSource, await new StreamReader(unzip).ReadToEndAsync());

        // API answers (edit tokens among them) are never compressed.
        using var api = new HttpRequestMessage(HttpMethod.Get, ServiceFixture.CommentsPath(await service.CreateSiteAsync(), "gzip"));
        api.Headers.Add("Accept-Encoding", "gzip");
        using var thread = await client.SendAsync(api);
        Assert.Empty(thread.Content.Headers.ContentEncoding);
    }

    [Fact]
    public void The_embed_script_stays_small_and_inserts_no_comment_text_as_html()
    {
        var source = ScriptSource;
        Assert.True(source.Length < 20_000, $"embed.js is {source.Length} bytes; the README promises under 20 KB");
        // The one HTML sink is the service's sanitised bodyHtml; names, links and raw bodies go in as text.
        var sinks = HtmlSinks().Matches(source).Select(m => m.Value.Trim()).ToList();
        Assert.StartsWith("body.innerHTML = c.bodyHtml || \"\";", Assert.Single(sinks));
    }

    [Fact]
    public async Task The_demo_page_is_served_in_Development_only()
    {
        using (var client = service.Anonymous())
        {
            await Expect.ProblemAsync(await client.GetAsync("/demo"), 404, "not-found");
        }

        await using var development = new DevelopmentFactory(service.ConnectionString);
        using var dev = development.CreateClient();
        using var demo = await dev.GetAsync("/demo");
        await Expect.StatusAsync(demo, 200);
        Assert.Equal("text/html", demo.Content.Headers.ContentType?.MediaType);
        var html = await demo.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/embed.js\" async></script>", html);
        Assert.Contains("data-site=\"film-blog\"", html);
    }

    [GeneratedRegex(@"^.*(innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|createContextualFragment|DOMParser|srcdoc|setHTML).*$", RegexOptions.Multiline)]
    private static partial Regex HtmlSinks();

    private sealed class DevelopmentFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Comments", connectionString);
            builder.UseEnvironment("Development");
        }
    }
}

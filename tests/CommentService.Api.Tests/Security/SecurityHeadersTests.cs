using System.Text;
using CommentService.Api.Tests.Infrastructure;
using CsCheck;
using Microsoft.AspNetCore.Hosting;

namespace CommentService.Api.Tests.Security;

/// <summary>
/// What browsers are told about each answer: nosniff, no framing and no referrer everywhere, a policy
/// that allows nothing on API answers and the script, and one fit for the demo page; CORS that never
/// reflects an origin the site does not list.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SecurityHeadersTests(ServiceFixture service)
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_answers_problems_and_the_embed_script_are_nosniff_with_a_policy_that_allows_nothing()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Anonymous();
        foreach (var path in new[] { ServiceFixture.CommentsPath(site, "headers"), $"/v1/sites/{site}/nothing-here", "/embed.js", "/health/live" })
        {
            using var response = await client.GetAsync(path);
            AssertCommonHeaders(response);
            Assert.StartsWith("default-src 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        }
        // Refusals written before routing carry them too.
        using var unauthorized = await client.PostAsync("/v1/sites", RawHttp.Json("{}"));
        Assert.Equal(401, (int)unauthorized.StatusCode);
        AssertCommonHeaders(unauthorized);
    }

    [Fact]
    public async Task The_demo_page_gets_a_policy_for_its_own_script_and_styles_only()
    {
        await using var app = ExtraService.Start(service.ConnectionString, b => b.UseEnvironment("Development"));
        Assert.True(await app.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
        using var client = app.Anonymous();
        using var page = await client.GetAsync("/demo");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        AssertCommonHeaders(page);
        var policy = Header(page, "Content-Security-Policy");
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        // The page loads only what the policy allows: its script from this origin, no inline script.
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/embed.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
    }

    [Fact]
    public async Task Cors_never_reflects_an_origin_the_site_does_not_list()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "cors-fuzz");
        using var client = service.Anonymous();
        var lookalikes = new[]
        {
            "https://blog.example.evil.example", "https://evil.example/https://blog.example", "http://blog.example", "https://blog.example:8443",
            "https://blog.examplex", "https://xblog.example", "null", "https://blog.example%00.evil.example", "https://blog.example\\@evil.example",
            "https://blog.example.", "*", "https://*.example", "file://", "https://evil.example#https://blog.example",
        };
        var pcg = new PCG(1u, 20261127ul);
        var random = Enumerable.Range(0, 200).Select(_ => "https://" + Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789.-:"], 1, 30].Generate(pcg, null, out Size _));
        var tried = 0;
        foreach (var origin in lookalikes.Concat(random).Where(o => o != "https://blog.example"))
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Options })
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.TryAddWithoutValidation("Origin", origin);
                if (method == HttpMethod.Options)
                {
                    request.Headers.Add("Access-Control-Request-Method", "POST");
                }
                using var response = await client.SendAsync(request);
                tried++;
                var allowed = Header(response, "Access-Control-Allow-Origin");
                Assert.True(allowed == "", $"{method} from {origin} got Access-Control-Allow-Origin: {allowed}");
                Assert.True((int)response.StatusCode < 500);
            }
        }
        Assert.True(tried > 400);

        // The listed origin is answered, so the check above can fail.
        using var listed = new HttpRequestMessage(HttpMethod.Get, path);
        listed.Headers.Add("Origin", "https://blog.example");
        Assert.Equal("https://blog.example", Header(await client.SendAsync(listed), "Access-Control-Allow-Origin"));
    }
}

using System.Net.Http.Json;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Embedding;

[Collection(ServiceCollection.Name)]
public sealed class CorsTests(ServiceFixture service)
{
    private const string Allowed = "https://blog.example";
    private const string Stranger = "https://evil.example";

    private static HttpRequestMessage Preflight(string path, string origin, string method = "POST")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "content-type, x-edit-token");
        return request;
    }

    private static HttpRequestMessage Post(string path, string origin, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static string? AllowOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    [Fact]
    public async Task An_allowed_origin_gets_preflight_and_cors_headers_on_reader_routes()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "cors/article");
        using var client = service.Anonymous();

        var preflight = await client.SendAsync(Preflight(path, Allowed));
        Assert.Equal(204, (int)preflight.StatusCode);
        Assert.Equal(Allowed, AllowOrigin(preflight));
        Assert.Contains("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("X-Edit-Token", preflight.Headers.GetValues("Access-Control-Allow-Headers").Single());

        var posted = await client.SendAsync(Post(path, Allowed, new { authorName = "Ada", body = "From the blog." }));
        await Expect.StatusAsync(posted, 201);
        Assert.Equal(Allowed, AllowOrigin(posted));

        var invalid = await client.SendAsync(Post(path, Allowed, new { authorName = "Ada", body = "" }));
        await Expect.ProblemAsync(invalid, 400, "validation", "body");
        Assert.Equal(Allowed, AllowOrigin(invalid));

        using var read = new HttpRequestMessage(HttpMethod.Get, path);
        read.Headers.Add("Origin", Allowed);
        Assert.Equal(Allowed, AllowOrigin(await client.SendAsync(read)));
    }

    [Fact]
    public async Task Other_origins_get_no_cors_headers_and_cannot_post()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "cors/closed");
        using var client = service.Anonymous();
        var before = await service.ContentChecksumAsync();

        var preflight = await client.SendAsync(Preflight(path, Stranger));
        await Expect.ProblemAsync(preflight, 403, "origin-not-allowed");
        Assert.Null(AllowOrigin(preflight));

        var posted = await client.SendAsync(Post(path, Stranger, new { authorName = "Eve", body = "Drive-by." }));
        await Expect.ProblemAsync(posted, 403, "origin-not-allowed");
        Assert.Null(AllowOrigin(posted));
        Assert.Equal(before, await service.ContentChecksumAsync());

        using var read = new HttpRequestMessage(HttpMethod.Get, path);
        read.Headers.Add("Origin", Stranger);
        var answered = await client.SendAsync(read);
        await Expect.StatusAsync(answered, 200);
        Assert.Null(AllowOrigin(answered));
    }

    [Fact]
    public async Task Operator_and_moderator_routes_never_answer_cross_origin()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Anonymous();
        foreach (var path in new[] { $"/v1/sites/{site}/moderation/queue", $"/v1/sites/{site}/keys", $"/v1/sites/{site}", "/v1/sites" })
        {
            var preflight = await client.SendAsync(Preflight(path, Allowed, "GET"));
            await Expect.ProblemAsync(preflight, 403, "origin-not-allowed");
            Assert.Null(AllowOrigin(preflight));
        }
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/sites/{site}/moderation/queue");
        read.Headers.Add("Origin", Allowed);
        var answered = await moderator.SendAsync(read);
        Assert.Null(AllowOrigin(answered));
    }

    [Fact]
    public async Task A_changed_origin_list_applies_at_once_on_this_replica()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "cors/moved");
        using var client = service.Anonymous();
        await Expect.StatusAsync(await client.SendAsync(Post(path, Allowed, new { authorName = "Ada", body = "Before." })), 201);
        using var admin = service.Operator();
        await Expect.JsonAsync(await admin.PatchAsJsonAsync($"/v1/sites/{site}", new { allowedOrigins = new[] { "https://new.example" } }), 200);
        await Expect.ProblemAsync(await client.SendAsync(Post(path, Allowed, new { authorName = "Ada", body = "After." })), 403, "origin-not-allowed");
        await Expect.StatusAsync(await client.SendAsync(Post(path, "https://new.example", new { authorName = "Ada", body = "New home." })), 201);
    }
}

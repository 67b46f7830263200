using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using CommentService.Api.Infrastructure.Idempotency;
using CommentService.Api.Tests.Infrastructure;
using CommentService.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>The client's retry and idempotency layer: against the real service, and one fake for the transport.</summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class RetryTests(ServiceFixture service)
{
    private static readonly RetryOptions Quick = new() { FirstDelay = TimeSpan.FromMilliseconds(50) };

    private Task<long> CommentsInAsync(string site) => service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1", site);

    [Fact]
    public async Task A_post_through_the_client_gets_an_idempotency_key_and_an_explicit_key_replays_the_first_answer()
    {
        var site = await service.CreateSiteAsync();
        var client = CommentServiceClientFactory.Create(service.BaseAddress, ServiceFixture.AdminKey, out var http);
        using var _ = http;
        var before = await service.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE scope = 'operator'");
        await client.CreateCommentAsync(site, "auto-key", new CreateCommentRequest { AuthorName = "Bot", Body = SampleText.Line(20) });
        Assert.Equal(before + 1, await service.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE scope = 'operator'"));

        var key = "ci-run-" + Guid.NewGuid().ToString("N");
        var first = await client.CreateCommentAsync(site, "explicit-key", new CreateCommentRequest { AuthorName = "Bot", Body = SampleText.Line(21) }, idempotencyKey: key);
        var again = await client.CreateCommentAsync(site, "explicit-key", new CreateCommentRequest { AuthorName = "Bot", Body = SampleText.Line(21) }, idempotencyKey: key);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, await CommentsInAsync(site));

        var reused = await Assert.ThrowsAsync<ApiException<Problem>>(() =>
            client.CreateCommentAsync(site, "explicit-key", new CreateCommentRequest { AuthorName = "Bot", Body = SampleText.Line(22) }, idempotencyKey: key));
        Assert.Equal(422, reused.StatusCode);
        Assert.Equal("https://commentservice.dev/problems/idempotency-key-reused", reused.Result.Type);
    }

    [Fact]
    public async Task A_post_that_meets_its_key_still_running_on_the_service_is_retried_until_the_first_request_lets_go()
    {
        var site = await service.CreateSiteAsync();
        var key = Guid.NewGuid().ToString();
        var path = ServiceFixture.CommentsPath(site, "held-key");
        var body = Encoding.UTF8.GetBytes("{\"authorName\":\"Bot\",\"body\":\"" + SampleText.Line(23) + "\"}");

        // Another request with this key is "running" (a claim held through the service's own store).
        var store = service.Services.GetRequiredService<IdempotencyStore>();
        var options = service.Services.GetRequiredService<IOptionsMonitor<IdempotencyOptions>>().CurrentValue;
        var fingerprint = IdempotencyMiddleware.Fingerprint("POST", path, _ => "", body);
        var held = await store.ClaimAsync("operator", key, fingerprint, options, CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, held.Outcome);

        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        // Without retries the caller sees the 409 with Retry-After.
        using (var once = CommentServiceClientFactory.CreateHttpClient(service.BaseAddress, ServiceFixture.AdminKey, new RetryOptions { MaxAttempts = 1 }))
        {
            using var refused = await once.SendAsync(Request());
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        }

        using var http = CommentServiceClientFactory.CreateHttpClient(service.BaseAddress, ServiceFixture.AdminKey, Quick);
        var clock = Stopwatch.StartNew();
        var sending = http.SendAsync(Request());
        await Task.Delay(300);
        await store.ReleaseAsync("operator", key, held.Token, CancellationToken.None);
        using var response = await sending;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}: the Retry-After was not honoured");
        Assert.Equal(1, await CommentsInAsync(site));
    }

    [Fact]
    public async Task Without_retries_a_rate_limited_post_is_answered_429_and_the_retry_handler_gives_up_on_a_long_retry_after()
    {
        var site = await service.CreateSiteAsync();
        await using var limited = ExtraService.Start(service.ConnectionString,
            ("Comments:RateLimits:Comments:PerAuthorPerMinute", "1"), ("Comments:RateLimits:Comments:PerAddressPerMinute", "1000"),
            ("Comments:RateLimits:Comments:PerAddressPerHour", "1000"));
        Assert.True(await limited.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
        // A Retry-After beyond MaxDelay is not waited for: the caller gets the 429 at once.
        var client = CommentServiceClientFactory.Create(limited.BaseAddress, null, out var http, new RetryOptions { MaxDelay = TimeSpan.FromMilliseconds(1) });
        using var _ = http;
        var author = "Limited " + Guid.NewGuid().ToString("N")[..6];
        await client.CreateCommentAsync(site, "limited", new CreateCommentRequest { AuthorName = author, Body = SampleText.Line(24) });
        var clock = Stopwatch.StartNew();
        var limitedAnswer = await Assert.ThrowsAsync<ApiException<Problem>>(() =>
            client.CreateCommentAsync(site, "limited", new CreateCommentRequest { AuthorName = author, Body = SampleText.Line(25) }));
        Assert.Equal(429, limitedAnswer.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(1, await CommentsInAsync(site));
    }

    [Fact]
    public async Task The_retry_handler_waits_for_retry_after_on_503_and_sends_the_same_idempotency_key_and_body_again()
    {
        await using var fake = await FlakyServer.StartAsync(failures: 1);
        var client = CommentServiceClientFactory.Create(fake.BaseAddress, "csk_test", out var http, Quick);
        using var _ = http;

        var clock = Stopwatch.StartNew();
        var created = await client.CreateSiteAsync(new CreateSiteRequest { Id = "film-blog", Name = "The Film Blog" });
        Assert.Equal("film-blog", created.Id);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}: Retry-After: 1 was not honoured");

        var requests = fake.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("Bearer csk_test", r.Authorization));
        Assert.False(string.IsNullOrEmpty(requests[0].IdempotencyKey));
        Assert.Equal(requests[0].IdempotencyKey, requests[1].IdempotencyKey);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Contains("\"film-blog\"", requests[1].Body);
    }

    [Fact]
    public async Task The_retry_handler_stops_after_its_attempts_and_returns_the_last_answer()
    {
        await using var fake = await FlakyServer.StartAsync(failures: 10, retryAfter: "0");
        var client = CommentServiceClientFactory.Create(fake.BaseAddress, "csk_test", out var http, Quick with { MaxAttempts = 3 });
        using var _ = http;
        var error = await Assert.ThrowsAsync<ApiException<Problem>>(() => client.CreateSiteAsync(new CreateSiteRequest { Id = "film-blog", Name = "The Film Blog" }));
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, fake.Requests.Count);
    }

    /// <summary>A fake service (the one fake here, for transport behaviour): 503 with Retry-After for the first requests, then 201.</summary>
    private sealed class FlakyServer : IAsyncDisposable
    {
        public sealed record Seen(string? Authorization, string? IdempotencyKey, string Body);

        private readonly WebApplication app;

        private FlakyServer(WebApplication app) => this.app = app;

        public ConcurrentQueue<Seen> Requests { get; } = new();
        public Uri BaseAddress { get; private set; } = null!;

        public static async Task<FlakyServer> StartAsync(int failures, string retryAfter = "1")
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new FlakyServer(app);
            app.Run(async ctx =>
            {
                using var reader = new StreamReader(ctx.Request.Body);
                server.Requests.Enqueue(new Seen(ctx.Request.Headers.Authorization, ctx.Request.Headers["Idempotency-Key"], await reader.ReadToEndAsync()));
                if (server.Requests.Count <= failures)
                {
                    ctx.Response.StatusCode = 503;
                    ctx.Response.Headers.RetryAfter = retryAfter;
                    ctx.Response.ContentType = "application/problem+json";
                    await ctx.Response.WriteAsync("{\"type\":\"https://commentservice.dev/problems/database-unavailable\",\"title\":\"Service unavailable\",\"status\":503}");
                    return;
                }
                ctx.Response.StatusCode = 201;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"id\":\"film-blog\",\"name\":\"The Film Blog\",\"allowedOrigins\":[]}");
            });
            await app.StartAsync();
            server.BaseAddress = new Uri(app.Urls.First());
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using CommentService.Api.Infrastructure.Scaling;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Scaling;

/// <summary>
/// Two service instances on their own loopback ports and one database behave as one service:
/// webhook events are each delivered once between them, and a cached setting changed through one
/// is honoured by the other at once. (Shared rate limits and idempotency keys across instances are
/// covered by RateLimitTests and IdempotencyTests.)
/// </summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class MultiInstanceTests(ServiceFixture service)
{
    private static readonly (string Key, string? Value)[] Settings =
    [
        ("Comments:Webhooks:AllowPrivateNetworks", "true"),
        ("Comments:Webhooks:PollIntervalMilliseconds", "50"),
        ("Comments:Webhooks:FirstRetrySeconds", "0.2"),
        ("Comments:RateLimits:Enabled", "false"),
    ];

    private async Task<(ExtraService A, ExtraService B)> StartTwoAsync()
    {
        var database = await ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, "comments_multi_" + Guid.NewGuid().ToString("N")[..10]);
        var a = ExtraService.Start(database, Settings);
        var b = ExtraService.Start(database, Settings);
        Assert.True(await a.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "instance A did not become ready");
        Assert.True(await b.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "instance B did not become ready");
        Assert.NotEqual(a.BaseAddress, b.BaseAddress);
        return (a, b);
    }

    [Fact]
    public async Task Forty_events_posted_through_two_instances_are_each_delivered_once_by_their_dispatchers()
    {
        const int events = 40;
        await using var receiver = await WebhookReceiver.StartAsync();
        var (a, b) = await StartTwoAsync();
        await using var _ = a;
        await using var __ = b;
        using var sentByA = new InstanceCounter(a.Services, "comments.webhooks.attempts", "outcome");
        using var sentByB = new InstanceCounter(b.Services, "comments.webhooks.attempts", "outcome");

        var site = "multi-" + Guid.NewGuid().ToString("N")[..8];
        using (var op = a.Operator())
        {
            await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id = site, name = "Two instances" }), 201);
            await Expect.StatusAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/webhooks", new { url = receiver.Url, events = new[] { "comment.created" } }), 201);
        }
        await Task.WhenAll(Enumerable.Range(0, events).Select(async i =>
        {
            using var client = (i % 2 == 0 ? a : b).Anonymous();
            using var response = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "article-" + (i % 4)), new { authorName = "Reader " + i, body = SampleText.Line(i) });
            await Expect.StatusAsync(response, 201);
        }));

        var received = await receiver.WaitForAsync(r => r.Select(x => x.DeliveryId).Distinct().Count() >= events, TimeSpan.FromSeconds(30), $"{events} distinct events");
        await Task.Delay(TimeSpan.FromSeconds(1)); // time for any duplicate to show up
        received = receiver.Requests;
        var duplicates = received.Count - received.Select(r => r.DeliveryId).Distinct().Count();
        Assert.Equal(events, received.Select(r => r.DeliveryId).Distinct().Count());
        Assert.Equal(0, duplicates);
        Assert.Equal(1, receiver.MaxInFlightPerDelivery);
        Assert.Equal(events, sentByA["delivered"] + sentByB["delivered"]);
        Console.WriteLine($"delivered by A: {sentByA["delivered"]}, by B: {sentByB["delivered"]}, duplicates: {duplicates}");
    }

    [Fact]
    public async Task Allowed_origins_changed_through_one_instance_are_honoured_by_the_other_at_once()
    {
        var (a, b) = await StartTwoAsync();
        await using var _ = a;
        await using var __ = b;
        var clock = Stopwatch.StartNew();
        while (!a.Services.GetRequiredService<CacheSignals>().Listening || !b.Services.GetRequiredService<CacheSignals>().Listening)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the instances never listened for cache signals");
            await Task.Delay(50);
        }

        var site = "origins-" + Guid.NewGuid().ToString("N")[..8];
        using var op = a.Operator();
        await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id = site, name = "Origins", allowedOrigins = new[] { "https://old.example" } }), 201);

        async Task<bool> AllowedOnBAsync(string origin)
        {
            using var client = b.Anonymous();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sites/{site}/counts?articleId=a");
            request.Headers.Add("Origin", origin);
            using var response = await client.SendAsync(request);
            await Expect.StatusAsync(response, 200);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Contains(origin);
        }

        // B caches the old list (for up to 30 s without a signal).
        Assert.True(await AllowedOnBAsync("https://old.example"));
        Assert.False(await AllowedOnBAsync("https://new.example"));

        await Expect.StatusAsync(await op.PatchAsJsonAsync($"/v1/sites/{site}", new { allowedOrigins = new[] { "https://new.example" } }), 200);
        var changed = Stopwatch.StartNew();
        while (!await AllowedOnBAsync("https://new.example"))
        {
            Assert.True(changed.Elapsed < TimeSpan.FromSeconds(3), "instance B kept the old origins");
            await Task.Delay(20);
        }
        Assert.False(await AllowedOnBAsync("https://old.example"));
        Console.WriteLine($"origins change honoured by the other instance after {changed.ElapsedMilliseconds} ms");
    }
}

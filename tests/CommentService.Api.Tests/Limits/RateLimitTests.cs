using System.Net.Http.Headers;
using System.Net.Http.Json;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Limits;

/// <summary>
/// Rate limits on posting, through HTTP. The shared instance runs with limits off (its tests all post
/// from one address), so these tests start instances of their own with small limits, on the shared
/// database, and give every test its own client addresses through X-Forwarded-For (loopback proxies
/// are trusted).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class RateLimitTests(ServiceFixture service)
{
    private const int PerAddress = 3;
    private const int PerAuthor = 2;

    private ExtraService Start() => ExtraService.Start(service.ConnectionString,
        ("Comments:RateLimits:Comments:PerAddressPerMinute", PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Comments:RateLimits:Comments:PerAuthorPerMinute", PerAuthor.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Comments:RateLimits:Comments:PerAddressPerHour", "50"),
        ("Comments:RateLimits:Comments:PerAuthorPerHour", "50"));

    /// <summary>A documentation-range IPv6 address no other test uses: counters per address are service-wide.</summary>
    private static string NewAddress() => $"2001:db8:{Random.Shared.Next(1, 0xffff):x}:{Random.Shared.Next(1, 0xffff):x}::{Random.Shared.Next(1, 0xffff):x}";

    /// <summary>
    /// Limits count in fixed minutes of the database clock: start a test with enough of the minute
    /// left that its posts all fall in one window.
    /// </summary>
    private async Task WaitForRoomInTheMinuteAsync()
    {
        var left = await service.ScalarAsync<double>("SELECT (60 - extract(second FROM clock_timestamp()))::float8");
        if (left < 20)
        {
            await Task.Delay(TimeSpan.FromSeconds(left + 0.5));
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string site, string address, string author, string? email = null, string article = "limits")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, article))
        {
            Content = JsonContent.Create(new { authorName = author, authorEmail = email, body = $"A comment by {author}." }),
        };
        request.Headers.Add("X-Forwarded-For", address);
        return await client.SendAsync(request);
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        await Expect.ProblemAsync(response, 429, "rate-limited");
        var wait = response.Headers.RetryAfter?.Delta;
        Assert.True(wait is { } w && w >= TimeSpan.FromSeconds(1) && w <= TimeSpan.FromSeconds(60), $"Retry-After {response.Headers.RetryAfter}");
    }

    [Fact]
    public async Task Posting_is_limited_per_client_address_with_a_429_problem_and_Retry_After_and_nothing_stored()
    {
        var site = await service.CreateSiteAsync();
        await using var instance = Start();
        using var client = instance.Anonymous();
        var address = NewAddress();
        await WaitForRoomInTheMinuteAsync();

        for (var i = 0; i < PerAddress; i++)
        {
            await Expect.StatusAsync(await PostAsync(client, site, address, $"Reader {i}"), 201);
        }
        var before = await service.ContentChecksumAsync();
        var refused = await PostAsync(client, site, address, "Reader 99");
        await AssertRateLimitedAsync(refused);
        await AssertRateLimitedAsync(await PostAsync(client, site, address, "Reader 100", article: "another-article"));
        Assert.Equal(before, await service.ContentChecksumAsync());

        // Another address is not affected.
        await Expect.StatusAsync(await PostAsync(client, site, NewAddress(), "Reader 99"), 201);

        // Counters keep keyed hashes, never the address.
        var keys = await service.ScalarAsync<string>("SELECT string_agg(key, ' ') FROM rate_limit_counters WHERE scope = 'comments.address'");
        Assert.DoesNotContain(address, keys, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("2001:db8", keys, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Posting_is_limited_per_author_across_addresses()
    {
        var site = await service.CreateSiteAsync();
        await using var instance = Start();
        using var client = instance.Anonymous();
        var email = $"prolific-{Guid.NewGuid():N}@mail.example";
        await WaitForRoomInTheMinuteAsync();

        for (var i = 0; i < PerAuthor; i++)
        {
            await Expect.StatusAsync(await PostAsync(client, site, NewAddress(), "Prolific", email), 201);
        }
        var fresh = NewAddress();
        await AssertRateLimitedAsync(await PostAsync(client, site, fresh, "Prolific", email));
        // Same author name and email spelled differently is the same author.
        await AssertRateLimitedAsync(await PostAsync(client, site, NewAddress(), "Prolific", email.ToUpperInvariant()));
        // The address that was refused is free for someone else; the author is free on another site.
        await Expect.StatusAsync(await PostAsync(client, site, fresh, "Someone else"), 201);
        var other = await service.CreateSiteAsync();
        await Expect.StatusAsync(await PostAsync(client, other, NewAddress(), "Prolific", email), 201);
    }

    [Fact]
    public async Task Servers_with_a_comments_write_key_and_the_operator_are_not_limited()
    {
        var site = await service.CreateSiteAsync();
        var key = await service.CreateKeyAsync(site, "comments:write");
        await using var instance = Start();
        using var server = instance.Anonymous();
        server.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var operatorClient = instance.Operator();
        var address = NewAddress();
        await WaitForRoomInTheMinuteAsync();

        for (var i = 0; i < PerAddress + 2; i++)
        {
            await Expect.StatusAsync(await PostAsync(server, site, address, "Importer", "importer@site.example"), 201);
            await Expect.StatusAsync(await PostAsync(operatorClient, site, address, "Operator", "operator@site.example"), 201);
        }
        // The same address without a key is still limited on its own count (the keyed posts did not count).
        using var anonymous = instance.Anonymous();
        for (var i = 0; i < PerAddress; i++)
        {
            await Expect.StatusAsync(await PostAsync(anonymous, site, address, $"Reader {i}"), 201);
        }
        await AssertRateLimitedAsync(await PostAsync(anonymous, site, address, "Reader 9"));
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_the_counters()
    {
        var site = await service.CreateSiteAsync();
        await using var first = Start();
        await using var second = Start();
        using var a = first.Anonymous();
        using var b = second.Anonymous();
        var address = NewAddress();
        await WaitForRoomInTheMinuteAsync();

        await Expect.StatusAsync(await PostAsync(a, site, address, "One"), 201);
        await Expect.StatusAsync(await PostAsync(b, site, address, "Two"), 201);
        await Expect.StatusAsync(await PostAsync(a, site, address, "Three"), 201);
        await AssertRateLimitedAsync(await PostAsync(b, site, address, "Four"));
        await AssertRateLimitedAsync(await PostAsync(a, site, address, "Five"));
    }

    [Fact]
    public async Task Concurrent_posts_from_one_address_never_get_past_the_limit()
    {
        var site = await service.CreateSiteAsync();
        await using var first = Start();
        await using var second = Start();
        var address = NewAddress();
        await WaitForRoomInTheMinuteAsync();

        var clients = new[] { first.Anonymous(), second.Anonymous() };
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => PostAsync(clients[i % 2], site, address, $"Racer {i}", article: $"race-{i}")));
        Assert.Equal(PerAddress, answers.Count(r => (int)r.StatusCode == 201));
        Assert.Equal(12 - PerAddress, answers.Count(r => (int)r.StatusCode == 429));
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}

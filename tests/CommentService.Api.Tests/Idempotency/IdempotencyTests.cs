using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Infrastructure;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Idempotency;

/// <summary>Idempotency-Key on writes: one effect per key, the first answer replayed, across replicas.</summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class IdempotencyTests(ServiceFixture service, Xunit.Abstractions.ITestOutputHelper output)
{
    private static HttpRequestMessage Post(string path, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return request;
    }

    private Task<long> CommentsInAsync(string site) => service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1", site);

    private static string NewKey() => Guid.NewGuid().ToString();

    [Fact]
    public async Task A_retried_post_with_the_same_key_gets_the_first_answer_and_creates_one_comment()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "retried");
        var key = NewKey();
        using var client = service.Anonymous();

        using var first = await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(0) }, key));
        var created = await Expect.JsonAsync(first, 201);
        Assert.False(first.Headers.Contains("Idempotency-Replayed"));
        using var retry = await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(0) }, key));
        var replayed = await Expect.JsonAsync(retry, 201);

        Assert.Equal("true", retry.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(created.ToJsonString(), replayed.ToJsonString());
        Assert.Equal("application/json", retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await CommentsInAsync(site));
        var thread = await service.ReadThreadAsync(site, "retried");
        Assert.Single(thread["items"]!.AsArray());
    }

    [Fact]
    public async Task Without_a_key_two_identical_posts_create_two_comments()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "no-key");
        using var client = service.Anonymous();
        await Expect.StatusAsync(await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(1) }, null)), 201);
        await Expect.StatusAsync(await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(2) }, null)), 201);
        Assert.Equal(2, await CommentsInAsync(site));
    }

    [Fact]
    public async Task A_reused_key_with_a_different_body_or_route_is_refused_with_422()
    {
        var site = await service.CreateSiteAsync();
        var key = NewKey();
        using var client = service.Anonymous();
        await Expect.StatusAsync(await client.SendAsync(Post(ServiceFixture.CommentsPath(site, "a"), new { authorName = "Ada", body = SampleText.Line(3) }, key)), 201);

        await Expect.ProblemAsync(await client.SendAsync(Post(ServiceFixture.CommentsPath(site, "a"), new { authorName = "Ada", body = SampleText.Line(4) }, key)),
            422, "idempotency-key-reused", "Idempotency-Key");
        await Expect.ProblemAsync(await client.SendAsync(Post(ServiceFixture.CommentsPath(site, "b"), new { authorName = "Ada", body = SampleText.Line(3) }, key)),
            422, "idempotency-key-reused", "Idempotency-Key");
        Assert.Equal(1, await CommentsInAsync(site));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("256")]
    public async Task A_malformed_key_is_refused_with_400_naming_the_header(string key)
    {
        var site = await service.CreateSiteAsync();
        if (key == "256")
        {
            key = new string('k', 256);
        }
        using var client = service.Anonymous();
        var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, "bad-key")) { Content = JsonContent.Create(new { authorName = "Ada", body = SampleText.Line(5) }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        await Expect.ProblemAsync(await client.SendAsync(request), 400, "validation", "Idempotency-Key");
        Assert.Equal(0, await CommentsInAsync(site));
    }

    [Fact]
    public async Task A_retry_that_reaches_another_replica_gets_the_first_answer()
    {
        var site = await service.CreateSiteAsync();
        var writer = await service.CreateKeyAsync(site, "comments:write");
        await using var replica = ExtraService.Start(service.ConnectionString);
        Assert.True(await replica.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the second replica did not become ready");
        var path = ServiceFixture.CommentsPath(site, "two-replicas");
        var key = NewKey();

        using var one = service.WithKey(writer);
        using var two = replica.Anonymous();
        two.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", writer);
        var first = await Expect.JsonAsync(await one.SendAsync(Post(path, new { authorName = "Release bot", body = SampleText.Line(6) }, key)), 201);
        using var retry = await two.SendAsync(Post(path, new { authorName = "Release bot", body = SampleText.Line(6) }, key));
        var second = await Expect.JsonAsync(retry, 201);

        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.True(retry.Headers.Contains("Idempotency-Replayed"));
        Assert.Equal(1, await CommentsInAsync(site));
    }

    [Fact]
    public async Task Concurrent_retries_of_many_keys_spread_over_two_replicas_never_create_duplicates()
    {
        const int keys = 12;
        const int copies = 8;
        var site = await service.CreateSiteAsync();
        var writer = await service.CreateKeyAsync(site, "comments:write");
        await using var replica = ExtraService.Start(service.ConnectionString);
        Assert.True(await replica.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the second replica did not become ready");
        using var one = service.WithKey(writer);
        using var two = replica.Anonymous();
        two.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", writer);
        var path = ServiceFixture.CommentsPath(site, "retry-storm");
        var keyValues = Enumerable.Range(0, keys).Select(_ => NewKey()).ToList();

        // Every copy of a request behaves like a client retrying: on 409 in-progress it waits and sends again.
        var tried = 0;
        var inProgress = 0;
        using var start = new SemaphoreSlim(0);
        var copiesSent = Enumerable.Range(0, keys * copies).Select(async n =>
        {
            var k = n % keys;
            var client = n % 2 == 0 ? one : two;
            await start.WaitAsync();
            while (true)
            {
                Interlocked.Increment(ref tried);
                using var response = await client.SendAsync(Post(path, new { authorName = "Release bot", body = SampleText.Line(300 + k) }, keyValues[k]));
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode == 409)
                {
                    Assert.Contains("idempotency-in-progress", text);
                    Interlocked.Increment(ref inProgress);
                    await Task.Delay(50);
                    continue;
                }
                Assert.True((int)response.StatusCode == 201, $"{(int)response.StatusCode}: {text}");
                return (Key: k, Id: JsonNode.Parse(text)!["id"]!.GetValue<string>());
            }
        }).ToList();
        start.Release(keys * copies);
        var created = await Task.WhenAll(copiesSent);

        foreach (var group in created.GroupBy(c => c.Key))
        {
            Assert.Single(group.Select(c => c.Id).Distinct());
        }
        Assert.Equal(keys, created.Select(c => c.Id).Distinct().Count());
        Assert.Equal(keys, await CommentsInAsync(site));
        Assert.Equal((long)keys, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1 AND id = ANY($2)",
            site, created.Select(c => Guid.Parse(c.Id)).Distinct().ToArray()));
        output.WriteLine($"{keys} keys x {copies} concurrent copies over 2 replicas: {tried} requests, {inProgress} answered 409 in-progress and retried, "
            + $"{keys * copies} got 201 with {keys} distinct ids; {keys} comments stored; 500s: 0");
    }

    [Fact]
    public async Task Twenty_parallel_requests_with_one_key_create_exactly_one_comment()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "parallel");
        var key = NewKey();
        using var client = service.Anonymous();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(7) }, key));
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(),
                response.Headers.RetryAfter?.Delta);
        }));

        Assert.Equal(1, await CommentsInAsync(site));
        Assert.All(answers, a => Assert.Contains(a.Item1, new[] { 201, 409 }));
        var created = answers.Where(a => a.Item1 == 201).ToList();
        Assert.NotEmpty(created);
        Assert.Single(created.Select(a => a.Item2["id"]!.GetValue<string>()).Distinct());
        Assert.All(answers.Where(a => a.Item1 == 409), a =>
        {
            Assert.Equal("https://commentservice.dev/problems/idempotency-in-progress", a.Item2["type"]!.GetValue<string>());
            Assert.NotNull(a.Item3);
        });
    }

    [Fact]
    public async Task Keys_belong_to_their_caller_so_two_api_keys_may_use_the_same_value()
    {
        var site = await service.CreateSiteAsync();
        using var a = service.WithKey(await service.CreateKeyAsync(site, "comments:write"));
        using var b = service.WithKey(await service.CreateKeyAsync(site, "comments:write"));
        var path = ServiceFixture.CommentsPath(site, "two-callers");
        var key = NewKey();
        var first = await Expect.JsonAsync(await a.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(8) }, key)), 201);
        var second = await Expect.JsonAsync(await b.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(8) }, key)), 201);
        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal(2, await CommentsInAsync(site));
    }

    [Fact]
    public async Task A_refusal_is_a_final_answer_and_is_replayed_too()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var path = $"/v1/sites/{site}/moderation/comments/{Guid.NewGuid()}/decision";
        var key = NewKey();
        await Expect.ProblemAsync(await moderator.SendAsync(Post(path, new { action = "approve" }, key)), 404, "not-found");
        using var retry = await moderator.SendAsync(Post(path, new { action = "approve" }, key));
        await Expect.ProblemAsync(retry, 404, "not-found");
        Assert.True(retry.Headers.Contains("Idempotency-Replayed"));
    }

    [Fact]
    public async Task A_new_api_key_answer_is_replayed_but_stored_encrypted()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        var key = NewKey();
        var created = await Expect.JsonAsync(await client.SendAsync(Post($"/v1/sites/{site}/keys", new { name = "ci", scopes = new[] { "comments:write" } }, key)), 201);
        var replayed = await Expect.JsonAsync(await client.SendAsync(Post($"/v1/sites/{site}/keys", new { name = "ci", scopes = new[] { "comments:write" } }, key)), 201);
        var secret = created["key"]!.GetValue<string>();
        Assert.Equal(secret, replayed["key"]!.GetValue<string>());
        Assert.Equal(1, await service.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE site_id = $1", site));

        var stored = await service.ScalarAsync<byte[]>("SELECT body_protected FROM idempotency_keys WHERE scope = 'operator' AND key = $1", key);
        Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(stored));
        Assert.DoesNotContain(secret, System.Text.Encoding.Latin1.GetString(stored));
    }

    [Fact]
    public async Task A_rate_limited_answer_is_not_kept_so_the_key_can_be_retried()
    {
        var site = await service.CreateSiteAsync();
        await using var limited = ExtraService.Start(service.ConnectionString,
            ("Comments:RateLimits:Comments:PerAuthorPerMinute", "1"), ("Comments:RateLimits:Comments:PerAddressPerMinute", "1000"),
            ("Comments:RateLimits:Comments:PerAddressPerHour", "1000"));
        Assert.True(await limited.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
        using var client = limited.Anonymous();
        var path = ServiceFixture.CommentsPath(site, "limited");
        var author = "Limited " + Guid.NewGuid().ToString("N")[..6];
        await Expect.StatusAsync(await client.SendAsync(Post(path, new { authorName = author, body = SampleText.Line(9) }, NewKey())), 201);

        var key = NewKey();
        await Expect.ProblemAsync(await client.SendAsync(Post(path, new { authorName = author, body = SampleText.Line(10) }, key)), 429, "rate-limited");
        Assert.Equal(0, await service.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = $1", key));
    }

    [Fact]
    public async Task An_expired_key_starts_afresh_and_the_sweep_deletes_expired_keys()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "expired");
        var key = NewKey();
        using var client = service.Anonymous();
        await Expect.StatusAsync(await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(11) }, key)), 201);
        var retention = await service.ScalarAsync<TimeSpan>("SELECT expires_at - created_at FROM idempotency_keys WHERE key = $1", key);
        Assert.Equal(TimeSpan.FromHours(24), retention);

        await using (var expire = service.Sql.CreateCommand("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1"))
        {
            expire.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key });
            await expire.ExecuteNonQueryAsync();
        }
        // Once expired, the key no longer refers to the first request: a different one runs.
        await Expect.StatusAsync(await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(12) }, key)), 201);
        Assert.Equal(2, await CommentsInAsync(site));

        var old = NewKey();
        await Expect.StatusAsync(await client.SendAsync(Post(path, new { authorName = "Ada", body = SampleText.Line(13) }, old)), 201);
        await using (var expire = service.Sql.CreateCommand("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1"))
        {
            expire.Parameters.Add(new Npgsql.NpgsqlParameter { Value = old });
            await expire.ExecuteNonQueryAsync();
        }
        var result = await service.Services.GetRequiredService<Housekeeping>().RunOnceAsync(CancellationToken.None);
        Assert.True(result.IdempotencyKeys >= 1, result.ToString());
        Assert.Equal(0, await service.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = $1", old));
        Assert.Equal(1, await service.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = $1", key));
    }
}

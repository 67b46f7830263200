using System.Net.Http.Json;
using CommentService.Api.Infrastructure.Idempotency;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Idempotency;

/// <summary>
/// A replica that dies between running a write and storing its answer: a retry with the same key after
/// the lock expired runs the write again only when the write never committed.
/// </summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class CrashRecoveryTests(ServiceFixture service)
{
    /// <summary>Throws where a replica could die: after the request ran, before its answer is stored.</summary>
    private sealed class CrashBeforeAnswerStored : IIdempotencyFaults
    {
        private int remaining = 1;

        public Task BeforeAnswerStoredAsync(HttpContext ctx) =>
            Interlocked.Decrement(ref remaining) >= 0
                ? throw new InvalidOperationException("Simulated crash: the replica died before storing the answer.")
                : Task.CompletedTask;
    }

    private static async Task<ExtraService> StartCrashingReplicaAsync(string connectionString)
    {
        var replica = ExtraService.Start(connectionString,
            b => b.ConfigureServices(s => s.AddSingleton<IIdempotencyFaults>(new CrashBeforeAnswerStored())),
            ("Comments:RateLimits:Enabled", "false"),
            ("Comments:Idempotency:LockTimeout", "00:00:05"));
        Assert.True(await replica.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the replica did not become ready");
        return replica;
    }

    private static HttpRequestMessage Post(string path, string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { authorName = "Ada", body }) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private Task<long> CommentsInAsync(string site) => service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1", site);

    private async Task WaitForLockToExpireAsync(string key)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await service.ScalarAsync<bool>("SELECT locked_until <= now() FROM idempotency_keys WHERE key = $1", key))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail("the claim's lock did not expire");
    }

    [Fact]
    public async Task A_retry_after_a_crash_between_commit_and_storing_the_answer_creates_no_second_comment()
    {
        var site = await service.CreateSiteAsync();
        var path = ServiceFixture.CommentsPath(site, "crash-after-commit");
        var key = Guid.NewGuid().ToString();
        var text = SampleText.Line(40);
        await using var replica = await StartCrashingReplicaAsync(service.ConnectionString);
        using var client = replica.Anonymous();

        using (var crashed = await client.SendAsync(Post(path, text, key)))
        {
            Assert.Equal(500, (int)crashed.StatusCode);
        }
        // The comment and the claim's committed mark were written together; no answer was stored.
        Assert.Equal(1, await CommentsInAsync(site));
        Assert.True(await service.ScalarAsync<bool>("SELECT committed_at IS NOT NULL AND status_code IS NULL FROM idempotency_keys WHERE key = $1", key));
        var id = await service.ScalarAsync<Guid>("SELECT id FROM comments WHERE site_id = $1", site);

        // While the dead request's lock lasts, a retry is told to wait.
        await Expect.ProblemAsync(await client.SendAsync(Post(path, text, key)), 409, "idempotency-in-progress");
        await WaitForLockToExpireAsync(key);

        // After it, the retry does not post again: it learns the answer was lost and where the comment is, on any replica.
        foreach (var http in new[] { client, service.Anonymous() })
        {
            using var retry = await http.SendAsync(Post(path, text, key));
            await Expect.ProblemAsync(retry, 409, "idempotency-answer-lost");
            Assert.Equal($"/v1/sites/{site}/comments/{id}", retry.Headers.Location?.OriginalString);
        }
        Assert.Equal(1, await CommentsInAsync(site));

        using var read = await service.Operator().GetAsync($"/v1/sites/{site}/comments/{id}");
        var comment = await Expect.JsonAsync(read, 200);
        Assert.Equal(text, comment["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retry_after_a_crash_before_the_write_committed_runs_the_write_once()
    {
        var site = await service.CreateSiteAsync();
        const string article = "crash-before-commit";
        var path = ServiceFixture.CommentsPath(site, article);
        var key = Guid.NewGuid().ToString();
        var text = SampleText.Line(41);
        using var moderator = service.Operator();
        var threadPath = $"/v1/sites/{site}/moderation/articles/{article}";
        await Expect.StatusAsync(await moderator.PatchAsJsonAsync(threadPath, new { closed = true }), 200);
        await using var replica = await StartCrashingReplicaAsync(service.ConnectionString);
        using var client = replica.Anonymous();

        // The write rolls back (the thread is closed) and the replica dies before keeping that answer.
        using (var crashed = await client.SendAsync(Post(path, text, key)))
        {
            Assert.Equal(500, (int)crashed.StatusCode);
        }
        Assert.Equal(0, await CommentsInAsync(site));
        Assert.True(await service.ScalarAsync<bool>("SELECT committed_at IS NULL AND status_code IS NULL FROM idempotency_keys WHERE key = $1", key));

        await Expect.StatusAsync(await moderator.PatchAsJsonAsync(threadPath, new { closed = false }), 200);
        await WaitForLockToExpireAsync(key);

        // Nothing was written, so the retry runs the write: exactly one comment, and later retries replay it.
        using var retry = await client.SendAsync(Post(path, text, key));
        var created = await Expect.JsonAsync(retry, 201);
        using var again = await service.Anonymous().SendAsync(Post(path, text, key));
        var replayed = await Expect.JsonAsync(again, 201);
        Assert.Equal("true", again.Headers.GetValues("Idempotency-Replayed").Single());
        Assert.Equal(created["id"]!.ToJsonString(), replayed["id"]!.ToJsonString());
        Assert.Equal(1, await CommentsInAsync(site));
    }

    [Fact]
    public async Task A_key_created_with_a_plain_SaveChanges_is_not_created_twice_after_a_crash_before_its_answer_was_stored()
    {
        var site = await service.CreateSiteAsync();
        var key = Guid.NewGuid().ToString();
        await using var replica = await StartCrashingReplicaAsync(service.ConnectionString);
        using var client = replica.Operator();
        HttpRequestMessage Create()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sites/{site}/keys") { Content = JsonContent.Create(new { name = "ci poster", scopes = new[] { "comments:write" } }) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        Task<long> KeysAsync() => service.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE site_id = $1", site);

        using (var crashed = await client.SendAsync(Create()))
        {
            Assert.Equal(500, (int)crashed.StatusCode);
        }
        Assert.Equal(1, await KeysAsync());
        await WaitForLockToExpireAsync(key);

        using var retry = await client.SendAsync(Create());
        await Expect.ProblemAsync(retry, 409, "idempotency-answer-lost");
        Assert.Equal(1, await KeysAsync());
    }
}

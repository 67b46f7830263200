using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

/// <summary>
/// What one thread read costs the database, counted from Npgsql's own tracing: every command the
/// service sends while serving a request carries the request's trace id (taken from the traceparent
/// header this test sends), so requests of other tests running at the same time do not count.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ThreadReadCostTests(ServiceFixture service) : IDisposable
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentBag<string>> commands = new();
    private readonly ActivityListener listener = new();

    private ActivityListener Listen()
    {
        listener.ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore";
        listener.Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded;
        listener.ActivityStopped = activity =>
        {
            if (activity.Source.Name == "Npgsql" && commands.TryGetValue(activity.TraceId, out var bag)
                && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
            {
                bag.Add(sql);
            }
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    public void Dispose() => listener.Dispose();

    /// <summary>Reads a thread page under a fresh trace id; the SQL commands it took and the page.</summary>
    private async Task<(List<string> Sql, JsonObject Page)> ReadCountingAsync(string site, string article, string query)
    {
        var trace = ActivityTraceId.CreateRandom();
        commands[trace] = [];
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, ServiceFixture.CommentsPath(site, article) + query);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request);
        var page = await Expect.JsonAsync(response, 200);
        return ([.. commands[trace]], page);
    }

    private static int CountComments(JsonNode? items) =>
        items?.AsArray().Sum(i => 1 + CountComments(i!["replies"])) ?? 0;

    /// <summary>Three top-level comments: a reply chain twelve deep, one with twelve replies of two replies each, and a leaf.</summary>
    private async Task<(string Site, string Article, Guid Wide)> DeepAndWideThreadAsync()
    {
        var site = await service.CreateSiteAsync();
        const string article = "deep-and-wide";
        var line = 0;
        Guid Id(JsonObject created) => Guid.Parse(created["id"]!.GetValue<string>());
        var parent = Id(await service.PostCommentAsync(site, article, SampleText.Varied(line++), author: "Ada"));
        for (var depth = 1; depth <= 12; depth++)
        {
            parent = Id(await service.PostCommentAsync(site, article, SampleText.Varied(line++), parent, author: $"Chain {depth}"));
        }
        var wide = Id(await service.PostCommentAsync(site, article, SampleText.Varied(line++), author: "Ben"));
        for (var i = 0; i < 12; i++)
        {
            var reply = Id(await service.PostCommentAsync(site, article, SampleText.Varied(line++), wide, author: $"Wide {i}"));
            for (var j = 0; j < 2; j++)
            {
                await service.PostCommentAsync(site, article, SampleText.Varied(line++), reply, author: $"Under {i}.{j}");
            }
        }
        await service.PostCommentAsync(site, article, SampleText.Varied(line++), author: "Cleo");
        return (site, article, wide);
    }

    [Fact]
    public async Task A_thread_page_with_deep_and_wide_subtrees_takes_at_most_three_SQL_statements()
    {
        Listen();
        var (site, article, wide) = await DeepAndWideThreadAsync();

        // Everything on one page: the statement count does not grow with the comments shown.
        var (all, full) = await ReadCountingAsync(site, article, "?maxReplies=200");
        Assert.Equal(3 + 12 + 12 + 24, CountComments(full["items"]));
        Assert.InRange(all.Count, 1, 2);

        // Cut subtrees (deep and wide) need the one batched "are there more replies" query, no more.
        var (cut, page) = await ReadCountingAsync(site, article, "?maxReplies=5");
        Assert.Equal(3 + 5 + 5, CountComments(page["items"]));
        Assert.NotNull(page["items"]![1]!["repliesCursor"]);
        Assert.InRange(cut.Count, 1, 3);
        Assert.True(cut.Count <= 3, string.Join("\n---\n", cut));

        // A page of one comment's replies, with their replies.
        var (replies, repliesPage) = await ReadCountingAsync(site, article, $"?parentId={wide}&limit=5&maxReplies=1");
        Assert.Equal(5 + 5, CountComments(repliesPage["items"]));
        Assert.InRange(replies.Count, 1, 3);
    }

    /// <summary>Posts a comment under a fresh trace id; the SQL commands it took.</summary>
    private async Task<List<string>> PostCountingAsync(string site, string article, string body, Guid? parentId)
    {
        var trace = ActivityTraceId.CreateRandom();
        commands[trace] = [];
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, article))
        {
            Content = JsonContent.Create(new { authorName = "Dana", body, parentId }),
        };
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request);
        await Expect.JsonAsync(response, 201);
        return [.. commands[trace]];
    }

    [Fact]
    public async Task Posting_a_comment_or_a_reply_takes_a_bounded_number_of_SQL_statements()
    {
        Listen();
        var site = await service.CreateSiteAsync();
        var first = await service.PostCommentAsync(site, "cost", SampleText.Varied(100));
        var top = await PostCountingAsync(site, "cost", SampleText.Varied(101), null);
        var reply = await PostCountingAsync(site, "cost", SampleText.Varied(102), Guid.Parse(first["id"]!.GetValue<string>()));
        // The moderation gate's reads (author history, bans, recent texts, terms, classifiers, the site's spam
        // model, the parent) go in one round trip; then the write transaction: what the benchmark's comment
        // creation pays per comment.
        foreach (var post in new[] { top, reply })
        {
            var gate = Assert.Single(post, sql => sql.Contains("author_bans", StringComparison.Ordinal));
            Assert.All(new[] { "site_terms", "site_classifiers", "site_spam_models", "ip_hash" }, table => Assert.Contains(table, gate));
            Assert.DoesNotContain(post, sql => sql != gate && sql.Contains("site_terms", StringComparison.Ordinal));
        }
        Assert.Contains("body, author_name", Assert.Single(reply, sql => sql.Contains("author_bans", StringComparison.Ordinal)));
        Assert.InRange(top.Count, 4, 10);
        Assert.InRange(reply.Count, top.Count, top.Count + 3);
    }

    private HttpRequestMessage Get(string site, string article, string query, string? ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ServiceFixture.CommentsPath(site, article) + query);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return request;
    }

    /// <summary>The page's status and ETag when asked with <paramref name="etag"/> in If-None-Match.</summary>
    private async Task<(HttpStatusCode Status, string? ETag, string Body)> ConditionalAsync(string site, string article, string? etag, string query = "")
    {
        using var client = service.Anonymous();
        using var response = await client.SendAsync(Get(site, article, query, etag));
        return (response.StatusCode, response.Headers.ETag?.ToString(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unchanged_thread_answers_304_and_every_change_to_it_gives_a_new_ETag()
    {
        var site = await service.CreateSiteAsync();
        const string article = "conditional";
        var first = Guid.Parse((await service.PostCommentAsync(site, article, SampleText.Line(1)))["id"]!.GetValue<string>());
        var reply = await service.PostCommentAsync(site, article, SampleText.Line(2), first);

        var (status, etag, body) = await ConditionalAsync(site, article, null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(etag);
        Assert.Contains(SampleText.Line(2), body);

        var again = await ConditionalAsync(site, article, etag);
        Assert.Equal(HttpStatusCode.NotModified, again.Status);
        Assert.Equal("", again.Body);
        Assert.Equal(etag, again.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await ConditionalAsync(site, article, "W/" + etag)).Status);
        Assert.Equal(HttpStatusCode.NotModified, (await ConditionalAsync(site, article, "\"other\", " + etag)).Status);
        // Another query is another page: its own ETag.
        Assert.Equal(HttpStatusCode.OK, (await ConditionalAsync(site, article, etag, "?sort=newest")).Status);
        // Changes elsewhere leave this thread's pages valid.
        await service.PostCommentAsync(site, "another-article", SampleText.Line(3));
        Assert.Equal(HttpStatusCode.NotModified, (await ConditionalAsync(site, article, etag)).Status);

        async Task<string> ChangedAsync(string what, string? mustContain = null)
        {
            var (s, newTag, b) = await ConditionalAsync(site, article, etag);
            Assert.True(s == HttpStatusCode.OK, $"after {what}: {(int)s}");
            Assert.NotEqual(etag, newTag);
            if (mustContain is not null)
            {
                Assert.Contains(mustContain, b);
            }
            Assert.Equal(HttpStatusCode.NotModified, (await ConditionalAsync(site, article, newTag)).Status);
            return newTag!;
        }

        // A new approved comment.
        await service.PostCommentAsync(site, article, SampleText.Line(4));
        etag = await ChangedAsync("a new comment", SampleText.Line(4));

        // A vote.
        using (var client = service.Anonymous())
        {
            using var vote = new HttpRequestMessage(HttpMethod.Put, $"/v1/sites/{site}/comments/{first}/vote") { Content = JsonContent.Create(new { value = 1 }) };
            vote.Headers.Add("X-Reader-Token", "reader-token-0123456789");
            await Expect.StatusAsync(await client.SendAsync(vote), 200);
        }
        etag = await ChangedAsync("a vote", "\"upvotes\":1");

        // An edit by the author.
        using (var client = service.Anonymous())
        {
            using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/v1/sites/{site}/comments/{reply["id"]!.GetValue<string>()}")
            {
                Content = JsonContent.Create(new { body = SampleText.Line(5) }),
            };
            edit.Headers.Add("X-Edit-Token", reply["editToken"]!.GetValue<string>());
            await Expect.StatusAsync(await client.SendAsync(edit), 200);
        }
        etag = await ChangedAsync("an edit", SampleText.Line(5));

        // A moderator's decision hides the reply.
        using (var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate")))
        {
            await Expect.StatusAsync(await moderator.PostAsJsonAsync(
                $"/v1/sites/{site}/moderation/comments/{reply["id"]!.GetValue<string>()}/decision", new { action = "reject", reason = "off-topic" }), 200);
            etag = await ChangedAsync("a decision");
            Assert.DoesNotContain(SampleText.Line(5), (await ConditionalAsync(site, article, null)).Body);

            // A moderator closes the thread.
            await Expect.StatusAsync(await moderator.PatchAsJsonAsync($"/v1/sites/{site}/moderation/articles/{article}", new { closed = true }), 200);
            await ChangedAsync("closing", "\"closed\":true");
        }
    }
}

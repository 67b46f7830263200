using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

[Collection(ServiceCollection.Name)]
public sealed class ThreadTests(ServiceFixture service)
{
    private const string UrlArticle = "https://blog.example/reviews/her (2013)?ref=home#comments/ünïcode";

    private static List<(string Id, int Depth)> Flatten(JsonNode? items, List<(string, int)>? into = null, int depth = 0)
    {
        into ??= [];
        foreach (var node in items?.AsArray() ?? [])
        {
            into.Add((node!["id"]!.GetValue<string>(), depth));
            Flatten(node["replies"], into, depth + 1);
        }
        return into;
    }

    [Fact]
    public async Task A_thread_five_replies_deep_under_a_URL_article_reads_back_depth_first()
    {
        var site = await service.CreateSiteAsync();
        var chain = new List<string>();
        Guid? parent = null;
        for (var depth = 0; depth <= 5; depth++)
        {
            var created = await service.PostCommentAsync(site, UrlArticle, $"Level {depth}", parent);
            Assert.Equal(depth, created["depth"]!.GetValue<int>());
            Assert.Equal("approved", created["status"]!.GetValue<string>());
            Assert.Equal(UrlArticle, created["articleId"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(created["editToken"]!.GetValue<string>()));
            parent = Guid.Parse(created["id"]!.GetValue<string>());
            chain.Add(parent.Value.ToString());
        }
        var second = (await service.PostCommentAsync(site, UrlArticle, "Second top-level"))["id"]!.GetValue<string>();
        var replyToFirst = (await service.PostCommentAsync(site, UrlArticle, "Late reply to the first", Guid.Parse(chain[0])))["id"]!.GetValue<string>();

        var page = await service.ReadThreadAsync(site, UrlArticle);
        var expected = chain.Select((id, depth) => (id, depth)).ToList();
        expected.Add((replyToFirst, 1));
        expected.Add((second, 0));
        Assert.Equal(expected, Flatten(page["items"]));
        Assert.Equal(8, page["totalCount"]!.GetValue<int>());
        Assert.Equal(2, page["items"]![0]!["replyCount"]!.GetValue<int>());

        var newest = await service.ReadThreadAsync(site, UrlArticle, "?sort=newest");
        Assert.Equal(second, newest["items"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_article_reads_as_an_empty_thread_and_creates_nothing()
    {
        var site = await service.CreateSiteAsync();
        var page = await service.ReadThreadAsync(site, "never-commented");
        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["nextCursor"]);
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM threads WHERE site_id = $1", site));
    }

    [Fact]
    public async Task Top_level_pages_follow_the_cursor_in_both_orders()
    {
        var site = await service.CreateSiteAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await service.PostCommentAsync(site, "paged", SampleText.Line(i)))["id"]!.GetValue<string>());
        }
        foreach (var (sort, order) in new[] { ("oldest", ids), ("newest", Enumerable.Reverse(ids).ToList()) })
        {
            var seen = new List<string>();
            string? cursor = null;
            do
            {
                var query = $"?sort={sort}&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                var page = await service.ReadThreadAsync(site, "paged", query);
                seen.AddRange(page["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
                cursor = page["nextCursor"]?.GetValue<string>();
            } while (cursor is not null);
            Assert.Equal(order, seen);
        }
    }

    [Fact]
    public async Task A_cut_subtree_carries_a_replies_cursor_that_fetches_the_rest()
    {
        var site = await service.CreateSiteAsync();
        var root = Guid.Parse((await service.PostCommentAsync(site, "busy", "Root"))["id"]!.GetValue<string>());
        var replies = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            replies.Add((await service.PostCommentAsync(site, "busy", SampleText.Line(i), root))["id"]!.GetValue<string>());
        }

        var page = await service.ReadThreadAsync(site, "busy", "?maxReplies=3");
        var item = page["items"]![0]!;
        Assert.Equal(replies.Take(3), item["replies"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal(7, item["replyCount"]!.GetValue<int>());
        var cursor = item["repliesCursor"]!.GetValue<string>();

        var rest = await service.ReadThreadAsync(site, "busy", $"?parentId={root}&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(replies.Skip(3), rest["items"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        Assert.Null(rest["nextCursor"]);

        var all = await service.ReadThreadAsync(site, "busy");
        Assert.Null(all["items"]![0]!["repliesCursor"]);
    }

    [Fact]
    public async Task A_deleted_comment_with_replies_is_a_tombstone_and_a_deleted_leaf_disappears()
    {
        var site = await service.CreateSiteAsync();
        var root = await service.PostCommentAsync(site, "tomb", "Root that will go");
        var rootId = Guid.Parse(root["id"]!.GetValue<string>());
        var reply = await service.PostCommentAsync(site, "tomb", "Reply that stays", rootId);
        var leaf = await service.PostCommentAsync(site, "tomb", "Leaf that will go");

        using var client = service.Anonymous();
        foreach (var c in new[] { root, leaf })
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sites/{site}/comments/{c["id"]}");
            request.Headers.Add("X-Edit-Token", c["editToken"]!.GetValue<string>());
            await Expect.StatusAsync(await client.SendAsync(request), 204);
        }

        var page = await service.ReadThreadAsync(site, "tomb");
        var items = page["items"]!.AsArray();
        var tomb = Assert.Single(items)!;
        Assert.True(tomb["tombstone"]!.GetValue<bool>());
        Assert.Null(tomb["body"]);
        Assert.Null(tomb["authorName"]);
        Assert.Equal(reply["id"]!.GetValue<string>(), tomb["replies"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(1, page["totalCount"]!.GetValue<int>());
        Assert.Equal("", await service.ScalarAsync<string>("SELECT body FROM comments WHERE id = $1", rootId));
    }

    [Fact]
    public async Task Counts_answer_many_articles_in_one_call()
    {
        var site = await service.CreateSiteAsync();
        await service.PostCommentAsync(site, "a/b", "slash");
        await service.PostCommentAsync(site, "a%2Fb", "percent");
        await service.PostCommentAsync(site, "a%2Fb", "percent again");
        using var client = service.Anonymous();
        var counts = await Expect.JsonAsync(
            await client.GetAsync($"/v1/sites/{site}/counts?articleId=a%2Fb&articleId=a%252Fb&articleId=none"), 200);
        var byId = counts["counts"]!.AsArray().ToDictionary(c => c!["articleId"]!.GetValue<string>(), c => c!["count"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["a/b"] = 1, ["a%2Fb"] = 2, ["none"] = 0 }, byId);
    }

    [Fact]
    public async Task Edit_with_the_token_changes_the_text()
    {
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "edits", "Before the edit.");
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/sites/{site}/comments/{created["id"]}")
        {
            Content = JsonContent.Create(new { body = "After the edit." }),
        };
        request.Headers.Add("X-Edit-Token", created["editToken"]!.GetValue<string>());
        var edited = await Expect.JsonAsync(await client.SendAsync(request), 200);
        Assert.Equal("After the edit.", edited["body"]!.GetValue<string>());
        Assert.NotNull(edited["editedAt"]);
        var fetched = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{site}/comments/{created["id"]}"), 200);
        Assert.Equal("After the edit.", fetched["body"]!.GetValue<string>());
    }
}

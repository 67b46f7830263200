using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

/// <summary>
/// Article IDs are opaque strings sent percent-encoded as one path segment and decoded exactly once
/// from the raw request target: whatever a site chooses reads back unchanged, and IDs that differ only
/// in escaping are different threads.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ArticleIdTests(ServiceFixture service)
{
    public static TheoryData<string> Ids =>
    [
        "a/b",
        "a%2Fb",
        "a%252Fb",
        "what? #1",
        "spaces and ünïcødé 日本",
        "https://x.example/p?q=1&r=2#frag",
        "1+1 = 2; 100% & more",
        "trailing/",
        "emoji 🎬 and a 'quote'",
    ];

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task An_article_ID_round_trips_through_post_thread_comment_and_counts(string articleId)
    {
        var site = await service.CreateSiteAsync();
        await RoundTripAsync(site, articleId);
    }

    [Fact]
    public async Task A_512_character_ID_is_accepted()
    {
        // Mixed text that grows a lot when encoded: the limit counts the decoded characters.
        var articleId = string.Concat(Enumerable.Repeat("ü/x?", 128));
        Assert.Equal(512, articleId.Length);
        var site = await service.CreateSiteAsync();
        await RoundTripAsync(site, articleId);
    }

    [Fact]
    public async Task A_513_character_ID_is_refused_naming_articleId_and_creates_nothing()
    {
        var articleId = string.Concat(Enumerable.Repeat("ü/x?", 128)) + "z";
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var client = service.Anonymous();

        using var posted = await client.PostAsync(ServiceFixture.CommentsPath(site, articleId),
            RawHttp.Json("""{"authorName":"Reader","body":"Too long an address."}"""));
        await Expect.ProblemAsync(posted, 400, "validation", "articleId");
        using var read = await client.GetAsync(ServiceFixture.CommentsPath(site, articleId));
        await Expect.ProblemAsync(read, 400, "validation", "articleId");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task IDs_that_differ_only_in_escaping_are_different_threads()
    {
        var site = await service.CreateSiteAsync();
        var ids = new[] { "a/b", "a%2Fb", "a%252Fb" };
        var posted = new Dictionary<string, List<string>>();
        for (var i = 0; i < ids.Length; i++)
        {
            posted[ids[i]] = [];
            for (var n = 0; n <= i; n++)
            {
                posted[ids[i]].Add((await service.PostCommentAsync(site, ids[i], $"{ids[i]} #{n}"))["id"]!.GetValue<string>());
            }
        }

        foreach (var id in ids)
        {
            var page = await service.ReadThreadAsync(site, id);
            Assert.Equal(id, page["articleId"]!.GetValue<string>());
            Assert.Equal(posted[id], page["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        }
        Assert.Equal(
            ids.Order(StringComparer.Ordinal),
            await ArticleIdsInDatabaseAsync(site));

        using var client = service.Anonymous();
        var counts = await Expect.JsonAsync(
            await client.GetAsync($"/v1/sites/{site}/counts?" + string.Join('&', ids.Select(id => "articleId=" + Uri.EscapeDataString(id)))), 200);
        Assert.Equal(
            ids.Select(id => (id, posted[id].Count)),
            counts["counts"]!.AsArray().Select(c => (c!["articleId"]!.GetValue<string>(), c["count"]!.GetValue<int>())));
    }

    /// <summary>Raw segments a browser or proxy might send that are not a valid single decoding.</summary>
    [Theory]
    [InlineData("%FF")]            // not UTF-8 at all
    [InlineData("caf%C3")]         // truncated two-byte sequence
    [InlineData("%C3%28")]         // invalid continuation byte
    [InlineData("%ED%A0%80")]      // an encoded UTF-16 surrogate (CESU), not valid UTF-8
    [InlineData("%C0%AF")]         // overlong '/'
    [InlineData("100%")]           // a lone percent sign
    [InlineData("%ZZ")]            // not hex
    [InlineData("tab%09inside")]   // a control character once decoded
    public async Task A_raw_segment_that_does_not_decode_to_valid_text_is_refused_naming_articleId(string rawSegment)
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        var target = $"/v1/sites/{site}/articles/{rawSegment}/comments";

        using var posted = await RawHttp.SendAsync(service.BaseAddress, "POST", target, """{"authorName":"Reader","body":"Hello."}""");
        await Expect.ProblemAsync(posted, 400, "validation", "articleId");
        using var read = await RawHttp.SendAsync(service.BaseAddress, "GET", target);
        await Expect.ProblemAsync(read, 400, "validation", "articleId");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_raw_segment_is_decoded_exactly_once()
    {
        var site = await service.CreateSiteAsync();
        using var posted = await RawHttp.SendAsync(service.BaseAddress, "POST", $"/v1/sites/{site}/articles/x%252Fy%2Fz%E6%97%A5/comments",
            """{"authorName":"Reader","body":"Hello."}""");
        var created = await Expect.JsonAsync(posted, 201);
        Assert.Equal("x%2Fy/z日", created["articleId"]!.GetValue<string>());
        Assert.Equal(["x%2Fy/z日"], await ArticleIdsInDatabaseAsync(site));
    }

    [Fact]
    public async Task An_absolute_form_request_target_is_decoded_the_same_way()
    {
        // No %2F here: for absolute-form targets Kestrel routes on a fully unescaped path, so an
        // encoded slash splits the route before the service sees it (a 404, nothing stored).
        var site = await service.CreateSiteAsync();
        var target = $"http://{service.BaseAddress.Authority}/v1/sites/{site}/articles/p%3Fq%23%252F/comments?sort=newest";
        using var posted = await RawHttp.SendAsync(service.BaseAddress, "POST", target, """{"authorName":"Reader","body":"Hello."}""");
        var created = await Expect.JsonAsync(posted, 201);
        Assert.Equal("p?q#%2F", created["articleId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("articles")]
    [InlineData("sites")]
    public async Task A_site_whose_slug_is_a_route_word_still_gets_the_article_ID_from_the_article_segment(string slug)
    {
        // Site slugs are chosen by the operator; "articles" is a valid one and must not confuse the
        // reading of the raw target.
        using var operatorClient = service.Operator();
        using var response = await operatorClient.PostAsync("/v1/sites",
            RawHttp.Json($$"""{"id":"{{slug}}","name":"Route word","allowedOrigins":[]}"""));
        await Expect.StatusAsync(response, 201);

        await RoundTripAsync(slug, "articles/real-article");
        await RoundTripAsync(slug, "sites");
    }

    private async Task RoundTripAsync(string site, string articleId)
    {
        var created = await service.PostCommentAsync(site, articleId, "Round trip.");
        Assert.Equal(articleId, created["articleId"]!.GetValue<string>());
        var id = created["id"]!.GetValue<string>();

        var page = await service.ReadThreadAsync(site, articleId);
        Assert.Equal(articleId, page["articleId"]!.GetValue<string>());
        Assert.Equal(id, Assert.Single(page["items"]!.AsArray())!["id"]!.GetValue<string>());

        using var client = service.Anonymous();
        var fetched = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{site}/comments/{id}"), 200);
        Assert.Equal(articleId, fetched["articleId"]!.GetValue<string>());

        var counts = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{site}/counts?articleId={Uri.EscapeDataString(articleId)}"), 200);
        var count = Assert.Single(counts["counts"]!.AsArray())!;
        Assert.Equal(articleId, count["articleId"]!.GetValue<string>());
        Assert.Equal(1, count["count"]!.GetValue<int>());

        Assert.Contains(articleId, await ArticleIdsInDatabaseAsync(site));
    }

    private async Task<List<string>> ArticleIdsInDatabaseAsync(string site)
    {
        var ids = await service.ScalarAsync<string[]>(
            "SELECT coalesce(array_agg(article_id ORDER BY article_id COLLATE \"C\"), '{}') FROM threads WHERE site_id = $1", site);
        return [.. ids];
    }
}

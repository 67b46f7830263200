using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Moderation;

[Collection(ServiceCollection.Name)]
public sealed class ModeratorApiTests(ServiceFixture service)
{
    private async Task<(string Site, HttpClient Moderator)> SiteWithModeratorAsync()
    {
        var site = await service.CreateSiteAsync();
        return (site, service.WithKey(await service.CreateKeyAsync(site, "moderate")));
    }

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, string site, string id, string action, string? reason = null) =>
        client.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{id}/decision", new { action, reason });

    [Fact]
    public async Task Rejecting_a_visible_comment_hides_it_updates_counts_and_is_audited()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var root = await service.PostCommentAsync(site, "film", "A fine review.");
        var rude = await service.PostCommentAsync(site, "film", "Rude reply.", Guid.Parse(Id(root)));

        var decided = await Expect.JsonAsync(await DecideAsync(moderator, site, Id(rude), "reject", "harassment"), 200);
        Assert.Equal("rejected", decided["status"]!.GetValue<string>());
        Assert.NotNull(decided["moderatedAt"]);

        var page = await service.ReadThreadAsync(site, "film");
        Assert.Equal(1, page["totalCount"]!.GetValue<int>());
        Assert.Empty(page["items"]![0]!["replies"]!.AsArray());
        Assert.Equal(0, page["items"]![0]!["replyCount"]!.GetValue<int>());

        var audit = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit"), 200);
        var entry = Assert.Single(audit["items"]!.AsArray())!;
        Assert.Equal(Id(rude), entry["commentId"]!.GetValue<string>());
        Assert.Equal("approved", entry["fromStatus"]!.GetValue<string>());
        Assert.Equal("rejected", entry["toStatus"]!.GetValue<string>());
        Assert.Equal("harassment", entry["reason"]!.GetValue<string>());
        Assert.StartsWith("key:", entry["actor"]!.GetValue<string>());

        var back = await Expect.JsonAsync(await DecideAsync(moderator, site, Id(rude), "approve"), 200);
        Assert.Equal("approved", back["status"]!.GetValue<string>());
        Assert.Equal(2, (await service.ReadThreadAsync(site, "film"))["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Two_moderators_deciding_the_same_comment_at_once_one_wins_and_the_other_gets_409()
    {
        var (site, first) = await SiteWithModeratorAsync();
        using var second = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var comment = await service.PostCommentAsync(site, "race", "Contested.");

        var answers = await Task.WhenAll(DecideAsync(first, site, Id(comment), "spam"), DecideAsync(second, site, Id(comment), "spam"));
        Assert.Equal([200, 409], answers.Select(a => (int)a.StatusCode).Order());
        await Expect.ProblemAsync(answers.Single(a => (int)a.StatusCode == 409), 409, "conflict");

        var audit = await Expect.JsonAsync(await first.GetAsync($"/v1/sites/{site}/moderation/audit?commentId={Id(comment)}"), 200);
        Assert.Single(audit["items"]!.AsArray());
        Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM moderation_decisions WHERE comment_id = $1", Guid.Parse(Id(comment))));
    }

    [Fact]
    public async Task Deciding_a_deleted_or_unknown_comment_or_with_a_bad_action_is_refused()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var comment = await service.PostCommentAsync(site, "gone");
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sites/{site}/comments/{Id(comment)}");
        delete.Headers.Add("X-Edit-Token", comment["editToken"]!.GetValue<string>());
        await Expect.StatusAsync(await service.Anonymous().SendAsync(delete), 204);

        await Expect.ProblemAsync(await DecideAsync(moderator, site, Id(comment), "approve"), 409, "conflict");
        await Expect.ProblemAsync(await DecideAsync(moderator, site, Guid.NewGuid().ToString(), "approve"), 404, "not-found");
        await Expect.ProblemAsync(await DecideAsync(moderator, site, Id(comment), "obliterate"), 400, "validation", "action");
    }

    [Fact]
    public async Task The_queue_filters_by_status_article_and_time_and_pages_with_a_cursor()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var c = await service.PostCommentAsync(site, i < 3 ? "a" : "b", SampleText.Line(i));
            await Expect.JsonAsync(await DecideAsync(moderator, site, Id(c), "reject"), 200);
            ids.Add(Id(c));
        }
        var kept = await service.PostCommentAsync(site, "a", "Approved stays out of the queue.");

        var defaultQueue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue"), 200);
        Assert.Empty(defaultQueue["items"]!.AsArray());

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Expect.JsonAsync(await moderator.GetAsync(
                $"/v1/sites/{site}/moderation/queue?status=rejected&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)), 200);
            seen.AddRange(page["items"]!.AsArray().Select(n => Id(n!)));
            cursor = page["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal(ids, seen);

        var onlyB = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?status=rejected&articleId=b&sort=newest"), 200);
        Assert.Equal(ids.Skip(3).Reverse(), onlyB["items"]!.AsArray().Select(n => Id(n!)));

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"));
        var none = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?status=rejected&since={future}"), 200);
        Assert.Empty(none["items"]!.AsArray());

        var item = (await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?status=approved"), 200))["items"]!.AsArray().Single()!;
        Assert.Equal(Id(kept), Id(item));
        Assert.StartsWith("n:", item["authorKey"]!.GetValue<string>());
        Assert.NotNull(item["verdict"]!["rulesVersion"]);

        await Expect.ProblemAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?status=lost"), 400, "validation", "status[0]");
        await Expect.ProblemAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?cursor=nonsense"), 400, "validation", "cursor");
    }

    [Fact]
    public async Task Bulk_decisions_count_on_a_dry_run_and_apply_by_filter_or_ids()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var inA = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            inA.Add(Id(await service.PostCommentAsync(site, "bulk-a", SampleText.Line(i))));
        }
        var inB = Id(await service.PostCommentAsync(site, "bulk-b", "B"));
        var before = await service.ContentChecksumAsync();

        var dry = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/decisions",
            new { action = "reject", filter = new { status = new[] { "approved" }, articleId = "bulk-a" }, dryRun = true }), 200);
        Assert.Equal(4, dry["matched"]!.GetValue<int>());
        Assert.Equal(0, dry["changed"]!.GetValue<int>());
        Assert.Equal(before, await service.ContentChecksumAsync());

        var applied = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/decisions",
            new { action = "reject", filter = new { status = new[] { "approved" }, articleId = "bulk-a" }, reason = "cleanup" }), 200);
        Assert.Equal(4, applied["changed"]!.GetValue<int>());
        Assert.Equal(0, (await service.ReadThreadAsync(site, "bulk-a"))["totalCount"]!.GetValue<int>());
        Assert.Equal(1, (await service.ReadThreadAsync(site, "bulk-b"))["totalCount"]!.GetValue<int>());

        var byIds = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/decisions",
            new { action = "approve", ids = new[] { inA[0], inA[1], inB } }), 200);
        Assert.Equal(3, byIds["matched"]!.GetValue<int>());
        Assert.Equal(2, byIds["changed"]!.GetValue<int>());
        Assert.Equal(1, byIds["skipped"]!.GetValue<int>());
        Assert.Equal(6L, await service.ScalarAsync<long>("SELECT count(*) FROM moderation_decisions WHERE site_id = $1", site));

        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/decisions",
            new { action = "reject" }), 400, "validation", "ids");
    }

    [Fact]
    public async Task The_policy_reads_and_replaces_and_refuses_nonsense()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var policy = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/policy"), 200);
        Assert.Equal("none", policy["preModeration"]!.GetValue<string>());

        var updated = await Expect.JsonAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy",
            new { preModeration = "newAuthors", trustedAfterApproved = 5, spamThreshold = 0.9, spamHoldThreshold = 0.6 }), 200);
        Assert.Equal("newAuthors", updated["preModeration"]!.GetValue<string>());
        Assert.Equal(5, (await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/policy"), 200))["trustedAfterApproved"]!.GetValue<int>());

        var before = await service.ContentChecksumAsync();
        await Expect.ProblemAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy",
            new { preModeration = "sometimes" }), 400, "validation", "preModeration");
        await Expect.ProblemAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy",
            new { spamThreshold = 0.5, spamHoldThreshold = 0.7 }), 400, "validation", "spamHoldThreshold");
        await Expect.ProblemAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy",
            new { crudeHoldThreshold = 1.5 }), 400, "validation", "crudeHoldThreshold");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Site_terms_are_added_changed_listed_and_removed()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = "Cheap Pills", action = "hold" }), 200);
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = "cheap pills", action = "reject" }), 200);
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = "spoiler", action = "flag" }), 200);
        var list = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/terms"), 200);
        Assert.Equal(["cheap pills:reject", "spoiler:flag"],
            list["items"]!.AsArray().Select(t => $"{t!["term"]}:{t["action"]}"));

        await Expect.StatusAsync(await moderator.DeleteAsync($"/v1/sites/{site}/moderation/terms?term=cheap%20pills"), 204);
        await Expect.ProblemAsync(await moderator.DeleteAsync($"/v1/sites/{site}/moderation/terms?term=cheap%20pills"), 404, "not-found");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = "x", action = "shout" }), 400, "validation", "action");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = " ", action = "flag" }), 400, "validation", "term");
    }

    [Fact]
    public async Task Authors_are_banned_by_one_of_their_comments_and_bans_can_be_lifted()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var comment = await service.PostCommentAsync(site, "bans", "Something.");
        var ban = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/bans",
            new { commentId = Id(comment), reason = "spam run", expiresAt = DateTimeOffset.UtcNow.AddDays(1) }), 201);
        var authorKey = await service.ScalarAsync<string>("SELECT author_key FROM comments WHERE id = $1", Guid.Parse(Id(comment)));
        Assert.Equal(authorKey, ban["authorKey"]!.GetValue<string>());

        var list = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/bans"), 200);
        Assert.Equal(Id(ban), Id(Assert.Single(list["items"]!.AsArray())!));

        await Expect.StatusAsync(await moderator.DeleteAsync($"/v1/sites/{site}/moderation/bans/{Id(ban)}"), 204);
        Assert.Empty((await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/bans"), 200))["items"]!.AsArray());
        await Expect.ProblemAsync(await moderator.DeleteAsync($"/v1/sites/{site}/moderation/bans/{Id(ban)}"), 404, "not-found");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/bans",
            new { commentId = Guid.NewGuid() }), 400, "validation", "commentId");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/bans",
            new { authorKey = "someone" }), 400, "validation", "authorKey");
    }

    [Fact]
    public async Task The_dry_run_check_answers_a_verdict_and_stores_nothing()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var before = await service.ContentChecksumAsync();
        var verdict = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/check",
            new { articleId = "https://films.example/her", authorName = "Ada", body = "A thoughtful comment about loneliness." }), 200);
        Assert.Equal("approved", verdict["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(verdict["rulesVersion"]!.GetValue<string>()));
        Assert.NotNull(verdict["flags"]!.AsArray());
        Assert.Equal(before, await service.ContentChecksumAsync());
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/check",
            new { authorName = "Ada", body = "no article" }), 400, "validation", "articleId");
    }

    [Fact]
    public async Task Moderator_routes_need_the_moderate_scope_on_that_site()
    {
        var (site, _) = await SiteWithModeratorAsync();
        var other = await service.CreateSiteAsync();
        using var writer = service.WithKey(await service.CreateKeyAsync(site, "comments:write", "comments:read"));
        using var foreign = service.WithKey(await service.CreateKeyAsync(other, "moderate"));
        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));
        var queue = $"/v1/sites/{site}/moderation/queue";
        await Expect.ProblemAsync(await service.Anonymous().GetAsync(queue), 401, "unauthorized");
        await Expect.ProblemAsync(await writer.GetAsync(queue), 403, "forbidden");
        await Expect.ProblemAsync(await foreign.GetAsync(queue), 403, "forbidden");
        await Expect.JsonAsync(await admin.GetAsync(queue), 200);
        await Expect.JsonAsync(await service.Operator().GetAsync(queue), 200);
    }
}

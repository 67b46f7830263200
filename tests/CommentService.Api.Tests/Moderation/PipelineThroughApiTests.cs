using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Moderation;

/// <summary>The moderation pipeline as readers and moderators meet it: through the API, each author from their own address.</summary>
[Collection(ServiceCollection.Name)]
public sealed class PipelineThroughApiTests(ServiceFixture service)
{
    private static int address;

    /// <summary>Posts as a distinct reader: a fresh client address through the trusted loopback proxy.</summary>
    private async Task<JsonObject> PostAsync(string site, string article, string body, string author = "Reader", Guid? parentId = null, string? from = null)
    {
        var n = Interlocked.Increment(ref address);
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, article))
        {
            Content = JsonContent.Create(new { authorName = author, body, parentId }),
        };
        request.Headers.Add("X-Forwarded-For", from ?? $"198.51.{n / 250 % 250}.{n % 250 + 1}");
        return await Expect.JsonAsync(await service.Anonymous().SendAsync(request), 201);
    }

    public static TheoryData<string, string> Legitimate => new()
    {
        { "Dana", "Great review, thanks!" },
        { "Eli", "Wow!!!" },
        { "Farid", "It's a stupid premise, but somehow it works." },
        { "S1mone", "S1mone here: the phone call scene broke me." },
        { "Gwen", "A film about sex, loneliness and relationships that treats all three honestly." },
        { "Hugo", "I disagree with the review. The middle act drags and the ending is too neat." },
        { "Ines", "My aunt survived breast cancer and the hospital scenes felt accurate to me." },
    };

    [Theory]
    [MemberData(nameof(Legitimate))]
    public async Task Real_readers_comments_are_approved_at_once(string author, string body)
    {
        var site = await service.CreateSiteAsync();
        var created = await PostAsync(site, "her-2013", body, author);
        Assert.Equal("approved", created["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_content_free_bot_comment_with_a_link_is_held_with_flags_that_say_why()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var bot = await PostAsync(site, "her-2013",
            "Thanks for the wonderful article. I have bookmarked your weblog and will check out your other posts. Visit my site http://bit.ly/cheap-deals",
            "Best Deals");
        Assert.Contains(bot["status"]!.GetValue<string>(), new[] { "spam", "pending" });
        Assert.Equal(0, (await service.ReadThreadAsync(site, "her-2013"))["totalCount"]!.GetValue<int>());

        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue"), 200);
        var held = Assert.Single(queue["items"]!.AsArray())!;
        var reasons = held["verdict"]!["flags"]!.AsArray().Select(f => f!["reason"]!.GetValue<string>()).ToList();
        Assert.Contains("spam.shortener", reasons);
        Assert.Contains(reasons, r => r.StartsWith("spam.", StringComparison.Ordinal));
        var link = held["verdict"]!["flags"]!.AsArray().First(f => f!["reason"]!.GetValue<string>() == "spam.shortener")!;
        var body = held["body"]!.GetValue<string>();
        Assert.Equal(link["evidence"]!.GetValue<string>(), body.Substring(link["start"]!.GetValue<int>(), link["length"]!.GetValue<int>()));

        var byReason = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?reason=spam.shortener"), 200);
        Assert.Single(byReason["items"]!.AsArray());
        var none = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?reason=crude.sexual"), 200);
        Assert.Empty(none["items"]!.AsArray());
    }

    [Fact]
    public async Task Moderators_clear_the_queue_and_their_spam_decisions_teach_the_site_model()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var spam = await PostAsync(site, "her-2013",
            "Earn $5000 a week from home! Contact me on WhatsApp +1 555 123 4567 for the secret method", "Rich Quick");
        Assert.NotEqual("approved", spam["status"]!.GetValue<string>());

        var cleared = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/decisions",
            new { action = "spam", filter = new { status = new[] { "pending", "spam" } } }), 200);
        Assert.Equal(1, cleared["matched"]!.GetValue<int>());
        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?status=pending"), 200);
        Assert.Empty(queue["items"]!.AsArray());

        // Marking spam teaches the site's model only when it changed the status; mark a visible comment spam.
        var sneaky = await PostAsync(site, "her-2013", "Lovely thoughts here. By the way my cousin sells handmade soap at the market.", "Soap Seller");
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{sneaky["id"]}/decision", new { action = "spam" }), 200);
        Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM site_spam_models WHERE site_id = $1", site));
    }

    [Fact]
    public async Task A_banned_author_is_rejected_until_the_ban_is_lifted()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var first = await PostAsync(site, "her-2013", SampleText.Line(1), "Troll", from: "203.0.113.66");
        var ban = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/bans", new { commentId = first["id"]!.GetValue<string>() }), 201);

        var refused = await PostAsync(site, "her-2013", SampleText.Line(2), "Troll", from: "203.0.113.66");
        Assert.Equal("rejected", refused["status"]!.GetValue<string>());

        await Expect.StatusAsync(await moderator.DeleteAsync($"/v1/sites/{site}/moderation/bans/{ban["id"]}"), 204);
        var again = await PostAsync(site, "her-2013", SampleText.Line(3), "Troll", from: "203.0.113.66");
        Assert.Equal("approved", again["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_obfuscated_crude_reply_aimed_at_another_reader_is_held_with_evidence_in_the_original_text()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var parent = await PostAsync(site, "her-2013", "I thought the relationship felt real, lonely people do fall for voices.", "Nadia");
        const string reply = "Nadia you are such a d1ck sucker, go back to your c0ck fantasies";
        var crude = await PostAsync(site, "her-2013", reply, "Anon", Guid.Parse(parent["id"]!.GetValue<string>()));
        Assert.Equal("pending", crude["status"]!.GetValue<string>());

        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?reason=crude.sexual"), 200);
        var held = Assert.Single(queue["items"]!.AsArray())!;
        var flag = held["verdict"]!["flags"]!.AsArray().First(f => f!["reason"]!.GetValue<string>().StartsWith("crude.", StringComparison.Ordinal))!;
        var evidence = reply.Substring(flag["start"]!.GetValue<int>(), flag["length"]!.GetValue<int>());
        Assert.Equal(flag["evidence"]!.GetValue<string>(), evidence);
        Assert.Contains(evidence, new[] { "d1ck", "d1ck sucker", "c0ck" });

        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{crude["id"]}/decision", new { action = "reject", reason = "harassment" }), 200);
        Assert.Equal(1, (await service.ReadThreadAsync(site, "her-2013"))["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Site_terms_and_pre_moderation_apply_to_new_comments()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = "spoiler alert", action = "reject" }), 200);
        var rejected = await PostAsync(site, "her-2013", "SPOILER ALERT: she leaves in the end.", "Leaker");
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());

        await Expect.JsonAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", new { preModeration = "all" }), 200);
        var held = await PostAsync(site, "her-2013", SampleText.Line(5), "Careful Reader");
        Assert.Equal("pending", held["status"]!.GetValue<string>());
        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?reason=premoderation.all"), 200);
        Assert.Single(queue["items"]!.AsArray());

        // The author sees their own held comment with the edit token; readers do not.
        using var asAuthor = new HttpRequestMessage(HttpMethod.Get, $"/v1/sites/{site}/comments/{held["id"]}");
        asAuthor.Headers.Add("X-Edit-Token", held["editToken"]!.GetValue<string>());
        Assert.Equal("pending", (await Expect.JsonAsync(await service.Anonymous().SendAsync(asAuthor), 200))["status"]!.GetValue<string>());
        await Expect.ProblemAsync(await service.Anonymous().GetAsync($"/v1/sites/{site}/comments/{held["id"]}"), 404, "not-found");
    }

    [Fact]
    public async Task The_dry_run_check_shows_the_verdict_a_crude_comment_would_get()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var before = await service.ContentChecksumAsync();
        var verdict = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/check",
            new { articleId = "her-2013", authorName = "Anon", body = "you are a f.u.c.k.i.n.g c*nt" }), 200);
        Assert.Equal("pending", verdict["status"]!.GetValue<string>());
        Assert.Contains(verdict["flags"]!.AsArray(), f => f!["reason"]!.GetValue<string>().StartsWith("crude.", StringComparison.Ordinal));
        Assert.Equal("crude-language", verdict["decidedBy"]!.GetValue<string>());
        Assert.Equal(before, await service.ContentChecksumAsync());
    }
}

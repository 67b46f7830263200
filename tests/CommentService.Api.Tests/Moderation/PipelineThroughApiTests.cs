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
}

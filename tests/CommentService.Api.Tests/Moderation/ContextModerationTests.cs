using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Moderation;

/// <summary>Replies judged with their parent in view, through the API: posting, the queue and the dry-run check.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ContextModerationTests(ServiceFixture service)
{
    private const string Article = "her-2013";
    private static int address;

    /// <summary>Posts as a distinct reader: a fresh client address through the trusted loopback proxy.</summary>
    private async Task<JsonObject> PostAsync(string site, string body, string author, Guid? parentId = null)
    {
        var n = Interlocked.Increment(ref address);
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, Article))
        {
            Content = JsonContent.Create(new { authorName = author, body, parentId }),
        };
        request.Headers.Add("X-Forwarded-For", $"198.18.{n / 250 % 250}.{n % 250 + 1}");
        return await Expect.JsonAsync(await service.Anonymous().SendAsync(request), 201);
    }

    private static Guid Id(JsonObject comment) => Guid.Parse(comment["id"]!.GetValue<string>());

    private static string Status(JsonNode verdict) => verdict["status"]!.GetValue<string>();

    private static JsonNode? FlagOf(JsonNode verdict, string reason) =>
        verdict["flags"]!.AsArray().FirstOrDefault(f => f!["reason"]!.GetValue<string>() == reason);

    private async Task<(string Site, HttpClient Moderator)> SiteWithModeratorAsync()
    {
        var site = await service.CreateSiteAsync();
        return (site, service.WithKey(await service.CreateKeyAsync(site, "moderate")));
    }

    [Fact]
    public async Task A_hostile_reply_to_a_named_author_is_held_while_the_same_words_at_the_top_level_are_approved()
    {
        const string words = "Mark is an idiot if he thinks that.";
        var (site, moderator) = await SiteWithModeratorAsync();
        using var _ = moderator;
        var parent = await PostAsync(site, "The ending felt earned to me, the whole second act builds toward it.", "Mark Ellis");
        var reply = await PostAsync(site, words, "Vera", Id(parent));
        Assert.Equal("pending", Status(reply));

        // The same words in a comment of their own, on another site so nothing counts them as a repeat.
        var elsewhere = await service.CreateSiteAsync();
        Assert.Equal("approved", Status(await PostAsync(elsewhere, words, "Vera")));

        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?reason=context.aimed_at_parent"), 200);
        var held = Assert.Single(queue["items"]!.AsArray())!;
        Assert.Equal(reply["id"]!.GetValue<string>(), held["id"]!.GetValue<string>());
        var verdict = held["verdict"]!;
        var aimed = FlagOf(verdict, "context.aimed_at_parent")!;
        Assert.Contains("(Mark Ellis)", aimed["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(aimed["evidence"]!.GetValue<string>(), words.Substring(aimed["start"]!.GetValue<int>(), aimed["length"]!.GetValue<int>()));
        var changed = FlagOf(verdict, "context.changed_outcome")!;
        Assert.Contains("without context", changed["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(FlagOf(verdict, "crude.insult")!["score"]!.GetValue<double>() >= 0.5);
    }

    [Fact]
    public async Task A_hostile_reply_without_crude_words_is_held_and_one_in_friendly_banter_is_not()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        using var _ = moderator;
        var parent = await PostAsync(site, "I thought the soundtrack carried the weaker scenes more than people admit.", "Sam");
        var hostile = await PostAsync(site, "Nobody asked you, Sam. Go away.", "Troll", Id(parent));
        var banter = await PostAsync(site, "Shut up, Sam, this is hilarious 😂 you're killing me.", "Friend", Id(parent));
        Assert.Equal("pending", Status(hostile));
        Assert.Equal("approved", Status(banter));

        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?reason=crude.hostile"), 200);
        var held = Assert.Single(queue["items"]!.AsArray())!;
        Assert.Equal(hostile["id"]!.GetValue<string>(), held["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reply_that_quotes_a_crude_parent_to_object_is_approved_and_its_verdict_says_why()
    {
        const string crude = "Honestly you're all idiots for paying to see this.";
        const string objection = "> you're all idiots\nThat's uncalled for. Disagree all you like but keep it civil.";
        var (site, moderator) = await SiteWithModeratorAsync();
        using var _ = moderator;
        // The crude parent is held, and a moderator lets it through: only approved comments take replies.
        var parent = await PostAsync(site, crude, "Grumpy");
        Assert.Equal("pending", Status(parent));
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{parent["id"]}/decision", new { action = "approve" }), 200);

        var reply = await PostAsync(site, objection, "Dana", Id(parent));
        Assert.Equal("approved", Status(reply));
        var stored = await service.ScalarAsync<string>("SELECT verdict::text FROM comments WHERE id = $1", Id(reply));
        Assert.Contains("context.quotes_parent", stored, StringComparison.Ordinal);
        Assert.Contains("context.changed_outcome", stored, StringComparison.Ordinal);

        // Standing alone, the quoted words are the reply's own and hold it.
        var alone = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/check",
            new { articleId = Article, authorName = "Dana", body = objection }), 200);
        Assert.Equal("pending", Status(alone));
        Assert.Null(FlagOf(alone, "context.quotes_parent"));
    }

    [Fact]
    public async Task The_dry_run_check_takes_the_parents_text_or_id_and_shows_the_context_flags()
    {
        const string parentText = "The ending felt earned to me, the whole second act builds toward it.";
        const string reply = "What an idiot. Only a moron would write that.";
        var (site, moderator) = await SiteWithModeratorAsync();
        using var _ = moderator;
        var before = await service.ContentChecksumAsync();

        var alone = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/check",
            new { articleId = Article, authorName = "Vera", body = reply }), 200);
        Assert.Equal("approved", Status(alone));

        var withText = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/check",
            new { articleId = Article, authorName = "Vera", body = reply, parentBody = parentText, parentAuthorName = "Mark" }), 200);
        Assert.Equal("pending", Status(withText));
        Assert.Equal("crude-language", withText["decidedBy"]!.GetValue<string>());
        var changed = FlagOf(withText, "context.changed_outcome")!;
        Assert.Contains("(Mark)", changed["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("without context", changed["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(FlagOf(withText, "context.aimed_at_parent"));
        Assert.Equal(before, await service.ContentChecksumAsync());

        // The same parent posted for real and named by id gives the same verdict.
        var parent = await PostAsync(site, parentText, "Mark");
        var withId = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/check",
            new { articleId = Article, authorName = "Vera", body = reply, parentId = Id(parent) }), 200);
        Assert.Equal("pending", Status(withId));
        Assert.Equal(
            withText["flags"]!.AsArray().Select(f => f!["reason"]!.GetValue<string>()),
            withId["flags"]!.AsArray().Select(f => f!["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_dry_run_check_refuses_a_parent_given_twice_too_long_or_unknown()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        using var _ = moderator;
        var parent = await PostAsync(site, "The ending felt earned to me.", "Mark");
        var path = $"/v1/sites/{site}/moderation/check";

        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentId = Id(parent), parentBody = "The ending felt earned to me." }),
            400, "validation", "parentBody");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentBody = new string('a', 10_001) }), 400, "validation", "parentBody");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentBody = "Bad \u0001 text" }), 400, "validation", "parentBody");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentBody = "", parentAuthorName = "Mark" }), 400, "validation", "parentBody");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentBody = "Hi.", parentAuthorName = new string('m', 81) }),
            400, "validation", "parentAuthorName");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentAuthorName = "Mark" }), 400, "validation", "parentAuthorName");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentId = Guid.NewGuid() }), 400, "validation", "parentId");

        // A comment of another site is unknown here.
        var other = await service.CreateSiteAsync();
        var foreign = await PostAsync(other, "Somewhere else entirely, a thought about the score.", "Mark");
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(path,
            new { articleId = Article, authorName = "Vera", body = "Go away.", parentId = Id(foreign) }), 400, "validation", "parentId");
    }
}

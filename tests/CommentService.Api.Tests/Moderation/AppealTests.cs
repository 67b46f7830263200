using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Moderation;

/// <summary>Appeals and transparency: what an author is told about a held comment, one appeal, and how moderators close it.</summary>
[Collection(ServiceCollection.Name)]
public sealed class AppealTests(ServiceFixture service)
{
    private const string CrudeBody = "this fucking shit film";

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private static string Token(JsonNode node) => node["editToken"]!.GetValue<string>();

    private async Task<(string Site, HttpClient Moderator)> SiteWithModeratorAsync(object? policy = null)
    {
        var site = await service.CreateSiteAsync();
        var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        if (policy is not null)
        {
            await Expect.JsonAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", policy), 200);
        }
        return (site, moderator);
    }

    private static HttpRequestMessage AsAuthor(HttpMethod method, string url, string? editToken = null, string? userToken = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (editToken is not null)
        {
            request.Headers.Add("X-Edit-Token", editToken);
        }
        if (userToken is not null)
        {
            request.Headers.Add("X-User-Token", userToken);
        }
        return request;
    }

    private async Task<HttpResponseMessage> StatusAsync(string site, string id, string? editToken = null, string? userToken = null)
    {
        using var client = service.Anonymous();
        return await client.SendAsync(AsAuthor(HttpMethod.Get, $"/v1/sites/{site}/comments/{id}/moderation-status", editToken, userToken));
    }

    private async Task<HttpResponseMessage> AppealAsync(string site, string id, object body, string? editToken = null, string? userToken = null)
    {
        using var client = service.Anonymous();
        return await client.SendAsync(AsAuthor(HttpMethod.Post, $"/v1/sites/{site}/comments/{id}/appeal", editToken, userToken, body));
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient moderator, string site, string id, string action, string? reason = null, string? note = null) =>
        moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{id}/decision", new { action, reason, note });

    private static async Task<List<JsonObject>> QueueAsync(HttpClient moderator, string site, string query = "")
    {
        var page = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue{query}"), 200);
        return page["items"]!.AsArray().Select(n => n!.AsObject()).ToList();
    }

    private async Task<JsonObject> HeldCommentAsync(string site, string article, string body)
    {
        var comment = await service.PostCommentAsync(site, article, body);
        Assert.NotEqual("approved", comment["status"]!.GetValue<string>());
        return comment;
    }

    [Fact]
    public async Task The_author_sees_public_reasons_but_never_the_evidence()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var crude = await HeldCommentAsync(site, "reasons", CrudeBody);
        var stored = await service.ScalarAsync<string>("SELECT verdict::text FROM comments WHERE id = $1", Guid.Parse(Id(crude)));
        Assert.Contains("fucking", stored); // the evidence exists, for moderators

        var response = await StatusAsync(site, Id(crude), Token(crude));
        var text = await response.Content.ReadAsStringAsync();
        var status = await Expect.JsonAsync(response, 200);
        Assert.Equal(Id(crude), status["commentId"]!.GetValue<string>());
        Assert.Equal("pending", status["status"]!.GetValue<string>());
        var reason = Assert.Single(status["reasons"]!.AsArray())!;
        Assert.Equal("offensive-language", reason["code"]!.GetValue<string>());
        Assert.Equal("It may contain offensive language.", reason["text"]!.GetValue<string>());
        Assert.True(status["canAppeal"]!.GetValue<bool>());
        Assert.Null(status["appeal"]);
        foreach (var secret in new[] { "fucking", "shit", "crude.", "crude-language", "evidence", "score", "offset", "threshold", "flags", "author.new" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        // A site's own hold term: the author learns that a word is reviewed, not which one.
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = "zeppelin", action = "hold" }), 200);
        var termed = await HeldCommentAsync(site, "reasons", "The zeppelin scene near the end was my favourite part of the film.");
        var termText = await (await StatusAsync(site, Id(termed), Token(termed))).Content.ReadAsStringAsync();
        Assert.Contains("\"site-term\"", termText);
        Assert.DoesNotContain("zeppelin", termText, StringComparison.OrdinalIgnoreCase);

        // Pre-moderation: the site's own policy is the reason.
        await Expect.JsonAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", new { preModeration = "all" }), 200);
        var reviewed = await HeldCommentAsync(site, "reasons", SampleText.Line(2));
        var premoderated = await Expect.JsonAsync(await StatusAsync(site, Id(reviewed), Token(reviewed)), 200);
        Assert.Equal(["site-reviews-all"], premoderated["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_the_authors_credentials_a_held_comment_does_not_exist()
    {
        var (site, _) = await SiteWithModeratorAsync(new { preModeration = "all" });
        var held = await HeldCommentAsync(site, "hidden", SampleText.Line(0));
        var other = await HeldCommentAsync(site, "hidden", SampleText.Line(1));
        var approved = await service.CreateSiteAsync();
        var visible = await service.PostCommentAsync(approved, "open", SampleText.Line(3));

        await Expect.ProblemAsync(await StatusAsync(site, Id(held)), 404, "not-found");
        await Expect.ProblemAsync(await StatusAsync(site, Id(held), "not-the-token"), 404, "not-found");
        await Expect.ProblemAsync(await StatusAsync(site, Id(held), Token(other)), 404, "not-found");
        await Expect.ProblemAsync(await StatusAsync(site, Guid.NewGuid().ToString(), Token(held)), 404, "not-found");
        await Expect.ProblemAsync(await StatusAsync(approved, Id(visible)), 404, "not-found");
        await Expect.ProblemAsync(await StatusAsync("no-such-site", Id(held), Token(held)), 404, "not-found");

        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { message = "Please look again." }), 404, "not-found");
        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { message = "Please look again." }, Token(other)), 404, "not-found");
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM appeals WHERE site_id = $1", site));

        // A moderator sees what the author sees, but does not appeal.
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/comments/{Id(held)}/moderation-status"), 200);
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/comments/{Id(held)}/appeal", new { message = "Mine." }), 403, "forbidden");
    }

    [Fact]
    public async Task An_author_appeals_once_and_sees_the_appeal()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        using var admin = service.Operator();
        await Expect.StatusAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/webhooks",
            new { url = "https://receiver.invalid/hooks", events = new[] { "comment.appealed" } }), 201);
        var held = await HeldCommentAsync(site, "appeal", CrudeBody);

        var response = await AppealAsync(site, Id(held), new { message = "  I was quoting the title of the film.  " }, Token(held));
        Assert.EndsWith($"/comments/{Id(held)}/moderation-status", response.Headers.Location?.ToString());
        var appeal = await Expect.JsonAsync(response, 201);
        Assert.Equal("I was quoting the title of the film.", appeal["message"]!.GetValue<string>());
        Assert.Equal("open", appeal["state"]!.GetValue<string>());
        Assert.Null(appeal["decidedAt"]);

        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { message = "Once more, please." }, Token(held)), 409, "appeal-exists");
        Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM appeals WHERE comment_id = $1", Guid.Parse(Id(held))));

        var status = await Expect.JsonAsync(await StatusAsync(site, Id(held), Token(held)), 200);
        Assert.False(status["canAppeal"]!.GetValue<bool>());
        Assert.Equal("open", status["appeal"]!["state"]!.GetValue<string>());
        Assert.Equal("I was quoting the title of the film.", status["appeal"]!["message"]!.GetValue<string>());
        Assert.Equal("offensive-language", status["reasons"]![0]!["code"]!.GetValue<string>());

        var audit = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit?commentId={Id(held)}"), 200);
        var filed = Assert.Single(audit["items"]!.AsArray())!;
        Assert.Equal("appeal.filed", filed["action"]!.GetValue<string>());
        Assert.Equal("author", filed["actor"]!.GetValue<string>());

        var @event = await service.ScalarAsync<string>("SELECT body FROM webhook_events WHERE site_id = $1 AND type = 'comment.appealed'", site);
        var data = JsonNode.Parse(@event)!["data"]!;
        Assert.Equal(Id(held), data["comment"]!["id"]!.GetValue<string>());
        Assert.Equal("open", data["appeal"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain("authorKey", @event);
        Assert.DoesNotContain("editToken", @event);
    }

    [Fact]
    public async Task The_appeal_message_is_required_and_at_most_500_characters_after_trimming()
    {
        var (site, _) = await SiteWithModeratorAsync(new { preModeration = "all" });
        var held = await HeldCommentAsync(site, "messages", SampleText.Line(4));

        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { message = "" }, Token(held)), 400, "validation", "message");
        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { message = "   \n " }, Token(held)), 400, "validation", "message");
        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { }, Token(held)), 400, "validation", "message");
        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { message = new string('a', 501) }, Token(held)), 400, "validation", "message");
        await Expect.ProblemAsync(await AppealAsync(site, Id(held), new { message = "bell \u0007 inside" }, Token(held)), 400, "validation", "message");
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM appeals WHERE site_id = $1", site));

        var longest = "  " + new string('a', 500) + "  ";
        var appeal = await Expect.JsonAsync(await AppealAsync(site, Id(held), new { message = longest }, Token(held)), 201);
        Assert.Equal(500, appeal["message"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task An_approved_comment_cannot_be_appealed()
    {
        var site = await service.CreateSiteAsync();
        var comment = await service.PostCommentAsync(site, "fine", SampleText.Line(5));
        Assert.Equal("approved", comment["status"]!.GetValue<string>());

        var status = await Expect.JsonAsync(await StatusAsync(site, Id(comment), Token(comment)), 200);
        Assert.Equal("approved", status["status"]!.GetValue<string>());
        Assert.Empty(status["reasons"]!.AsArray());
        Assert.False(status["canAppeal"]!.GetValue<bool>());

        await Expect.ProblemAsync(await AppealAsync(site, Id(comment), new { message = "Just in case." }, Token(comment)), 409, "not-appealable");
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM appeals WHERE site_id = $1", site));
    }

    [Fact]
    public async Task A_moderators_rejection_is_explained_and_can_be_appealed()
    {
        var (site, moderator) = await SiteWithModeratorAsync();
        var comment = await service.PostCommentAsync(site, "rejected", SampleText.Line(6));
        await Expect.JsonAsync(await DecideAsync(moderator, site, Id(comment), "reject", "off-topic", "Not about the film."), 200);

        var status = await Expect.JsonAsync(await StatusAsync(site, Id(comment), Token(comment)), 200);
        Assert.Equal("rejected", status["status"]!.GetValue<string>());
        Assert.Equal(["moderator-decision"], status["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
        Assert.DoesNotContain("Not about the film", status.ToJsonString());
        Assert.True(status["canAppeal"]!.GetValue<bool>());

        await Expect.JsonAsync(await AppealAsync(site, Id(comment), new { message = "It is about the film's ending." }, Token(comment)), 201);
        var appealed = Assert.Single(await QueueAsync(moderator, site, "?appeal=open"));
        Assert.Equal(Id(comment), Id(appealed));
        Assert.Equal("rejected", appealed["status"]!.GetValue<string>());
        Assert.Equal("rejected", appealed["appeal"]!["statusAtAppeal"]!.GetValue<string>());
    }

    [Fact]
    public async Task Open_appeals_have_their_own_queue_filter()
    {
        var (site, moderator) = await SiteWithModeratorAsync(new { preModeration = "all" });
        var quiet = await HeldCommentAsync(site, "queue", SampleText.Line(7));
        var appealed = await HeldCommentAsync(site, "queue", SampleText.Line(8));
        await Expect.JsonAsync(await AppealAsync(site, Id(appealed), new { message = "This is a real review." }, Token(appealed)), 201);

        var open = Assert.Single(await QueueAsync(moderator, site, "?appeal=open"));
        Assert.Equal(Id(appealed), Id(open));
        Assert.Equal("This is a real review.", open["appeal"]!["message"]!.GetValue<string>());
        Assert.Equal("open", open["appeal"]!["state"]!.GetValue<string>());
        Assert.NotNull(open["appeal"]!["createdAt"]);

        var all = await QueueAsync(moderator, site);
        Assert.Equal([Id(quiet), Id(appealed)], all.Select(Id));
        Assert.Null(all[0]["appeal"]);
        Assert.NotNull(all[1]["appeal"]);
        Assert.Equal([Id(quiet)], (await QueueAsync(moderator, site, "?appeal=none")).Select(Id));
        Assert.Empty(await QueueAsync(moderator, site, "?appeal=upheld"));
        Assert.Empty(await QueueAsync(moderator, site, "?appeal=open&status=spam"));

        await Expect.ProblemAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue?appeal=maybe"), 400, "validation", "appeal");
    }

    [Fact]
    public async Task Deciding_an_appealed_comment_closes_the_appeal_and_the_audit_log_shows_it()
    {
        var (site, moderator) = await SiteWithModeratorAsync(new { preModeration = "all" });
        using var admin = service.Operator();
        await Expect.StatusAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/webhooks",
            new { url = "https://receiver.invalid/hooks", events = new[] { "comment.appeal_decided" } }), 201);
        var forgiven = await HeldCommentAsync(site, "decide", SampleText.Line(9));
        var refused = await HeldCommentAsync(site, "decide", SampleText.Line(10));
        foreach (var c in new[] { forgiven, refused })
        {
            await Expect.JsonAsync(await AppealAsync(site, Id(c), new { message = "Please publish this." }, Token(c)), 201);
        }

        var decided = await Expect.JsonAsync(await DecideAsync(moderator, site, Id(forgiven), "approve", note: "Fine on second look."), 200);
        Assert.Equal("overturned", decided["appeal"]!["state"]!.GetValue<string>());
        Assert.StartsWith("key:", decided["appeal"]!["decidedBy"]!.GetValue<string>());
        Assert.Equal("Fine on second look.", decided["appeal"]!["decisionNote"]!.GetValue<string>());

        // Bulk decisions close appeals too.
        var bulk = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/decisions",
            new { action = "spam", ids = new[] { Id(refused) }, reason = "spam" }), 200);
        Assert.Equal(1, bulk["changed"]!.GetValue<int>());

        var forgivenStatus = await Expect.JsonAsync(await StatusAsync(site, Id(forgiven), Token(forgiven)), 200);
        Assert.Equal("approved", forgivenStatus["status"]!.GetValue<string>());
        Assert.Equal("overturned", forgivenStatus["appeal"]!["state"]!.GetValue<string>());
        Assert.NotNull(forgivenStatus["appeal"]!["decidedAt"]);
        Assert.Null(forgivenStatus["appeal"]!["decisionNote"]); // the moderators' note stays with the moderators
        var refusedStatus = await Expect.JsonAsync(await StatusAsync(site, Id(refused), Token(refused)), 200);
        Assert.Equal("upheld", refusedStatus["appeal"]!["state"]!.GetValue<string>());
        Assert.Equal(["moderator-decision"], refusedStatus["reasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()));
        Assert.False(refusedStatus["canAppeal"]!.GetValue<bool>());

        Assert.Empty(await QueueAsync(moderator, site, "?appeal=open"));
        Assert.Equal([Id(refused)], (await QueueAsync(moderator, site, "?appeal=upheld")).Select(Id));
        Assert.Equal([Id(forgiven)], (await QueueAsync(moderator, site, "?appeal=overturned")).Select(Id));

        var audit = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit?commentId={Id(forgiven)}"), 200);
        var actions = audit["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["appeal.filed", "appeal.overturned", "approve"], actions);
        var overturned = audit["items"]!.AsArray().Single(e => e!["action"]!.GetValue<string>() == "appeal.overturned")!;
        Assert.Equal("pending", overturned["fromStatus"]!.GetValue<string>());
        Assert.Equal("approved", overturned["toStatus"]!.GetValue<string>());
        Assert.StartsWith("key:", overturned["actor"]!.GetValue<string>());
        var refusedAudit = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit?commentId={Id(refused)}"), 200);
        Assert.Contains(refusedAudit["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "appeal.upheld" && e["toStatus"]!.GetValue<string>() == "spam");

        var events = new List<JsonNode>();
        await using (var cmd = service.Sql.CreateCommand("SELECT body FROM webhook_events WHERE site_id = $1 AND type = 'comment.appeal_decided' ORDER BY occurred_at"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = site });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add(JsonNode.Parse(reader.GetString(0))!);
            }
        }
        Assert.Equal(["overturned", "upheld"], events.Select(e => e["data"]!["appeal"]!["state"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Null(e["data"]!["appeal"]!["decisionNote"]));
    }

    [Fact]
    public async Task A_comment_under_appeal_cannot_be_edited_by_its_author()
    {
        var (site, _) = await SiteWithModeratorAsync(new { preModeration = "all" });
        var held = await HeldCommentAsync(site, "edit", SampleText.Line(11));
        await Expect.JsonAsync(await AppealAsync(site, Id(held), new { message = "Please read it again." }, Token(held)), 201);

        using var client = service.Anonymous();
        var edit = AsAuthor(HttpMethod.Patch, $"/v1/sites/{site}/comments/{Id(held)}", Token(held), body: new { body = "Something else entirely now." });
        await Expect.ProblemAsync(await client.SendAsync(edit), 409, "conflict");
        Assert.Equal(SampleText.Line(11), await service.ScalarAsync<string>("SELECT body FROM comments WHERE id = $1", Guid.Parse(Id(held))));
    }

    [Fact]
    public async Task A_signed_in_author_uses_the_user_token_and_no_one_else_can()
    {
        var (site, _) = await SiteWithModeratorAsync(new { preModeration = "all" });
        using var admin = service.Operator();
        var secret = (await Expect.JsonAsync(await admin.PostAsync($"/v1/sites/{site}/user-token-secret", JsonContent.Create(new { })), 201))["secret"]!.GetValue<string>();
        var mine = UserToken(secret, "author-7", "Simone");
        var theirs = UserToken(secret, "reader-8", "Marcus");

        using var client = service.Anonymous();
        var post = AsAuthor(HttpMethod.Post, ServiceFixture.CommentsPath(site, "signed"), userToken: mine, body: new { authorName = "Simone", body = SampleText.Line(12) });
        var comment = await Expect.JsonAsync(await client.SendAsync(post), 201);
        Assert.Equal("pending", comment["status"]!.GetValue<string>());

        var status = await Expect.JsonAsync(await StatusAsync(site, Id(comment), userToken: mine), 200);
        Assert.True(status["canAppeal"]!.GetValue<bool>());
        await Expect.ProblemAsync(await StatusAsync(site, Id(comment), userToken: theirs), 404, "not-found");
        await Expect.ProblemAsync(await AppealAsync(site, Id(comment), new { message = "Not mine to appeal." }, userToken: theirs), 404, "not-found");
        await Expect.ProblemAsync(await StatusAsync(site, Id(comment), userToken: UserToken("not-the-secret", "author-7", "Simone")), 401, "unauthorized");

        var appeal = await Expect.JsonAsync(await AppealAsync(site, Id(comment), new { message = "Signed in and appealing." }, userToken: mine), 201);
        Assert.Equal("open", appeal["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_browser_on_the_sites_origin_may_call_the_appeal_routes()
    {
        var (site, _) = await SiteWithModeratorAsync(new { preModeration = "all" });
        var held = await HeldCommentAsync(site, "cors", SampleText.Line(13));
        using var client = service.Anonymous();
        foreach (var route in new[] { "moderation-status", "appeal" })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/v1/sites/{site}/comments/{Id(held)}/{route}");
            preflight.Headers.Add("Origin", "https://blog.example");
            preflight.Headers.Add("Access-Control-Request-Method", route == "appeal" ? "POST" : "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "x-edit-token");
            using var answer = await client.SendAsync(preflight);
            await Expect.StatusAsync(answer, 204);
            Assert.Equal("https://blog.example", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
    }

    [Fact]
    public async Task Appeals_are_rate_limited_per_author()
    {
        await using var limited = ExtraService.Start(service.ConnectionString,
            ("Comments:RateLimits:Appeals:PerAuthorPerMinute", "1"),
            ("Comments:RateLimits:Appeals:PerAuthorPerHour", "1"));
        Assert.True(await limited.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the service did not become ready");
        var (site, _) = await SiteWithModeratorAsync(new { preModeration = "all" });
        var address = $"2001:db8:a9:{Random.Shared.Next(1, 0xffff):x}::{Random.Shared.Next(1, 0xffff):x}";

        using var client = limited.Anonymous();
        async Task<JsonObject> PostAsync(string body)
        {
            var post = AsAuthor(HttpMethod.Post, ServiceFixture.CommentsPath(site, "limits"), body: new { authorName = "Same Author", body });
            post.Headers.Add("X-Forwarded-For", address);
            return await Expect.JsonAsync(await client.SendAsync(post), 201);
        }
        async Task<HttpResponseMessage> AppealLimitedAsync(JsonObject c)
        {
            var appeal = AsAuthor(HttpMethod.Post, $"/v1/sites/{site}/comments/{Id(c)}/appeal", Token(c), body: new { message = "Please look again." });
            appeal.Headers.Add("X-Forwarded-For", address);
            return await client.SendAsync(appeal);
        }
        var first = await PostAsync(SampleText.Line(14));
        var second = await PostAsync(SampleText.Line(15));

        await Expect.JsonAsync(await AppealLimitedAsync(first), 201);
        var refused = await AppealLimitedAsync(second);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 carries Retry-After");
        await Expect.ProblemAsync(refused, 429, "rate-limited");
        Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM appeals WHERE site_id = $1", site));
    }

    [Fact]
    public async Task The_appeal_and_its_decision_reach_the_sites_webhook()
    {
        // FastEndpoints builds a validator through the most recently started service in this process: let the shared
        // service build its webhook validator (loopback refused) before this test's instance (loopback allowed) starts.
        using (var shared = service.Operator())
        {
            await Expect.ProblemAsync(await shared.PostAsJsonAsync($"/v1/sites/{await service.CreateSiteAsync()}/webhooks",
                new { url = "http://127.0.0.1/hook", events = new[] { "comment.appealed" } }), 400, "validation", "url");
        }
        await using var receiver = await WebhookReceiver.StartAsync();
        var connection = await ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, "comments_appeals_" + Guid.NewGuid().ToString("N")[..10]);
        await using var instance = ExtraService.Start(connection,
            ("Comments:Webhooks:AllowPrivateNetworks", "true"),
            ("Comments:Webhooks:PollIntervalMilliseconds", "100"),
            ("Comments:RateLimits:Enabled", "false"));
        Assert.True(await instance.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the service did not become ready");

        var site = "appeals-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = instance.Operator();
        await Expect.StatusAsync(await admin.PostAsJsonAsync("/v1/sites", new { id = site, name = "Appeals" }), 201);
        await Expect.JsonAsync(await admin.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", new { preModeration = "all" }), 200);
        var hook = await Expect.JsonAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/webhooks",
            new { url = receiver.Url, events = new[] { "comment.appealed", "comment.appeal_decided" } }), 201);

        using var reader = instance.Anonymous();
        var post = AsAuthor(HttpMethod.Post, ServiceFixture.CommentsPath(site, "hooked"),
            body: new { authorName = "Ada", authorEmail = "ada@example.com", body = SampleText.Line(1) });
        var comment = await Expect.JsonAsync(await reader.SendAsync(post), 201);
        await Expect.JsonAsync(await reader.SendAsync(AsAuthor(HttpMethod.Post, $"/v1/sites/{site}/comments/{Id(comment)}/appeal", Token(comment),
            body: new { message = "It is an ordinary review." })), 201);
        await Expect.JsonAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{Id(comment)}/decision", new { action = "approve" }), 200);

        var requests = await receiver.WaitForAsync(r => r.Select(x => x.Event).Distinct().Count() == 2, TimeSpan.FromSeconds(30), "both appeal events");
        var appealed = requests.First(r => r.Event == "comment.appealed");
        var decided = requests.First(r => r.Event == "comment.appeal_decided");
        var secret = hook["secret"]!.GetValue<string>();
        Assert.True(WebhookReceiver.SignatureIsValid(decided.Signature, decided.Body, secret, TimeSpan.FromMinutes(5)));
        Assert.Equal("open", appealed.Json["data"]!["appeal"]!["state"]!.GetValue<string>());
        Assert.Equal("It is an ordinary review.", appealed.Json["data"]!["appeal"]!["message"]!.GetValue<string>());
        Assert.Equal("overturned", decided.Json["data"]!["appeal"]!["state"]!.GetValue<string>());
        Assert.Equal("pending", decided.Json["data"]!["previousStatus"]!.GetValue<string>());
        Assert.Equal("approved", decided.Json["data"]!["comment"]!["status"]!.GetValue<string>());
        Assert.Equal(Id(comment), decided.Json["data"]!["comment"]!["id"]!.GetValue<string>());
        foreach (var body in new[] { appealed.Body, decided.Body })
        {
            Assert.DoesNotContain("ada@example.com", body);
            Assert.DoesNotContain("authorKey", body);
            Assert.DoesNotContain(Token(comment), body);
        }
    }

    /// <summary>A site's signed user token, as its backend would make it (HS256).</summary>
    private static string UserToken(string secret, string userId, string name)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(new { sub = userId, name, exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }));
        var signature = B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body)));
        return $"{head}.{body}.{signature}";
    }
}

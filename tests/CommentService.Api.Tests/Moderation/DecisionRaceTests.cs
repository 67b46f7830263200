using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Moderation;

/// <summary>
/// Two moderators deciding one comment at the same moment, repeated: with If-Match exactly one decision
/// applies and the other gets 412; without it a second identical decision gets 409. The audit log holds
/// exactly the decision that won.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class DecisionRaceTests(ServiceFixture service, ITestOutputHelper output)
{
    private const int Races = 25;

    private sealed record Moderator(HttpClient Client, string KeyId);

    private async Task<(string Site, Moderator A, Moderator B)> HeldSiteAsync()
    {
        var site = await service.CreateSiteAsync();
        var a = await ModeratorAsync(site);
        var b = await ModeratorAsync(site);
        await Expect.JsonAsync(await a.Client.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", new { preModeration = "all" }), 200);
        return (site, a, b);
    }

    private async Task<Moderator> ModeratorAsync(string site)
    {
        using var op = service.Operator();
        var created = await Expect.JsonAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/keys", new { name = "moderator", scopes = new[] { "moderate" } }), 201);
        return new Moderator(service.WithKey(created["key"]!.GetValue<string>()), created["id"]!.GetValue<string>());
    }

    private static async Task<HttpResponseMessage> DecideAsync(Moderator m, string site, string id, string action, string? ifMatch, SemaphoreSlim start)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sites/{site}/moderation/comments/{id}/decision")
        {
            Content = JsonContent.Create(new { action }),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        await start.WaitAsync();
        return await m.Client.SendAsync(request);
    }

    private async Task<List<JsonObject>> AuditOfAsync(Moderator m, string site, string id)
    {
        var audit = await Expect.JsonAsync(await m.Client.GetAsync($"/v1/sites/{site}/moderation/audit?commentId={id}"), 200);
        return [.. audit["items"]!.AsArray().Select(e => e!.AsObject())];
    }

    [Fact]
    public async Task With_If_Match_one_of_two_different_simultaneous_decisions_wins_and_the_other_gets_412()
    {
        var (site, a, b) = await HeldSiteAsync();
        var ids = new List<string>();
        for (var i = 0; i < Races; i++)
        {
            var posted = await service.PostCommentAsync(site, "contested", SampleText.Line(i), author: $"Writer {i}");
            Assert.Equal("pending", posted["status"]!.GetValue<string>());
            ids.Add(posted["id"]!.GetValue<string>());
        }
        // Both moderators load the queue, so both hold the same ETag for every comment.
        var queue = await Expect.JsonAsync(await a.Client.GetAsync($"/v1/sites/{site}/moderation/queue?limit=100"), 200);
        var etags = queue["items"]!.AsArray().ToDictionary(c => c!["id"]!.GetValue<string>(), c => c!["etag"]!.GetValue<string>());
        Assert.Equal(Races, etags.Count);

        var winsA = 0;
        var winsB = 0;
        foreach (var id in ids)
        {
            using var start = new SemaphoreSlim(0);
            var byA = DecideAsync(a, site, id, "approve", etags[id], start);
            var byB = DecideAsync(b, site, id, "reject", etags[id], start);
            start.Release(2);
            using var answerA = await byA;
            using var answerB = await byB;

            var statuses = new[] { (int)answerA.StatusCode, (int)answerB.StatusCode };
            Assert.True(statuses.Order().SequenceEqual([200, 412]), $"race on {id}: {statuses[0]} and {statuses[1]}");
            var (winner, loser, won, action) = statuses[0] == 200 ? (a, answerB, answerA, "approve") : (b, answerA, answerB, "reject");
            _ = winner == a ? winsA++ : winsB++;
            await Expect.ProblemAsync(loser, 412, "precondition-failed");
            var decided = await Expect.JsonAsync(won, 200);
            Assert.NotEqual(etags[id], won.Headers.ETag?.Tag);
            Assert.Equal(decided["etag"]!.GetValue<string>(), won.Headers.ETag?.Tag);

            var audit = await AuditOfAsync(a, site, id);
            var entry = Assert.Single(audit);
            Assert.Equal($"key:{winner.KeyId}", entry["actor"]!.GetValue<string>());
            Assert.Equal(action == "approve" ? "approved" : "rejected", entry["toStatus"]!.GetValue<string>());
            Assert.Equal(action == "approve" ? "approved" : "rejected",
                await service.ScalarAsync<string>("SELECT status FROM comments WHERE id = $1", Guid.Parse(id)));
        }
        output.WriteLine($"{Races} races with If-Match: {Races} decisions applied, {Races} answered 412 (A won {winsA}, B won {winsB}); 500s: 0");

        // The loser reloads, sees the new state and ETag, and may decide again on purpose.
        using var get = await b.Client.GetAsync($"/v1/sites/{site}/comments/{ids[0]}");
        await Expect.StatusAsync(get, 200);
        Assert.NotNull(get.Headers.ETag);
        using var again = await DecideAsync(b, site, ids[0], "spam", get.Headers.ETag!.Tag, new SemaphoreSlim(1));
        Assert.Equal("spam", (await Expect.JsonAsync(again, 200))["status"]!.GetValue<string>());
        Assert.Equal(2, (await AuditOfAsync(a, site, ids[0])).Count);
    }

    [Fact]
    public async Task Without_If_Match_one_of_two_identical_simultaneous_decisions_wins_and_the_other_gets_409()
    {
        var (site, a, b) = await HeldSiteAsync();
        for (var i = 0; i < Races; i++)
        {
            var id = (await service.PostCommentAsync(site, "same-action", SampleText.Line(i), author: $"Writer {i}"))["id"]!.GetValue<string>();
            using var start = new SemaphoreSlim(0);
            var byA = DecideAsync(a, site, id, "approve", null, start);
            var byB = DecideAsync(b, site, id, "approve", null, start);
            start.Release(2);
            using var answerA = await byA;
            using var answerB = await byB;

            var statuses = new[] { (int)answerA.StatusCode, (int)answerB.StatusCode };
            Assert.True(statuses.Order().SequenceEqual([200, 409]), $"race on {id}: {statuses[0]} and {statuses[1]}");
            await Expect.ProblemAsync(statuses[0] == 409 ? answerA : answerB, 409, "conflict");
            var winner = statuses[0] == 200 ? a : b;
            var entry = Assert.Single(await AuditOfAsync(a, site, id));
            Assert.Equal($"key:{winner.KeyId}", entry["actor"]!.GetValue<string>());
            Assert.Equal("approved", entry["toStatus"]!.GetValue<string>());
        }
        output.WriteLine($"{Races} races without If-Match: {Races} decisions applied, {Races} answered 409; 500s: 0");
    }

    [Fact]
    public async Task A_stale_If_Match_after_an_edit_or_an_appeal_is_412_and_a_malformed_one_is_400()
    {
        var (site, a, _) = await HeldSiteAsync();
        var posted = await service.PostCommentAsync(site, "stale", SampleText.Line(200));
        var id = posted["id"]!.GetValue<string>();
        using var get = await a.Client.GetAsync($"/v1/sites/{site}/comments/{id}");
        var seen = get.Headers.ETag!.Tag;

        // The author appeals the held comment: a moderator deciding on what they saw before gets 412.
        using var appeal = new HttpRequestMessage(HttpMethod.Post, $"/v1/sites/{site}/comments/{id}/appeal") { Content = JsonContent.Create(new { message = "Please look again." }) };
        appeal.Headers.Add("X-Edit-Token", posted["editToken"]!.GetValue<string>());
        using var appealed = await service.Anonymous().SendAsync(appeal);
        Assert.True(appealed.IsSuccessStatusCode, $"appeal: {(int)appealed.StatusCode} {await appealed.Content.ReadAsStringAsync()}");
        await Expect.ProblemAsync(await DecideAsync(a, site, id, "approve", seen, new SemaphoreSlim(1)), 412, "precondition-failed");
        Assert.Equal("pending", await service.ScalarAsync<string>("SELECT status FROM comments WHERE id = $1", Guid.Parse(id)));

        // Weak tags never match If-Match; * matches any current state; garbage is 400 naming the header.
        await Expect.ProblemAsync(await DecideAsync(a, site, id, "approve", "W/" + seen, new SemaphoreSlim(1)), 412, "precondition-failed");
        await Expect.ProblemAsync(await DecideAsync(a, site, id, "approve", "m1", new SemaphoreSlim(1)), 400, "validation", "If-Match");
        await Expect.StatusAsync(await DecideAsync(a, site, id, "approve", "*", new SemaphoreSlim(1)), 200);
    }
}

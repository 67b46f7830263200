using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

[Collection(ServiceCollection.Name)]
public sealed class VoteAndReportTests(ServiceFixture service)
{
    private static string NewReader() => "reader-" + Guid.NewGuid().ToString("N");

    private async Task<HttpResponseMessage> VoteAsync(string site, string id, int value, string? reader, string? address = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/sites/{site}/comments/{id}/vote") { Content = JsonContent.Create(new { value }) };
        if (reader is not null)
        {
            request.Headers.Add("X-Reader-Token", reader);
        }
        if (address is not null)
        {
            request.Headers.Add("X-Forwarded-For", address);
        }
        return await service.Anonymous().SendAsync(request);
    }

    private async Task<HttpResponseMessage> ReportAsync(string site, string id, string reader, string reason = "abuse")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/sites/{site}/comments/{id}/reports") { Content = JsonContent.Create(new { reason }) };
        request.Headers.Add("X-Reader-Token", reader);
        return await service.Anonymous().SendAsync(request);
    }

    private static string Id(JsonNode n) => n["id"]!.GetValue<string>();

    [Fact]
    public async Task A_reader_votes_once_changes_the_vote_and_takes_it_back()
    {
        var site = await service.CreateSiteAsync();
        var id = Id(await service.PostCommentAsync(site, "votes"));
        var reader = NewReader();

        var up = await Expect.JsonAsync(await VoteAsync(site, id, 1, reader), 200);
        Assert.Equal((1, 0, 1, 1), (up["upvotes"]!.GetValue<int>(), up["downvotes"]!.GetValue<int>(), up["score"]!.GetValue<int>(), up["myVote"]!.GetValue<int>()));
        var again = await Expect.JsonAsync(await VoteAsync(site, id, 1, reader), 200);
        Assert.Equal(1, again["upvotes"]!.GetValue<int>());
        var down = await Expect.JsonAsync(await VoteAsync(site, id, -1, reader), 200);
        Assert.Equal((0, 1, -1), (down["upvotes"]!.GetValue<int>(), down["downvotes"]!.GetValue<int>(), down["score"]!.GetValue<int>()));
        var other = await Expect.JsonAsync(await VoteAsync(site, id, 1, NewReader()), 200);
        Assert.Equal(0, other["score"]!.GetValue<int>());
        var back = await Expect.JsonAsync(await VoteAsync(site, id, 0, reader), 200);
        Assert.Equal((1, 0, 1), (back["upvotes"]!.GetValue<int>(), back["downvotes"]!.GetValue<int>(), back["score"]!.GetValue<int>()));
        Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM comment_votes WHERE comment_id = $1", Guid.Parse(id)));

        var fetched = await Expect.JsonAsync(await service.Anonymous().GetAsync($"/v1/sites/{site}/comments/{id}"), 200);
        Assert.Equal(1, fetched["score"]!.GetValue<int>());
    }

    [Fact]
    public async Task Votes_need_a_reader_identity_and_an_approved_comment()
    {
        var site = await service.CreateSiteAsync();
        var id = Id(await service.PostCommentAsync(site, "votes"));
        await Expect.ProblemAsync(await VoteAsync(site, id, 1, null), 400, "validation", "X-Reader-Token");
        await Expect.ProblemAsync(await VoteAsync(site, id, 1, "short"), 400, "validation", "X-Reader-Token");
        await Expect.ProblemAsync(await VoteAsync(site, id, 2, NewReader()), 400, "validation", "value");
        await Expect.ProblemAsync(await VoteAsync(site, Guid.NewGuid().ToString(), 1, NewReader()), 404, "not-found");
    }

    [Fact]
    public async Task The_same_reader_token_from_another_address_is_another_reader()
    {
        var site = await service.CreateSiteAsync();
        var id = Id(await service.PostCommentAsync(site, "votes"));
        var reader = NewReader();
        await Expect.JsonAsync(await VoteAsync(site, id, 1, reader, "203.0.113.10"), 200);
        var second = await Expect.JsonAsync(await VoteAsync(site, id, 1, reader, "203.0.113.11"), 200);
        Assert.Equal(2, second["upvotes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_votes_are_all_counted_exactly()
    {
        var site = await service.CreateSiteAsync();
        var id = Id(await service.PostCommentAsync(site, "votes"));
        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => VoteAsync(site, id, i % 3 == 0 ? -1 : 1, NewReader())));
        Assert.All(answers, a => Assert.Equal(200, (int)a.StatusCode));
        var fetched = await Expect.JsonAsync(await service.Anonymous().GetAsync($"/v1/sites/{site}/comments/{id}"), 200);
        Assert.Equal((40, 20, 20), (fetched["upvotes"]!.GetValue<int>(), fetched["downvotes"]!.GetValue<int>(), fetched["score"]!.GetValue<int>()));
        Assert.Equal(60L, await service.ScalarAsync<long>("SELECT count(*) FROM comment_votes WHERE comment_id = $1", Guid.Parse(id)));
    }

    [Fact]
    public async Task Sort_top_orders_by_score_and_pages_with_a_cursor()
    {
        var site = await service.CreateSiteAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(Id(await service.PostCommentAsync(site, "top", SampleText.Line(i))));
        }
        foreach (var (index, votes) in new[] { (2, 3), (0, 1), (3, 1) })
        {
            for (var v = 0; v < votes; v++)
            {
                await Expect.JsonAsync(await VoteAsync(site, ids[index], 1, NewReader()), 200);
            }
        }
        await Expect.JsonAsync(await VoteAsync(site, ids[1], -1, NewReader()), 200);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await service.ReadThreadAsync(site, "top", "?sort=top&limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page["items"]!.AsArray().Select(n => Id(n!)));
            cursor = page["nextCursor"]?.GetValue<string>();
        } while (cursor is not null);
        Assert.Equal([ids[2], ids[0], ids[3], ids[1]], seen);
    }

    [Fact]
    public async Task Enough_reports_send_a_comment_back_to_the_queue_once_per_reader()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var id = Id(await service.PostCommentAsync(site, "reports", "Something readers dislike."));
        var first = NewReader();
        await Expect.JsonAsync(await ReportAsync(site, id, first), 202);
        await Expect.JsonAsync(await ReportAsync(site, id, first), 202);
        await Expect.JsonAsync(await ReportAsync(site, id, NewReader(), "spam"), 202);
        Assert.Equal(1, (await service.ReadThreadAsync(site, "reports"))["totalCount"]!.GetValue<int>());

        await Expect.JsonAsync(await ReportAsync(site, id, NewReader(), "offtopic"), 202);
        Assert.Equal(0, (await service.ReadThreadAsync(site, "reports"))["totalCount"]!.GetValue<int>());
        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue"), 200);
        var held = Assert.Single(queue["items"]!.AsArray())!;
        Assert.Equal(id, Id(held));
        Assert.Equal(3, held["reportCount"]!.GetValue<int>());
        var audit = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit?commentId={id}"), 200);
        Assert.Equal("readers", audit["items"]![0]!["actor"]!.GetValue<string>());

        await Expect.ProblemAsync(await ReportAsync(site, id, NewReader(), "boring"), 400, "validation", "reason");
        await Expect.ProblemAsync(await ReportAsync(site, id, NewReader()), 404, "not-found");
    }
}

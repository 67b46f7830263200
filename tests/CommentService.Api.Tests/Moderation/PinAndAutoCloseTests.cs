using System.Net.Http.Json;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Moderation;

[Collection(ServiceCollection.Name)]
public sealed class PinAndAutoCloseTests(ServiceFixture service)
{
    [Fact]
    public async Task A_pinned_comment_leads_the_first_page_once_and_can_be_unpinned()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await service.PostCommentAsync(site, "pins", SampleText.Line(i)))["id"]!.GetValue<string>());
        }
        var reply = await service.PostCommentAsync(site, "pins", "A reply", Guid.Parse(ids[0]));

        var pinned = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{ids[2]}/pin", new { pinned = true }), 200);
        Assert.True(pinned["pinned"]!.GetValue<bool>());

        var first = await service.ReadThreadAsync(site, "pins", "?limit=2");
        Assert.Equal([ids[2], ids[0], ids[1]], first["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
        Assert.True(first["items"]![0]!["pinned"]!.GetValue<bool>());
        var second = await service.ReadThreadAsync(site, "pins", "?limit=2&cursor=" + first["nextCursor"]!.GetValue<string>());
        Assert.Equal([ids[3]], second["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));

        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{reply["id"]}/pin", new { pinned = true }), 400, "validation", "commentId");
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{ids[2]}/pin", new { pinned = false }), 200);
        var unpinned = await service.ReadThreadAsync(site, "pins");
        Assert.Equal(ids, unpinned["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Threads_close_by_themselves_after_the_sites_number_of_days()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        await Expect.JsonAsync(await admin.PatchAsJsonAsync($"/v1/sites/{site}", new { autoCloseAfterDays = 30 }), 200);
        await service.PostCommentAsync(site, "old-article", "First.");
        await service.PostCommentAsync(site, "old-article", "Still open.");

        await using (var cmd = service.Sql.CreateCommand("UPDATE threads SET created_at = now() - interval '31 days' WHERE site_id = $1"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = site });
            await cmd.ExecuteNonQueryAsync();
        }
        var page = await service.ReadThreadAsync(site, "old-article");
        Assert.True(page["closed"]!.GetValue<bool>());
        await Expect.ProblemAsync(await service.Anonymous().PostAsJsonAsync(ServiceFixture.CommentsPath(site, "old-article"),
            new { authorName = "Late", body = "Too late." }), 409, "thread-closed");

        await Expect.JsonAsync(await admin.PatchAsJsonAsync($"/v1/sites/{site}", new { autoCloseAfterDays = 0 }), 200);
        await service.PostCommentAsync(site, "old-article", "Open again once the site turns it off.");
    }
}

using System.Net.Http.Json;
using System.Text;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Moderation;

[Collection(ServiceCollection.Name)]
public sealed class ThreadModerationTests(ServiceFixture service)
{
    [Fact]
    public async Task A_closed_thread_stays_readable_and_refuses_new_comments_with_409()
    {
        var site = await service.CreateSiteAsync();
        var first = await service.PostCommentAsync(site, "closing/soon", "Before closing.");
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var closed = await Expect.JsonAsync(await moderator.PatchAsJsonAsync(
            $"/v1/sites/{site}/moderation/articles/{Uri.EscapeDataString("closing/soon")}", new { closed = true, title = "Closing soon" }), 200);
        Assert.True(closed["closed"]!.GetValue<bool>());

        var before = await service.ContentChecksumAsync();
        using var anonymous = service.Anonymous();
        var response = await anonymous.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "closing/soon"),
            new { authorName = "Late", body = "Too late.", parentId = first["id"]!.GetValue<string>() });
        await Expect.ProblemAsync(response, 409, "thread-closed");
        Assert.Equal(before, await service.ContentChecksumAsync());

        var page = await service.ReadThreadAsync(site, "closing/soon");
        Assert.True(page["closed"]!.GetValue<bool>());
        Assert.Equal("Closing soon", page["title"]!.GetValue<string>());
        Assert.Single(page["items"]!.AsArray());
    }

    [Fact]
    public async Task An_article_can_be_closed_before_its_first_comment()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.JsonAsync(await moderator.PatchAsJsonAsync($"/v1/sites/{site}/moderation/articles/quiet", new { closed = true }), 200);
        using var anonymous = service.Anonymous();
        await Expect.ProblemAsync(await anonymous.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "quiet"),
            new { authorName = "A", body = "hello" }), 409, "thread-closed");
    }

    [Fact]
    public async Task Closing_a_thread_needs_the_moderate_scope_on_that_site()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        using var writer = service.WithKey(await service.CreateKeyAsync(site, "comments:write"));
        using var foreign = service.WithKey(await service.CreateKeyAsync(other, "moderate"));
        using var anonymous = service.Anonymous();
        await Expect.ProblemAsync(await anonymous.PatchAsJsonAsync($"/v1/sites/{site}/moderation/articles/a", new { closed = true }), 401, "unauthorized");
        await Expect.ProblemAsync(await writer.PatchAsJsonAsync($"/v1/sites/{site}/moderation/articles/a", new { closed = true }), 403, "forbidden");
        await Expect.ProblemAsync(await foreign.PatchAsJsonAsync($"/v1/sites/{site}/moderation/articles/a", new { closed = true }), 403, "forbidden");
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM threads WHERE site_id = $1", site));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_a_problem()
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var anonymous = service.Anonymous();
        var response = await anonymous.PostAsync(ServiceFixture.CommentsPath(site, "a"),
            new StringContent("authorName=A&body=hi", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await Expect.ProblemAsync(response, 415, "unsupported-media-type");
        await Expect.ProblemAsync(await anonymous.PostAsync(ServiceFixture.CommentsPath(site, "a"), null), 415, "unsupported-media-type");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }
}

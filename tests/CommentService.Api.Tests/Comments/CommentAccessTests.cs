using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

[Collection(ServiceCollection.Name)]
public sealed class CommentAccessTests(ServiceFixture service)
{
    private static HttpRequestMessage Delete(string site, string id, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sites/{site}/comments/{id}");
        if (token is not null)
        {
            request.Headers.Add("X-Edit-Token", token);
        }
        return request;
    }

    [Fact]
    public async Task Deleting_an_already_deleted_comment_still_needs_its_token()
    {
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "twice");
        var id = created["id"]!.GetValue<string>();
        var token = created["editToken"]!.GetValue<string>();
        using var client = service.Anonymous();
        await Expect.StatusAsync(await client.SendAsync(Delete(site, id, token)), 204);

        await Expect.ProblemAsync(await client.SendAsync(Delete(site, id)), 401, "unauthorized");
        await Expect.ProblemAsync(await client.SendAsync(Delete(site, id, "not-the-token")), 403, "forbidden");
        await Expect.StatusAsync(await client.SendAsync(Delete(site, id, token)), 204);
    }

    [Fact]
    public async Task A_moderate_key_reads_comments_without_also_holding_comments_read()
    {
        var site = await service.CreateSiteAsync();
        var id = (await service.PostCommentAsync(site, "modread"))["id"]!.GetValue<string>();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/comments/{id}"), 200);
        await Expect.JsonAsync(await moderator.GetAsync(ServiceFixture.CommentsPath(site, "modread")), 200);
    }

    [Fact]
    public async Task Deleted_comments_are_gone_for_their_author_but_not_for_moderators()
    {
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "gone");
        var id = created["id"]!.GetValue<string>();
        var token = created["editToken"]!.GetValue<string>();
        using var client = service.Anonymous();
        await Expect.StatusAsync(await client.SendAsync(Delete(site, id, token)), 204);

        using var asAuthor = new HttpRequestMessage(HttpMethod.Get, $"/v1/sites/{site}/comments/{id}");
        asAuthor.Headers.Add("X-Edit-Token", token);
        await Expect.ProblemAsync(await client.SendAsync(asAuthor), 404, "not-found");

        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var seen = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/comments/{id}"), 200);
        Assert.Equal("deleted", seen["status"]!.GetValue<string>());
        Assert.Equal("", seen["body"]!.GetValue<string>());
    }
}

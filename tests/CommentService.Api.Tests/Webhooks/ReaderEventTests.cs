using System.Net.Http.Json;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Webhooks;

[Collection(ServiceCollection.Name)]
public sealed class ReaderEventTests(ServiceFixture service)
{
    [Fact]
    public async Task Reports_raise_comment_reported_and_the_threshold_raises_comment_held()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        await Expect.StatusAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/webhooks",
            new { url = "https://receiver.invalid/hooks", events = new[] { "comment.reported", "comment.held" } }), 201);
        var id = (await service.PostCommentAsync(site, "reported", SampleText.Line(3)))["id"]!.GetValue<string>();

        for (var i = 0; i < 3; i++)
        {
            using var report = new HttpRequestMessage(HttpMethod.Post, $"/v1/sites/{site}/comments/{id}/reports") { Content = JsonContent.Create(new { reason = "abuse" }) };
            report.Headers.Add("X-Reader-Token", "reader-token-" + Guid.NewGuid().ToString("N"));
            await Expect.StatusAsync(await service.Anonymous().SendAsync(report), 202);
        }

        Assert.Equal(3L, await service.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE site_id = $1 AND type = 'comment.reported'", site));
        Assert.Equal(1L, await service.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE site_id = $1 AND type = 'comment.held'", site));
        var held = await service.ScalarAsync<string>("SELECT body FROM webhook_events WHERE site_id = $1 AND type = 'comment.held'", site);
        Assert.Contains(id, held);
        Assert.Contains("\"reports\"", held);
    }
}

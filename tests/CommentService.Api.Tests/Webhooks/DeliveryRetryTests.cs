using System.Net.Http.Json;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Webhooks;

[Collection(ServiceCollection.Name)]
public sealed class DeliveryRetryTests(ServiceFixture service)
{
    [Fact]
    public async Task A_failed_delivery_is_queued_again_with_a_fresh_count_and_a_pending_one_is_refused()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        var hook = (await Expect.JsonAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/webhooks",
            new { url = "https://receiver.invalid/hooks", events = new[] { "comment.created" } }), 201))["id"]!.GetValue<string>();
        await service.PostCommentAsync(site, "retry", SampleText.Line(4));
        var delivery = await service.ScalarAsync<Guid>("SELECT d.id FROM webhook_deliveries d WHERE d.webhook_id = $1", Guid.Parse(hook));
        var retry = $"/v1/sites/{site}/webhooks/{hook}/deliveries/{delivery}/retry";

        await Expect.ProblemAsync(await admin.PostAsJsonAsync(retry, new { }), 409, "conflict");

        await using (var cmd = service.Sql.CreateCommand("UPDATE webhook_deliveries SET status = 'failed', attempts = 12 WHERE id = $1"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = delivery });
            await cmd.ExecuteNonQueryAsync();
        }
        var queued = await Expect.JsonAsync(await admin.PostAsJsonAsync(retry, new { }), 202);
        Assert.Equal("pending", queued["status"]!.GetValue<string>());
        Assert.Equal("pending", await service.ScalarAsync<string>("SELECT status FROM webhook_deliveries WHERE id = $1", delivery));
        Assert.True(await service.ScalarAsync<int>("SELECT attempts FROM webhook_deliveries WHERE id = $1", delivery) <= 1);

        await Expect.ProblemAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/webhooks/{hook}/deliveries/{Guid.NewGuid()}/retry", new { }), 404, "not-found");
        var other = await service.CreateSiteAsync();
        using var foreign = service.WithKey(await service.CreateKeyAsync(other, "admin"));
        await Expect.ProblemAsync(await foreign.PostAsJsonAsync(retry, new { }), 403, "forbidden");
    }
}

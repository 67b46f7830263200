using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Infrastructure;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Webhooks;

/// <summary>
/// The webhook routes, and what a change writes to the outbox. URLs here use the reserved .invalid
/// domain, so the shared instance's dispatcher can never reach anything.
/// </summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class WebhookApiTests(ServiceFixture service)
{
    private const string Url = "https://receiver.invalid/comment-hooks";

    private static string Hooks(string site) => $"/v1/sites/{site}/webhooks";

    private static Task<HttpResponseMessage> CreateAsync(HttpClient client, string site, object body) =>
        client.PostAsJsonAsync(Hooks(site), body);

    private Task<long> OutboxCountAsync(string site, string? type = null) =>
        service.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE site_id = $1 AND ($2 = '' OR type = $2)", site, type ?? "");

    [Fact]
    public async Task A_site_admin_creates_lists_and_deletes_webhooks_and_sees_the_secret_only_once()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));

        var created = await Expect.JsonAsync(await CreateAsync(admin, site,
            new { url = Url, events = new[] { "comment.held", "comment.reported", "comment.held" }, description = "moderators' chat" }), 201);
        var id = created["id"]!.GetValue<string>();
        var secret = created["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        Assert.True(secret.Length >= 40, secret);
        Assert.Equal(Url, created["url"]!.GetValue<string>());
        Assert.Equal(["comment.held", "comment.reported"], created["events"]!.AsArray().Select(e => e!.GetValue<string>()));

        var listText = await (await admin.GetAsync(Hooks(site))).Content.ReadAsStringAsync();
        var listed = Assert.Single(JsonNode.Parse(listText)!["items"]!.AsArray())!;
        Assert.Equal(id, listed["id"]!.GetValue<string>());
        Assert.Equal("moderators' chat", listed["description"]!.GetValue<string>());
        Assert.Null(listed["secret"]);
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);

        // Stored encrypted, and the service can still read it.
        var stored = await service.ScalarAsync<string>("SELECT secret_protected FROM webhooks WHERE id = $1", Guid.Parse(id));
        Assert.DoesNotContain(secret[6..], stored, StringComparison.Ordinal);
        Assert.Equal(secret, service.Services.GetRequiredService<IDataProtectionProvider>().WebhookSecrets().Unprotect(stored));

        var deliveries = await Expect.JsonAsync(await admin.GetAsync($"{Hooks(site)}/{id}/deliveries"), 200);
        Assert.Empty(deliveries["items"]!.AsArray());

        await Expect.StatusAsync(await admin.DeleteAsync($"{Hooks(site)}/{id}"), 204);
        Assert.Empty((await Expect.JsonAsync(await admin.GetAsync(Hooks(site)), 200))["items"]!.AsArray());
        await Expect.ProblemAsync(await admin.DeleteAsync($"{Hooks(site)}/{id}"), 404, "not-found");
        await Expect.ProblemAsync(await admin.GetAsync($"{Hooks(site)}/{id}/deliveries"), 404, "not-found");
    }

    [Fact]
    public async Task Only_the_operator_and_the_sites_admins_may_manage_its_webhooks()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        using var writer = service.WithKey(await service.CreateKeyAsync(site, "comments:write"));
        using var otherAdmin = service.WithKey(await service.CreateKeyAsync(other, "admin"));
        using var anonymous = service.Anonymous();
        var body = new { url = Url, events = new[] { "comment.created" } };

        await Expect.ProblemAsync(await CreateAsync(anonymous, site, body), 401, "unauthorized");
        await Expect.ProblemAsync(await CreateAsync(moderator, site, body), 403, "forbidden");
        await Expect.ProblemAsync(await CreateAsync(writer, site, body), 403, "forbidden");
        await Expect.ProblemAsync(await CreateAsync(otherAdmin, site, body), 403, "forbidden");
        await Expect.ProblemAsync(await anonymous.GetAsync(Hooks(site)), 401, "unauthorized");
        await Expect.ProblemAsync(await moderator.GetAsync(Hooks(site)), 403, "forbidden");

        using var operatorClient = service.Operator();
        var id = (await Expect.JsonAsync(await CreateAsync(operatorClient, site, body), 201))["id"]!.GetValue<string>();
        await Expect.ProblemAsync(await otherAdmin.DeleteAsync($"{Hooks(site)}/{id}"), 403, "forbidden");
        await Expect.ProblemAsync(await otherAdmin.GetAsync($"{Hooks(site)}/{id}/deliveries"), 403, "forbidden");
        // The other site's own admin cannot reach this webhook through its own site either.
        await Expect.ProblemAsync(await otherAdmin.DeleteAsync($"{Hooks(other)}/{id}"), 404, "not-found");
        await Expect.ProblemAsync(await operatorClient.PostAsJsonAsync(Hooks("no-such-site"), body), 404, "not-found");
        Assert.Single((await Expect.JsonAsync(await operatorClient.GetAsync(Hooks(site)), 200))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("ftp://files.example/hook", "url")]
    [InlineData("/relative/hook", "url")]
    [InlineData("https://user:pass@hooks.example/x", "url")]
    [InlineData("http://127.0.0.1:8080/hook", "url")]
    [InlineData("http://localhost/hook", "url")]
    [InlineData("http://10.1.2.3/hook", "url")]
    [InlineData("http://169.254.169.254/latest/meta-data", "url")]
    [InlineData("http://[::1]/hook", "url")]
    public async Task Webhook_urls_must_be_public_http_or_https(string url, string field)
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        var before = await service.ScalarAsync<long>("SELECT count(*) FROM webhooks");
        await Expect.ProblemAsync(await CreateAsync(client, site, new { url, events = new[] { "comment.created" } }), 400, "validation", field);
        Assert.Equal(before, await service.ScalarAsync<long>("SELECT count(*) FROM webhooks"));
    }

    [Fact]
    public async Task Events_must_be_known_and_at_least_one_and_a_site_has_at_most_ten_webhooks()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        var problem = await Expect.ProblemAsync(await CreateAsync(client, site, new { url = Url, events = new[] { "comment.created", "comment.exploded" } }), 400, "validation");
        ProblemFields.AssertNamesFieldOrItem(problem, "events");
        await Expect.ProblemAsync(await CreateAsync(client, site, new { url = Url, events = Array.Empty<string>() }), 400, "validation", "events");
        await Expect.ProblemAsync(await CreateAsync(client, site, new { url = Url }), 400, "validation", "events");
        await Expect.ProblemAsync(await client.GetAsync($"{Hooks(site)}/{Guid.NewGuid()}/deliveries?status=lost"), 400, "validation", "status");

        for (var i = 0; i < 10; i++)
        {
            await Expect.StatusAsync(await CreateAsync(client, site, new { url = Url + i, events = new[] { "comment.created" } }), 201);
        }
        await Expect.ProblemAsync(await CreateAsync(client, site, new { url = Url, events = new[] { "comment.created" } }), 409, "conflict");
    }

    [Fact]
    public async Task A_new_comment_writes_one_event_per_subscribed_webhook_in_its_transaction_and_a_refused_one_writes_none()
    {
        var site = await service.CreateSiteAsync();
        var quiet = await service.CreateSiteAsync();
        using var client = service.Operator();
        var created = (await Expect.JsonAsync(await CreateAsync(client, site, new { url = Url, events = new[] { "comment.created" } }), 201))["id"]!.GetValue<string>();
        await Expect.StatusAsync(await CreateAsync(client, site, new { url = Url + "/2", events = new[] { "comment.created", "comment.approved" } }), 201);
        await Expect.StatusAsync(await CreateAsync(client, site, new { url = Url + "/3", events = new[] { "comment.rejected" } }), 201);

        var comment = await service.PostCommentAsync(site, "outbox");
        Assert.Equal(1, await OutboxCountAsync(site, "comment.created"));
        Assert.Equal(1, await OutboxCountAsync(site));
        Assert.Equal(2L, await service.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE e.site_id = $1", site));
        var body = JsonNode.Parse(await service.ScalarAsync<string>("SELECT body FROM webhook_events WHERE site_id = $1", site))!;
        Assert.Equal(comment["id"]!.GetValue<string>(), body["data"]!["comment"]!["id"]!.GetValue<string>());

        var deliveries = await Expect.JsonAsync(await client.GetAsync($"{Hooks(site)}/{created}/deliveries"), 200);
        var delivery = Assert.Single(deliveries["items"]!.AsArray())!;
        Assert.Equal("comment.created", delivery["type"]!.GetValue<string>());
        Assert.Equal(body["id"]!.GetValue<string>(), delivery["eventId"]!.GetValue<string>());

        // A closed thread refuses the comment: no comment, no event.
        await Expect.StatusAsync(await client.PatchAsJsonAsync($"/v1/sites/{site}/moderation/articles/outbox", new { closed = true }), 200);
        using var anonymous = service.Anonymous();
        await Expect.ProblemAsync(await anonymous.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "outbox"), new { authorName = "Late", body = "Too late." }), 409, "thread-closed");
        Assert.Equal(1, await OutboxCountAsync(site));

        // A site without webhooks gets no outbox rows at all.
        await service.PostCommentAsync(quiet, "nobody-listens");
        Assert.Equal(0, await OutboxCountAsync(quiet));
    }

    [Fact]
    public void Only_public_addresses_are_reachable_by_default()
    {
        foreach (var address in new[] { "127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "224.0.0.1" })
        {
            Assert.False(Api.Features.Webhooks.OutboundAddresses.IsPublic(System.Net.IPAddress.Parse(address)), address);
        }
        foreach (var address in new[] { "93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1" })
        {
            Assert.True(Api.Features.Webhooks.OutboundAddresses.IsPublic(System.Net.IPAddress.Parse(address)), address);
        }
    }
}

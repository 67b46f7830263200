using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Features.Webhooks;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommentService.Api.Tests.Webhooks;

/// <summary>
/// Webhook deliveries end to end: the service's dispatcher POSTs to a receiver started here on a
/// loopback port. Each test has its own database, so no other instance's dispatcher takes part,
/// and runs its instances with retries in fractions of a second.
/// </summary>
[Collection(Infrastructure.ServiceCollection.Name)]
public sealed class WebhookDeliveryTests(ServiceFixture service)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly (string Key, string? Value)[] FastWebhooks =
    [
        ("Comments:Webhooks:AllowPrivateNetworks", "true"),
        ("Comments:Webhooks:FirstRetrySeconds", "0.2"),
        ("Comments:Webhooks:MaxRetrySeconds", "1"),
        ("Comments:Webhooks:PollIntervalMilliseconds", "100"),
        ("Comments:Webhooks:TimeoutSeconds", "2"),
        ("Comments:RateLimits:Enabled", "false"),
    ];

    private sealed record Hook(string Site, string WebhookId, string Secret);

    private Task<string> NewDatabaseAsync() =>
        ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, "comments_hooks_" + Guid.NewGuid().ToString("N")[..10]);

    private static async Task<ExtraService> StartAsync(string connection, params (string Key, string? Value)[] settings)
    {
        var instance = ExtraService.Start(connection, [.. FastWebhooks, .. settings]);
        Assert.True(await instance.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)), "the service did not become ready");
        return instance;
    }

    private static async Task<Hook> SiteWithWebhookAsync(ExtraService instance, string url, params string[] events)
    {
        var site = "hooks-" + Guid.NewGuid().ToString("N")[..8];
        using var client = instance.Operator();
        await Expect.StatusAsync(await client.PostAsJsonAsync("/v1/sites", new { id = site, name = "Hooks" }), 201);
        var created = await Expect.JsonAsync(await client.PostAsJsonAsync($"/v1/sites/{site}/webhooks", new { url, events }), 201);
        return new Hook(site, created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    private static async Task<JsonObject> PostAsync(ExtraService instance, string site, string body, string? email = null, string? forwardedFor = null)
    {
        using var client = instance.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, "film"))
        {
            Content = JsonContent.Create(new { authorName = "Reader", authorEmail = email, body }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await Expect.JsonAsync(await client.SendAsync(request), 201);
    }

    private static async Task<JsonArray> DeliveriesAsync(ExtraService instance, Hook hook)
    {
        using var client = instance.Operator();
        var page = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{hook.Site}/webhooks/{hook.WebhookId}/deliveries"), 200);
        return page["items"]!.AsArray();
    }

    private static async Task<JsonObject> WaitForDeliveryAsync(ExtraService instance, Hook hook, Func<JsonObject, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var items = await DeliveriesAsync(instance, hook);
            if (items.Count == 1 && condition(items[0]!.AsObject()))
            {
                return items[0]!.AsObject();
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}: {items.ToJsonString()}");
            }
            await Task.Delay(100);
        }
    }

    private static void AssertSigned(WebhookReceiver.Received request, Hook hook) =>
        Assert.True(WebhookReceiver.SignatureIsValid(request.Signature, request.Body, hook.Secret, TimeSpan.FromMinutes(5)),
            $"bad signature '{request.Signature}' on {request.Body}");

    [Fact]
    public async Task A_failing_receiver_gets_the_same_signed_event_on_every_retry_until_it_accepts_it_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => r.Attempt switch
        {
            1 => new WebhookReceiver.Answer(500),
            2 => new WebhookReceiver.Answer(503),
            3 => new WebhookReceiver.Answer(200, TimeSpan.FromSeconds(6)), // answers after the service's 2 s timeout
            _ => new WebhookReceiver.Answer(204),
        };
        await using var instance = await StartAsync(await NewDatabaseAsync());
        var hook = await SiteWithWebhookAsync(instance, receiver.Url, WebhookEvents.Types.ToArray());

        var comment = await PostAsync(instance, hook.Site, "The ending stayed with me.", email: "private.reader@mail.example", forwardedFor: "198.51.100.23");

        var requests = await receiver.WaitForAsync(r => r.Count >= 4, Patience, "four attempts");
        var delivered = await WaitForDeliveryAsync(instance, hook, d => d["status"]!.GetValue<string>() == "delivered", "the delivery to be recorded");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        requests = receiver.Requests;
        Assert.Equal(4, requests.Count);

        var eventId = requests[0].DeliveryId;
        Assert.True(Guid.TryParse(eventId, out _), eventId);
        Assert.All(requests, r =>
        {
            Assert.Equal(eventId, r.DeliveryId);
            Assert.Equal("comment.created", r.Event);
            Assert.Equal(requests[0].Body, r.Body);
            Assert.Equal("application/json; charset=utf-8", r.ContentType);
            AssertSigned(r, hook);
        });
        Assert.False(WebhookReceiver.SignatureIsValid(requests[0].Signature, requests[0].Body + " ", hook.Secret, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookReceiver.SignatureIsValid(requests[0].Signature, requests[0].Body, hook.Secret + "x", TimeSpan.FromMinutes(5)));

        var payload = requests[0].Json;
        Assert.Equal(eventId, payload["id"]!.GetValue<string>());
        Assert.Equal("comment.created", payload["type"]!.GetValue<string>());
        Assert.Equal(hook.Site, payload["siteId"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(payload["occurredAt"]!.GetValue<string>(), out _));
        var sent = payload["data"]!["comment"]!;
        Assert.Equal(comment["id"]!.GetValue<string>(), sent["id"]!.GetValue<string>());
        Assert.Equal("The ending stayed with me.", sent["body"]!.GetValue<string>());
        Assert.Equal("approved", sent["status"]!.GetValue<string>());
        Assert.Equal("film", sent["articleId"]!.GetValue<string>());
        foreach (var secret in new[] { "private.reader", "mail.example", "198.51.100.23", "authorEmail", "ipHash", "authorKey", "editToken" })
        {
            Assert.DoesNotContain(secret, requests[0].Body, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(eventId, delivered["eventId"]!.GetValue<string>());
        Assert.Equal(4, delivered["attempts"]!.GetValue<int>());
        Assert.Equal(204, delivered["lastStatusCode"]!.GetValue<int>());
        Assert.Null(delivered["lastError"]);
        Assert.NotNull(delivered["deliveredAt"]);
    }

    [Fact]
    public async Task An_event_queued_while_the_receiver_is_down_arrives_when_it_comes_up()
    {
        var port = ExtraService.FreePort();
        await using var instance = await StartAsync(await NewDatabaseAsync());
        var hook = await SiteWithWebhookAsync(instance, $"http://127.0.0.1:{port}/hook", "comment.created");
        var comment = await PostAsync(instance, hook.Site, "Posted while nobody listens.");

        var failing = await WaitForDeliveryAsync(instance, hook, d => d["attempts"]!.GetValue<int>() >= 2, "two failed attempts");
        Assert.Equal("pending", failing["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(failing["lastError"]?.GetValue<string>()), failing.ToJsonString());
        Assert.NotNull(failing["nextAttemptAt"]);

        await using var receiver = await WebhookReceiver.StartAsync(port);
        var requests = await receiver.WaitForAsync(r => r.Count >= 1, Patience, "the queued event");
        var delivered = await WaitForDeliveryAsync(instance, hook, d => d["status"]!.GetValue<string>() == "delivered", "the delivery to be recorded");

        var request = Assert.Single(requests);
        AssertSigned(request, hook);
        Assert.Equal(comment["id"]!.GetValue<string>(), request.Json["data"]!["comment"]!["id"]!.GetValue<string>());
        Assert.Equal(delivered["eventId"]!.GetValue<string>(), request.DeliveryId);
        Assert.True(delivered["attempts"]!.GetValue<int>() >= 3);
    }

    [Fact]
    public async Task An_event_is_not_lost_when_the_instance_stops_and_another_starts_on_the_same_database()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => new WebhookReceiver.Answer(500);
        var connection = await NewDatabaseAsync();
        Hook hook;
        await using (var first = await StartAsync(connection))
        {
            hook = await SiteWithWebhookAsync(first, receiver.Url, "comment.created");
            await PostAsync(first, hook.Site, "Survives a restart.");
            await receiver.WaitForAsync(r => r.Count >= 1, Patience, "a first, failed attempt");
        }

        // Nobody delivers while no instance runs: the event waits in PostgreSQL.
        var seen = receiver.Requests.Count;
        receiver.Respond = _ => new WebhookReceiver.Answer(200);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(seen, receiver.Requests.Count);
        await using (var sql = Npgsql.NpgsqlDataSource.Create(connection))
        {
            await using var cmd = sql.CreateCommand("SELECT status FROM webhook_deliveries");
            Assert.Equal("pending", (string)(await cmd.ExecuteScalarAsync())!);
        }

        await using var second = await StartAsync(connection);
        var requests = await receiver.WaitForAsync(r => r.Count > seen, Patience, "the retry from the new instance");
        var delivered = await WaitForDeliveryAsync(second, hook, d => d["status"]!.GetValue<string>() == "delivered", "the delivery to be recorded");

        Assert.Single(requests.Select(r => r.DeliveryId).Distinct());
        Assert.All(requests, r => AssertSigned(r, hook));
        Assert.Equal(requests.Count, delivered["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Two_instances_never_send_one_delivery_at_the_same_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // Slow answers keep attempts in flight long enough for a second dispatcher to try to take them.
        receiver.Respond = r => new WebhookReceiver.Answer(r.Attempt == 1 ? 500 : 200, TimeSpan.FromMilliseconds(200));
        var connection = await NewDatabaseAsync();
        await using var first = await StartAsync(connection, ("Comments:Webhooks:MaxConcurrency", "3"));
        await using var second = await StartAsync(connection, ("Comments:Webhooks:MaxConcurrency", "3"));
        var hook = await SiteWithWebhookAsync(first, receiver.Url, "comment.created");

        const int Comments = 12;
        for (var i = 0; i < Comments; i++)
        {
            await PostAsync(i % 2 == 0 ? first : second, hook.Site, $"Comment {i}.");
        }

        await receiver.WaitForAsync(r => r.Select(x => x.DeliveryId).Distinct().Count() == Comments && r.Count >= 2 * Comments,
            Patience, "every event to be answered twice");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var requests = receiver.Requests;
        Assert.Equal(1, receiver.MaxInFlightPerDelivery);
        Assert.All(requests.GroupBy(r => r.DeliveryId), g => Assert.Equal(2, g.Count()));
        var deliveries = await DeliveriesAsync(second, hook);
        Assert.Equal(Comments, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal("delivered", d!["status"]!.GetValue<string>());
            Assert.Equal(2, d["attempts"]!.GetValue<int>());
        });
    }

    [Fact]
    public async Task Concurrent_claims_from_two_instances_never_take_the_same_delivery()
    {
        var connection = await NewDatabaseAsync();
        await using var first = await StartAsync(connection, ("Comments:Webhooks:DispatcherEnabled", "false"));
        await using var second = await StartAsync(connection, ("Comments:Webhooks:DispatcherEnabled", "false"));
        var hook = await SiteWithWebhookAsync(first, "http://127.0.0.1:9/hook", "comment.created");
        const int Comments = 40;
        for (var i = 0; i < Comments; i++)
        {
            await PostAsync(first, hook.Site, $"Queued {i}.");
        }

        var dispatchers = new[] { first, second }.Select(s => s.Services.GetRequiredService<WebhookDispatcher>()).ToArray();
        // A first round of eight claims at once over both instances (each must get its own rows while
        // the others hold theirs), then the claimers drain the rest concurrently.
        var firstRound = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => dispatchers[i % 2].ClaimAsync(3, CancellationToken.None)));
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var mine = firstRound[i].Select(d => d.Id).ToList();
            while (true)
            {
                var batch = await dispatchers[i % 2].ClaimAsync(3, CancellationToken.None);
                if (batch.Count == 0)
                {
                    return mine;
                }
                mine.AddRange(batch.Select(d => d.Id));
            }
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Comments, all.Count);
        Assert.Equal(Comments, all.Distinct().Count());
        Assert.All(firstRound, batch => Assert.Equal(3, batch.Count));
    }

    [Fact]
    public async Task Moderator_decisions_send_approved_and_rejected_events_and_only_the_subscribed_ones()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var instance = await StartAsync(await NewDatabaseAsync());
        var hook = await SiteWithWebhookAsync(instance, receiver.Url, "comment.held", "comment.approved", "comment.rejected");
        using var moderator = instance.Operator();
        var id = (await PostAsync(instance, hook.Site, "Judge me."))["id"]!.GetValue<string>();
        Task<HttpResponseMessage> DecideAsync(string action, string? reason = null) =>
            moderator.PostAsJsonAsync($"/v1/sites/{hook.Site}/moderation/comments/{id}/decision", new { action, reason });

        await Expect.StatusAsync(await DecideAsync("reject", "off-topic"), 200);
        var rejected = (await receiver.WaitForAsync(r => r.Count >= 1, Patience, "comment.rejected"))[0];
        Assert.Equal("comment.rejected", rejected.Event);
        Assert.Equal("rejected", rejected.Json["data"]!["comment"]!["status"]!.GetValue<string>());
        Assert.Equal("approved", rejected.Json["data"]!["previousStatus"]!.GetValue<string>());
        Assert.Equal("off-topic", rejected.Json["data"]!["reason"]!.GetValue<string>());

        await Expect.StatusAsync(await DecideAsync("approve"), 200);
        var approved = (await receiver.WaitForAsync(r => r.Count >= 2, Patience, "comment.approved"))[1];
        Assert.Equal("comment.approved", approved.Event);
        Assert.Equal("approved", approved.Json["data"]!["comment"]!["status"]!.GetValue<string>());
        Assert.Equal("rejected", approved.Json["data"]!["previousStatus"]!.GetValue<string>());

        await Expect.StatusAsync(await DecideAsync("spam", "link-drop"), 200);
        var spam = (await receiver.WaitForAsync(r => r.Count >= 3, Patience, "comment.rejected for spam"))[2];
        Assert.Equal("comment.rejected", spam.Event);
        Assert.Equal("spam", spam.Json["data"]!["comment"]!["status"]!.GetValue<string>());
        Assert.Equal("link-drop", spam.Json["data"]!["reason"]!.GetValue<string>());

        // A refused decision (already spam) changes nothing and sends nothing.
        await Expect.ProblemAsync(await DecideAsync("spam"), 409, "conflict");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var all = receiver.Requests;
        Assert.Equal(3, all.Count);
        Assert.DoesNotContain(all, r => r.Event == "comment.created");
        Assert.Equal(3, all.Select(r => r.DeliveryId).Distinct().Count());
        Assert.All(all, r => AssertSigned(r, hook));
    }

    /// <summary>
    /// The pipeline on this branch approves everything, so a held comment is made here the way the
    /// create route makes one: the publisher called in the comment's transaction with its status.
    /// </summary>
    [Fact]
    public async Task A_held_comment_sends_created_and_held_and_a_rolled_back_change_sends_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var instance = await StartAsync(await NewDatabaseAsync());
        var hook = await SiteWithWebhookAsync(instance, receiver.Url, WebhookEvents.Types.ToArray());
        var id = Guid.Parse((await PostAsync(instance, hook.Site, "Held for review."))["id"]!.GetValue<string>());
        await receiver.WaitForAsync(r => r.Count >= 1, Patience, "comment.created of the approved comment");

        await using (var scope = instance.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CommentService.Api.Data.CommentsDb>();
            var events = scope.ServiceProvider.GetRequiredService<WebhookEvents>();
            var comment = await db.Comments.SingleAsync(c => c.Id == id);
            comment.Status = CommentService.Api.Domain.CommentStatus.Pending;
            await Assert.ThrowsAsync<InvalidOperationException>(() => events.CommentCreatedAsync(comment, "film", CancellationToken.None));

            await using (var rolledBack = await db.Database.BeginTransactionAsync())
            {
                await events.CommentCreatedAsync(comment, "film", CancellationToken.None);
                await rolledBack.RollbackAsync();
            }
            await using var committed = await db.Database.BeginTransactionAsync();
            await events.CommentCreatedAsync(comment, "film", CancellationToken.None);
            await committed.CommitAsync();
        }

        var requests = await receiver.WaitForAsync(r => r.Count >= 3, Patience, "comment.created and comment.held");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(["comment.created", "comment.held"], requests.Skip(1).Select(r => r.Event).Order());
        Assert.All(requests.Skip(1), r => Assert.Equal("pending", r.Json["data"]!["comment"]!["status"]!.GetValue<string>()));
        Assert.Equal(3, requests.Select(r => r.DeliveryId).Distinct().Count());
    }
}

using CommentService.Api.Tests.Infrastructure;
using CommentService.Client;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>
/// The operation groups driven through the client generated from openapi.yaml, against the running
/// service: if the contract and the code disagree, these fail. Rules and appeals, imports and exports
/// have their own classes beside this one; <see cref="OperationCoverageTests"/> fails for an operation none of them calls.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ClientTests(ServiceFixture service) : IDisposable
{
    private readonly ClientSession session = new(service);

    private CommentServiceClient Client(string? key) => session.Client(key);

    private CommentServiceClient Operator => session.Operator;

    public void Dispose() => session.Dispose();

    private static Task<ApiException<Problem>> ProblemAsync(int status, string type, Func<Task> call) => ClientSession.ProblemAsync(status, type, call);

    [Fact]
    public async Task Sites_and_keys()
    {
        var admin = Operator;
        var site = await session.NewSiteAsync();
        Assert.Equal("The Film Blog", (await admin.GetSiteAsync(site)).Name);
        var updated = await admin.UpdateSiteAsync(site, new UpdateSiteRequest { Name = "Films, reviewed", EditWindowMinutes = 30 });
        Assert.Equal("Films, reviewed", updated.Name);
        Assert.Equal(["https://films.example"], updated.AllowedOrigins!);
        Assert.Equal(30, (await admin.GetSiteAsync(site)).EditWindowMinutes);

        var created = await admin.CreateKeyAsync(site, new CreateKeyRequest { Name = "ci", Scopes = ["comments:write"] });
        Assert.StartsWith("csk_", created.Key);
        Assert.Contains((await admin.ListKeysAsync(site)).Items!, k => k.Id == created.Id && k.Scopes!.SequenceEqual(["comments:write"]));

        // The new key works for what its scope allows, and not beyond.
        var writer = Client(created.Key);
        await writer.CreateCommentAsync(site, "release-notes", new CreateCommentRequest { AuthorName = "Release bot", Body = SampleText.Line(0) });
        await ProblemAsync(403, "forbidden", () => writer.GetSiteAsync(site));

        await admin.RevokeKeyAsync(site, created.Id!.Value);
        Assert.NotNull((await admin.ListKeysAsync(site)).Items!.Single(k => k.Id == created.Id).RevokedAt);
        await ProblemAsync(401, "unauthorized", () => writer.CreateCommentAsync(site, "release-notes",
            new CreateCommentRequest { AuthorName = "Release bot", Body = SampleText.Line(1) }));

        var secret = await admin.CreateUserTokenSecretAsync(site);
        Assert.False(string.IsNullOrEmpty(secret.Secret));
        await ProblemAsync(409, "conflict", () => admin.CreateSiteAsync(new CreateSiteRequest { Id = site, Name = "Taken" }));
    }

    [Fact]
    public async Task Comments_threads_votes_reports_and_counts()
    {
        var site = await session.NewSiteAsync();
        var reader = Client(null);
        const string article = "https://films.example/reviews/her?ref=home#c";

        var first = await reader.CreateCommentAsync(site, article, new CreateCommentRequest { AuthorName = "Ada", Body = SampleText.Line(2) });
        Assert.Equal("approved", first.Status);
        Assert.Equal(article, first.ArticleId);
        var reply = await reader.CreateCommentAsync(site, article, new CreateCommentRequest { AuthorName = "Ben", Body = SampleText.Line(3), ParentId = first.Id });
        Assert.Equal(1, reply.Depth);

        var thread = await reader.ListThreadAsync(site, article);
        Assert.Equal(2, thread.TotalCount);
        var top = Assert.Single(thread.Items!);
        Assert.Equal(first.Id, top.Id);
        Assert.Equal(reply.Id, Assert.Single(top.Replies!).Id);

        Assert.Equal(SampleText.Line(2), (await reader.GetCommentAsync(site, first.Id!.Value)).Body);
        var edited = await reader.EditCommentAsync(site, first.Id.Value, new EditCommentRequest { Body = SampleText.Line(4) }, editToken: first.EditToken);
        Assert.Equal(SampleText.Line(4), edited.Body);
        Assert.NotNull(edited.EditedAt);
        await ProblemAsync(403, "forbidden", () => reader.EditCommentAsync(site, first.Id.Value, new EditCommentRequest { Body = SampleText.Line(5) }, editToken: reply.EditToken));

        var readerToken = "reader-" + Guid.NewGuid().ToString("N");
        var vote = await reader.VoteCommentAsync(site, reply.Id!.Value, new VoteCommentRequest { Value = 1 }, readerToken: readerToken);
        Assert.Equal(1, vote.Score);
        Assert.Equal(1, vote.MyVote);
        var report = await reader.ReportCommentAsync(site, reply.Id.Value, new ReportCommentRequest { Reason = "offtopic" }, readerToken: readerToken);
        Assert.True(report.Received);

        var counts = await reader.GetCountsAsync(site, [article, "nobody-commented"]);
        Assert.Equal(2, counts.Counts!.Single(c => c.ArticleId == article).Count);
        Assert.Equal(0, counts.Counts!.Single(c => c.ArticleId == "nobody-commented").Count);

        await reader.DeleteCommentAsync(site, reply.Id.Value, editToken: reply.EditToken);
        Assert.Equal(1, (await reader.ListThreadAsync(site, article)).TotalCount);

        var invalid = await ProblemAsync(400, "validation", () => reader.CreateCommentAsync(site, article, new CreateCommentRequest { AuthorName = "Ada", Body = "" }));
        Assert.Contains(invalid.Result.Errors!, e => e.Name == "body");
    }

    [Fact]
    public async Task Moderation_queue_decisions_policy_terms_bans_pins_and_threads()
    {
        var site = await session.NewSiteAsync();
        var moderator = Client((await Operator.CreateKeyAsync(site, new CreateKeyRequest { Name = "moderators", Scopes = ["moderate"] })).Key);
        var reader = Client(null);

        var policy = await moderator.UpdateModerationPolicyAsync(site, new UpdatePolicyRequest { PreModeration = "all" });
        Assert.Equal("all", policy.PreModeration);
        Assert.Equal("all", (await moderator.GetModerationPolicyAsync(site)).PreModeration);

        var held = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var comment = await reader.CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Reader " + i, Body = SampleText.Line(10 + i) });
            Assert.Equal("pending", comment.Status);
            held.Add(comment.Id!.Value);
        }
        var queue = await moderator.ListModerationQueueAsync(site, ["pending"]);
        Assert.Equal(held.Order(), queue.Items!.Select(c => c.Id!.Value).Order());
        Assert.All(queue.Items!, c => Assert.NotNull(c.Verdict));

        var approved = await moderator.DecideCommentAsync(site, held[0], new DecideModerationRequest { Action = "approve" });
        Assert.Equal("approved", approved.Status);
        var dryRun = await moderator.DecideCommentsAsync(site, new DecideManyModerationRequest { Action = "reject", Ids = [held[1], held[2]], DryRun = true });
        Assert.Equal(2, dryRun.Matched);
        Assert.Equal(2, (await moderator.ListModerationQueueAsync(site, ["pending"])).Items!.Count);
        var rejected = await moderator.DecideCommentsAsync(site, new DecideManyModerationRequest { Action = "reject", Ids = [held[1], held[2]], Reason = "off-topic" });
        Assert.Equal(2, rejected.Changed);
        Assert.Empty((await moderator.ListModerationQueueAsync(site, ["pending"])).Items!);
        var audit = await moderator.ListModerationAuditAsync(site);
        Assert.Contains(audit.Items!, e => e.CommentId == held[0] && e.ToStatus == "approved");
        Assert.Equal(2, audit.Items!.Count(e => e.ToStatus == "rejected" && e.Reason == "off-topic"));

        var check = await moderator.CheckCommentAsync(site, new CheckModerationRequest { ArticleId = "her", AuthorName = "Ada", Body = SampleText.Line(14) });
        Assert.Equal("pending", check.Status);
        Assert.Equal(3, (await moderator.ListModerationQueueAsync(site, ["pending", "rejected", "spam", "approved"])).Items!.Count);

        await moderator.PutSiteTermAsync(site, new PutTermRequest { Term = "popcornspam", Action = "reject" });
        Assert.Contains((await moderator.ListSiteTermsAsync(site)).Items!, t => t.Term == "popcornspam" && t.Action == "reject");
        await moderator.DeleteSiteTermAsync(site, "popcornspam");
        Assert.DoesNotContain((await moderator.ListSiteTermsAsync(site)).Items!, t => t.Term == "popcornspam");

        var ban = await moderator.BanAuthorAsync(site, new CreateBanRequest { CommentId = held[1], Reason = "harassment" });
        Assert.Contains((await moderator.ListBansAsync(site)).Items!, b => b.Id == ban.Id);
        await moderator.LiftBanAsync(site, ban.Id!.Value);
        Assert.Empty((await moderator.ListBansAsync(site)).Items!);

        var pinned = await moderator.PinCommentAsync(site, held[0], new PinModerationRequest { Pinned = true });
        Assert.True(pinned.Pinned);
        Assert.True((await reader.ListThreadAsync(site, "her")).Items!.Single(c => c.Id == held[0]).Pinned);

        var closed = await moderator.UpdateThreadAsync(site, "her", new ThreadsModerationRequest { Closed = true, Title = "Her (2013)" });
        Assert.True(closed.Closed);
        await ProblemAsync(409, "thread-closed", () => reader.CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Late", Body = SampleText.Line(15) }));

        // A moderator key is not an admin key.
        await ProblemAsync(403, "forbidden", () => moderator.ListKeysAsync(site));
    }

    [Fact]
    public async Task Webhooks_and_classifiers()
    {
        var admin = Operator;
        var site = await session.NewSiteAsync();
        var hook = await admin.CreateWebhookAsync(site, new CreateWebhookRequest { Url = "https://hooks.films.example/comments", Events = ["comment.created"] });
        Assert.False(string.IsNullOrEmpty(hook.Secret));
        var listed = Assert.Single((await admin.ListWebhooksAsync(site)).Items!);
        Assert.Equal(hook.Id, listed.Id);

        await Client(null).CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Ada", Body = SampleText.Line(16) });
        var deliveries = await admin.ListWebhookDeliveriesAsync(site, hook.Id!.Value);
        var delivery = Assert.Single(deliveries.Items!);
        Assert.Equal("comment.created", delivery.Type);
        // Only a failed delivery is sent again: this one is still pending (its receiver does not exist, so it waits for its next attempt).
        await ProblemAsync(409, "conflict", () => admin.RetryWebhookDeliveryAsync(site, hook.Id!.Value, delivery.Id!.Value));
        await using (var failed = service.Sql.CreateCommand("UPDATE webhook_deliveries SET status = 'failed', attempts = 12 WHERE id = $1"))
        {
            failed.Parameters.Add(new Npgsql.NpgsqlParameter { Value = delivery.Id!.Value });
            Assert.Equal(1, await failed.ExecuteNonQueryAsync());
        }
        var retried = await admin.RetryWebhookDeliveryAsync(site, hook.Id!.Value, delivery.Id!.Value);
        Assert.Equal(delivery.Id, retried.Id);
        Assert.Equal("pending", retried.Status);
        await admin.DeleteWebhookAsync(site, hook.Id.Value);
        Assert.Empty((await admin.ListWebhooksAsync(site)).Items!);
        await ProblemAsync(404, "not-found", () => admin.ListWebhookDeliveriesAsync(site, hook.Id.Value));

        var classifiers = await admin.UpdateClassifiersAsync(site, new ClassifiersSiteRequest
        {
            Webhook = new WebhookSettings { Enabled = false, Url = "https://classifier.films.example/check" },
        });
        Assert.Equal("https://classifier.films.example/check", classifiers.Webhook!.Url);
        Assert.Equal("https://classifier.films.example/check", (await admin.GetClassifiersAsync(site)).Webhook!.Url);
    }

    [Fact]
    public async Task Health_routes_answer_through_the_clients_http_stack()
    {
        using var http = CommentServiceClientFactory.CreateHttpClient(service.BaseAddress, null);
        using var live = await http.GetAsync("/health/live");
        using var ready = await http.GetAsync("/health/ready");
        Assert.Equal(200, (int)live.StatusCode);
        Assert.Equal(200, (int)ready.StatusCode);
    }
}

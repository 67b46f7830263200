using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CommentService.Api.Tests.Moderation;

/// <summary>Observe-only rules: shadow verdicts, the per-rule report, promotion, through the HTTP API.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ObserveOnlyRulesTests(ServiceFixture service)
{
    private const string Article = "her-2013";
    private const string Crude = "you are a f.u.c.k.i.n.g c*nt";

    private static string Rules(string site) => $"/v1/sites/{site}/moderation/rules";

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private static string Status(JsonNode node) => node["status"]!.GetValue<string>();

    private async Task<JsonObject> PostAsync(string site, string body, string author) =>
        await service.PostCommentAsync(site, Article, body, author: author);

    private async Task<long> ShadowCountAsync(string site) =>
        await service.ScalarAsync<long>("SELECT count(*) FROM shadow_verdicts WHERE site_id = $1", site);

    private sealed class FakeClassifier : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int calls;

        private FakeClassifier(WebApplication app) => this.app = app;

        public string Outcome { get; set; } = "approved";
        public int Calls => Volatile.Read(ref calls);
        public string Url => app.Urls.First() + "/classify";

        public static async Task<FakeClassifier> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            FakeClassifier? fake = null;
            app.MapPost("/classify", () =>
            {
                Interlocked.Increment(ref fake!.calls);
                return Results.Json(new { outcome = fake.Outcome, reason = "fake says " + fake.Outcome, score = 0.9 });
            });
            await app.StartAsync();
            fake = new FakeClassifier(app);
            return fake;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    [Fact]
    public async Task An_observed_term_records_a_shadow_verdict_and_the_report_counts_it_with_moderator_agreement()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var rule = await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site),
            new { kind = "term", term = "Popcorn", action = "hold", note = "popcorn ads lately" }), 201);
        Assert.Equal("observe", rule["mode"]!.GetValue<string>());
        Assert.Equal("popcorn", rule["term"]!.GetValue<string>());
        Assert.Equal("term \"popcorn\" → hold", rule["description"]!.GetValue<string>());

        var hit = await PostAsync(site, "The popcorn at the cinema was stale, but the last scene made up for it.", "Ines");
        var miss = await PostAsync(site, SampleText.Line(2), "Omar");
        // The rule is only observed: the comment is shown, and its stored verdict knows nothing of the term.
        Assert.Equal("approved", Status(hit));
        Assert.Equal("approved", Status(miss));
        Assert.DoesNotContain("popcorn", await service.ScalarAsync<string>("SELECT verdict::text FROM comments WHERE id = $1", Guid.Parse(Id(hit))));
        Assert.Equal("pending", await service.ScalarAsync<string>("SELECT would_status FROM shadow_verdicts WHERE comment_id = $1", Guid.Parse(Id(hit))));
        Assert.Equal(1L, await ShadowCountAsync(site));

        var report = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 200);
        Assert.Equal(2, report["seen"]!.GetValue<int>());
        Assert.Equal(1, report["fired"]!.GetValue<int>());
        Assert.Equal(1, report["changed"]!.GetValue<int>());
        Assert.Equal(1, report["wouldHold"]!.GetValue<int>());
        Assert.Equal(0, report["wouldReject"]!.GetValue<int>());
        Assert.Equal(0, report["agreement"]!["decided"]!.GetValue<int>());
        Assert.Null(report["agreement"]!["rate"]);
        Assert.Equal(1, report["moderators"]!["undecided"]!.GetValue<int>());
        var example = Assert.Single(report["examples"]!.AsArray())!;
        Assert.Equal(Id(hit), example["commentId"]!.GetValue<string>());
        Assert.StartsWith("The popcorn at the cinema", example["excerpt"]!.GetValue<string>());
        Assert.Equal("approved", example["liveStatus"]!.GetValue<string>());
        Assert.Equal("pending", example["wouldBeStatus"]!.GetValue<string>());
        Assert.Equal("site-terms", example["decidedBy"]!.GetValue<string>());
        Assert.Contains(example["flags"]!.AsArray(), f => f!["evidence"]!.GetValue<string>() == "popcorn");

        // A moderator takes the comment down: they agree with the rule.
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{Id(hit)}/decision", new { action = "reject" }), 200);
        report = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 200);
        Assert.Equal(1, report["agreement"]!["decided"]!.GetValue<int>());
        Assert.Equal(1, report["agreement"]!["agree"]!.GetValue<int>());
        Assert.Equal(1.0, report["agreement"]!["rate"]!.GetValue<double>());
        Assert.Equal(1, report["moderators"]!["rejected"]!.GetValue<int>());
        Assert.Equal("rejected", report["examples"]![0]!["currentStatus"]!.GetValue<string>());

        // A period before the rule existed has nothing.
        var past = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-3).ToString("O"));
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-2).ToString("O"));
        var empty = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report?from={past}&to={before}"), 200);
        Assert.Equal(0, empty["seen"]!.GetValue<int>());
        Assert.Equal(0, empty["fired"]!.GetValue<int>());
        Assert.Empty(empty["examples"]!.AsArray());
    }

    [Fact]
    public async Task Promoting_a_term_enforces_it_for_the_next_comment_and_the_audit_log_records_it()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var rule = await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = "popcorn", action = "hold" }), 201);
        Assert.Equal("approved", Status(await PostAsync(site, "Popcorn in hand, I cried through the whole final act.", "Ines")));

        var promoted = await Expect.JsonAsync(await moderator.PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { note = "only ads so far" }), 200);
        Assert.Equal("enforce", promoted["mode"]!.GetValue<string>());
        Assert.NotNull(promoted["promotedAt"]);
        var terms = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/terms"), 200);
        var term = Assert.Single(terms["items"]!.AsArray())!;
        Assert.Equal("popcorn", term["term"]!.GetValue<string>());
        Assert.Equal("hold", term["action"]!.GetValue<string>());

        var held = await PostAsync(site, "Bring popcorn, the second hour is slow but worth it.", "Tomas");
        Assert.Equal("pending", Status(held));
        // Nothing is observed any more: no shadow run, no new record.
        Assert.Equal(1L, await ShadowCountAsync(site));
        Assert.False(await service.ScalarAsync<bool>("SELECT has_observed_rules FROM sites WHERE id = $1", site));

        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { }), 409, "conflict");

        var audit = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit?ruleId={Id(rule)}"), 200);
        var entries = audit["items"]!.AsArray();
        Assert.Equal(["rule.promoted", "rule.created"], entries.Select(e => e!["action"]!.GetValue<string>()).ToArray());
        var entry = entries[0]!;
        Assert.Null(entry["commentId"]);
        Assert.Equal(Id(rule), entry["ruleId"]!.GetValue<string>());
        Assert.Equal("observe", entry["fromStatus"]!.GetValue<string>());
        Assert.Equal("enforce", entry["toStatus"]!.GetValue<string>());
        Assert.Equal("only ads so far", entry["note"]!.GetValue<string>());
        Assert.StartsWith("key:", entry["actor"]!.GetValue<string>());
        // The whole log shows it too, beside the decisions on comments.
        var all = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit"), 200);
        Assert.Contains(all["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "rule.promoted");
    }

    [Fact]
    public async Task Observed_rules_never_change_the_live_outcome()
    {
        var plain = await service.CreateSiteAsync();
        var observing = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(observing, "moderate"));
        foreach (var rule in new object[]
                 {
                     new { kind = "term", term = "ending", action = "reject" },
                     new { kind = "threshold", setting = "preModeration", preModeration = "all" },
                     new { kind = "threshold", setting = "crudeHoldThreshold", value = 0.99 },
                     new { kind = "threshold", setting = "maxLinks", value = 0 },
                 })
        {
            await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(observing), rule), 201);
        }

        string[] texts = [SampleText.Line(0), SampleText.Line(4), Crude, "Great read, more at https://films.example/her and https://films.example/reviews"];
        for (var i = 0; i < texts.Length; i++)
        {
            var a = await PostAsync(plain, texts[i], $"Reader {i}");
            var b = await PostAsync(observing, texts[i], $"Reader {i}");
            Assert.Equal(Status(a), Status(b));
            Assert.Equal(
                await service.ScalarAsync<string>("SELECT verdict::text FROM comments WHERE id = $1", Guid.Parse(Id(a))),
                await service.ScalarAsync<string>("SELECT verdict::text FROM comments WHERE id = $1", Guid.Parse(Id(b))));
        }
        Assert.Equal("pending", await service.ScalarAsync<string>("SELECT status FROM comments WHERE body = $1 AND site_id = $2", Crude, observing));
        // Every comment would have been held by pre-moderation "all" (the crude one already is), the first would be rejected by the term.
        Assert.Equal(0L, await ShadowCountAsync(plain));
        Assert.True(await ShadowCountAsync(observing) >= texts.Length);
    }

    [Fact]
    public async Task An_observed_threshold_reports_what_it_would_hold_and_promoting_it_updates_the_policy()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var rule = await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "threshold", setting = "maxLinks", value = 0 }), 201);
        Assert.Equal("maxLinks = 0", rule["description"]!.GetValue<string>());

        var linked = await PostAsync(site, "The director explains the ending in this interview: https://films.example/interview", "Ada");
        var plain = await PostAsync(site, SampleText.Line(6), "Ben");
        Assert.Equal("approved", Status(linked));
        Assert.Equal("approved", Status(plain));

        var report = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 200);
        Assert.Equal(2, report["seen"]!.GetValue<int>());
        Assert.True(report["fired"]!.GetValue<int>() >= 1);
        var example = report["examples"]!.AsArray().Single(e => e!["commentId"]!.GetValue<string>() == Id(linked))!;
        Assert.Contains(example["flags"]!.AsArray(), f => f!["phase"]!.GetValue<string>() == "spam.links");
        Assert.DoesNotContain(report["examples"]!.AsArray(), e => e!["commentId"]!.GetValue<string>() == Id(plain));

        Assert.Equal(1, report["changed"]!.GetValue<int>());
        Assert.Equal(1, report["wouldHold"]!.GetValue<int>());

        // A moderator looks again and keeps the linked comment: the rule would have held a good comment.
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{Id(linked)}/decision", new { action = "spam" }), 200);
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{Id(linked)}/decision", new { action = "approve" }), 200);
        report = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 200);
        Assert.Equal(1, report["moderators"]!["approved"]!.GetValue<int>());
        Assert.Equal(1, report["agreement"]!["disagree"]!.GetValue<int>());
        Assert.Equal(0.0, report["agreement"]!["rate"]!.GetValue<double>());

        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { }), 200);
        var policy = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/policy"), 200);
        Assert.Equal(0, policy["maxLinks"]!.GetValue<int>());
        // Observing the value the policy now has is refused.
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "threshold", setting = "maxLinks", value = 0 }), 409, "conflict");
    }

    [Fact]
    public async Task An_observed_classifier_is_asked_but_not_obeyed_until_an_admin_promotes_it()
    {
        await using var classifier = await FakeClassifier.StartAsync();
        classifier.Outcome = "spam";
        var site = await service.CreateSiteAsync();
        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));

        // Not configured yet: nothing to observe.
        await Expect.ProblemAsync(await admin.PostAsJsonAsync(Rules(site), new { kind = "classifier", classifier = "webhook" }), 400, "validation", "classifier");
        await Expect.JsonAsync(await admin.PutAsJsonAsync($"/v1/sites/{site}/classifiers", new { webhook = new { enabled = false, url = classifier.Url } }), 200);
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "classifier", classifier = "webhook" }), 403, "forbidden");
        var rule = await Expect.JsonAsync(await admin.PostAsJsonAsync(Rules(site), new { kind = "classifier", classifier = "webhook" }), 201);

        var comment = await PostAsync(site, SampleText.Line(8), "Lena");
        Assert.Equal("approved", Status(comment));
        Assert.Equal(1, classifier.Calls);
        Assert.Equal("spam", await service.ScalarAsync<string>("SELECT would_status FROM shadow_verdicts WHERE comment_id = $1", Guid.Parse(Id(comment))));
        var report = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 200);
        Assert.Equal(1, report["wouldSpam"]!.GetValue<int>());
        Assert.Contains(report["examples"]![0]!["flags"]!.AsArray(), f => f!["reason"]!.GetValue<string>() == "external.webhook.spam");

        // Turning on a classifier is an admin's call, also through promotion.
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { }), 403, "forbidden");
        await Expect.JsonAsync(await admin.PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { }), 200);
        var settings = await Expect.JsonAsync(await admin.GetAsync($"/v1/sites/{site}/classifiers"), 200);
        Assert.True(settings["webhook"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("spam", Status(await PostAsync(site, SampleText.Line(9), "Mats")));
        Assert.Equal(2, classifier.Calls);
    }

    [Fact]
    public async Task An_enabled_classifier_is_asked_once_per_comment_however_many_rules_are_observed()
    {
        await using var classifier = await FakeClassifier.StartAsync();
        var site = await service.CreateSiteAsync();
        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));
        await Expect.JsonAsync(await admin.PutAsJsonAsync($"/v1/sites/{site}/classifiers", new { webhook = new { enabled = true, url = classifier.Url } }), 200);
        // Neither rule decides before the classifier, so every shadow run reaches it.
        await Expect.JsonAsync(await admin.PostAsJsonAsync(Rules(site), new { kind = "term", term = "ending", action = "flag" }), 201);
        await Expect.JsonAsync(await admin.PostAsJsonAsync(Rules(site), new { kind = "threshold", setting = "preModeration", preModeration = "all" }), 201);

        var comment = await PostAsync(site, SampleText.Line(0), "Ada");
        Assert.Equal("approved", Status(comment));
        Assert.Equal(1, classifier.Calls);
        Assert.Equal(2L, await ShadowCountAsync(site));
    }

    [Fact]
    public async Task An_edit_is_judged_again_and_replaces_its_shadow_verdict()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = "popcorn", action = "reject" }), 201);
        var comment = await PostAsync(site, "Too much popcorn talk in this thread, the film deserves better.", "Ines");
        Assert.Equal("rejected", await service.ScalarAsync<string>("SELECT would_status FROM shadow_verdicts WHERE comment_id = $1", Guid.Parse(Id(comment))));

        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/v1/sites/{site}/comments/{Id(comment)}")
        {
            Content = JsonContent.Create(new { body = "The film deserves better than this thread gives it." }),
        };
        edit.Headers.Add("X-Edit-Token", comment["editToken"]!.GetValue<string>());
        Assert.Equal("approved", Status(await Expect.JsonAsync(await service.Anonymous().SendAsync(edit), 200)));
        Assert.Equal(0L, await ShadowCountAsync(site));
    }

    [Fact]
    public async Task A_phase_switched_to_observe_stops_deciding_and_its_would_be_holds_are_reported()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var rule = await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "phase", phase = "crude-language" }), 201);

        var crude = await PostAsync(site, Crude, "Anon");
        Assert.Equal("approved", Status(crude));
        var report = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 200);
        Assert.Equal(1, report["wouldHold"]!.GetValue<int>());
        Assert.Equal("crude-language", report["examples"]![0]!["decidedBy"]!.GetValue<string>());

        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { }), 200);
        Assert.Equal("pending", Status(await PostAsync(site, Crude, "Anon Two")));
    }

    [Fact]
    public async Task Deleting_a_rule_stops_the_observation_and_is_audited()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var rule = await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = "popcorn", action = "reject" }), 201);
        var listed = await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}?mode=observe"), 200);
        Assert.Equal(Id(rule), Assert.Single(listed["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(Id(rule), Id(await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}"), 200)));
        await PostAsync(site, "Popcorn and a sad film, what more could anyone want.", "Ines");
        Assert.Equal(1L, await ShadowCountAsync(site));

        await Expect.StatusAsync(await moderator.DeleteAsync($"{Rules(site)}/{Id(rule)}"), 204);
        Assert.Equal(0L, await ShadowCountAsync(site));
        Assert.False(await service.ScalarAsync<bool>("SELECT has_observed_rules FROM sites WHERE id = $1", site));
        Assert.Empty((await Expect.JsonAsync(await moderator.GetAsync(Rules(site)), 200))["items"]!.AsArray());
        await Expect.ProblemAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 404, "not-found");
        await Expect.ProblemAsync(await moderator.DeleteAsync($"{Rules(site)}/{Id(rule)}"), 404, "not-found");
        var audit = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/audit?ruleId={Id(rule)}"), 200);
        Assert.Equal("rule.deleted", audit["items"]![0]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rules_routes_need_a_moderate_key_of_the_site()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        using var reader = service.WithKey(await service.CreateKeyAsync(site, "comments:read"));
        using var otherModerator = service.WithKey(await service.CreateKeyAsync(other, "moderate"));
        var rule = await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "phase", phase = "spam.shouting" }), 201);
        var body = new { kind = "term", term = "popcorn", action = "hold" };

        await Expect.ProblemAsync(await service.Anonymous().GetAsync(Rules(site)), 401, "unauthorized");
        await Expect.ProblemAsync(await service.Anonymous().PostAsJsonAsync(Rules(site), body), 401, "unauthorized");
        await Expect.ProblemAsync(await service.Anonymous().PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { }), 401, "unauthorized");
        await Expect.ProblemAsync(await reader.GetAsync($"{Rules(site)}/{Id(rule)}/report"), 403, "forbidden");
        await Expect.ProblemAsync(await reader.PostAsJsonAsync(Rules(site), body), 403, "forbidden");
        await Expect.ProblemAsync(await otherModerator.GetAsync(Rules(site)), 403, "forbidden");
        await Expect.ProblemAsync(await otherModerator.PostAsJsonAsync($"{Rules(site)}/{Id(rule)}/promote", new { }), 403, "forbidden");
        await Expect.ProblemAsync(await otherModerator.DeleteAsync($"{Rules(site)}/{Id(rule)}"), 403, "forbidden");
        // Another site's rule id on one's own site is unknown.
        await Expect.ProblemAsync(await otherModerator.GetAsync($"{Rules(other)}/{Id(rule)}/report"), 404, "not-found");
        await Expect.ProblemAsync(await otherModerator.PostAsJsonAsync($"{Rules(other)}/{Id(rule)}/promote", new { }), 404, "not-found");
        Assert.Equal("observe", (await Expect.JsonAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}"), 200))["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_rules_are_refused_naming_the_field()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        async Task RefusedAsync(object body, string field) =>
            await Expect.ProblemAsync(await moderator.PostAsJsonAsync(Rules(site), body), 400, "validation", field);

        await RefusedAsync(new { kind = "vibes" }, "kind");
        await RefusedAsync(new { kind = "term", action = "hold" }, "term");
        await RefusedAsync(new { kind = "term", term = "popcorn", action = "delete" }, "action");
        await RefusedAsync(new { kind = "threshold", setting = "mood", value = 1 }, "setting");
        await RefusedAsync(new { kind = "threshold", setting = "spamThreshold" }, "value");
        await RefusedAsync(new { kind = "threshold", setting = "spamThreshold", value = 1.5 }, "value");
        await RefusedAsync(new { kind = "threshold", setting = "maxLinks", value = 2.5 }, "value");
        await RefusedAsync(new { kind = "threshold", setting = "preModeration", preModeration = "sometimes" }, "preModeration");
        // Above the site's spam threshold (0.8): a policy that could never be enforced.
        await RefusedAsync(new { kind = "threshold", setting = "spamHoldThreshold", value = 0.9 }, "value");
        await RefusedAsync(new { kind = "classifier", classifier = "oracle" }, "classifier");
        await RefusedAsync(new { kind = "phase", phase = "author" }, "phase");
        await RefusedAsync(new { kind = "phase", phase = "no-such-phase" }, "phase");
        await Expect.ProblemAsync(await moderator.GetAsync($"{Rules(site)}?mode=maybe"), 400, "validation", "mode");
        await Expect.ProblemAsync(await moderator.GetAsync($"{Rules(site)}/not-a-guid/report"), 400, "validation", "ruleId");
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM moderation_rules WHERE site_id = $1", site));

        var rule = await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = "popcorn", action = "hold" }), 201);
        var now = DateTimeOffset.UtcNow;
        await Expect.ProblemAsync(await moderator.GetAsync(
            $"{Rules(site)}/{Id(rule)}/report?from={Uri.EscapeDataString(now.ToString("O"))}&to={Uri.EscapeDataString(now.AddDays(-1).ToString("O"))}"), 400, "validation", "from");
        await Expect.ProblemAsync(await moderator.GetAsync($"{Rules(site)}/{Id(rule)}/report?from=yesterday"), 400, "validation", "from");

        // The same rule twice, a term the word list already enforces, and more than 20 observed rules are conflicts.
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = "POPCORN", action = "hold" }), 409, "conflict");
        await Expect.JsonAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/terms", new { term = "nachos", action = "reject" }), 200);
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = "nachos", action = "reject" }), 409, "conflict");
        for (var i = 1; i < 20; i++)
        {
            await Expect.JsonAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = $"snack{i}", action = "flag" }), 201);
        }
        await Expect.ProblemAsync(await moderator.PostAsJsonAsync(Rules(site), new { kind = "term", term = "snack20", action = "flag" }), 409, "conflict");
    }
}

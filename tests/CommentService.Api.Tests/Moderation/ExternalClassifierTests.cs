using System.Net.Http.Json;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CommentService.Api.Tests.Moderation;

/// <summary>A site's Akismet adapter against a local fake of Akismet's comment-check.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ExternalClassifierTests(ServiceFixture service)
{
    private sealed class FakeAkismet : IAsyncDisposable
    {
        private readonly WebApplication app;
        public List<IFormCollection> Calls { get; } = [];
        public string Answer { get; set; } = "false";
        public string Url { get; }

        private FakeAkismet(WebApplication app, string url)
        {
            this.app = app;
            Url = url;
        }

        public static async Task<FakeAkismet> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            FakeAkismet? fake = null;
            app.MapPost("/1.1/comment-check", async (HttpContext ctx) =>
            {
                var form = await ctx.Request.ReadFormAsync();
                lock (fake!.Calls)
                {
                    fake.Calls.Add(form);
                }
                return fake.Answer;
            });
            await app.StartAsync();
            fake = new FakeAkismet(app, app.Urls.First());
            return fake;
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string site, string body) =>
        await service.Anonymous().PostAsJsonAsync(ServiceFixture.CommentsPath(site, "akismet"), new { authorName = "Reader", body, authorEmail = "reader@example.org" });

    [Fact]
    public async Task Akismet_is_consulted_when_turned_on_and_its_spam_answer_holds_the_comment()
    {
        await using var akismet = await FakeAkismet.StartAsync();
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        var settings = await Expect.JsonAsync(await admin.PutAsJsonAsync($"/v1/sites/{site}/classifiers",
            new { akismet = new { enabled = true, apiKey = "test-akismet-key", blog = "https://blog.example", baseUrl = akismet.Url } }), 200);
        Assert.True(settings["akismet"]!["hasApiKey"]!.GetValue<bool>());
        Assert.DoesNotContain("test-akismet-key", settings.ToJsonString());
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM site_classifiers WHERE site_id = $1 AND akismet_key_protected LIKE '%test-akismet-key%'", site));

        var clean = await Expect.JsonAsync(await PostAsync(site, SampleText.Line(7)), 201);
        Assert.Equal("approved", clean["status"]!.GetValue<string>());
        var call = Assert.Single(akismet.Calls);
        Assert.Equal("test-akismet-key", call["api_key"].ToString());
        Assert.Equal(SampleText.Line(7), call["comment_content"].ToString());
        Assert.Equal("reader@example.org", call["comment_author_email"].ToString());

        akismet.Answer = "true";
        var flagged = await Expect.JsonAsync(await PostAsync(site, SampleText.Line(8)), 201);
        Assert.NotEqual("approved", flagged["status"]!.GetValue<string>());
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        var queue = await Expect.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/moderation/queue"), 200);
        var held = Assert.Single(queue["items"]!.AsArray())!;
        Assert.Contains(held["verdict"]!["flags"]!.AsArray(), f => f!["phase"]!.GetValue<string>() == "external.akismet");
    }

    [Fact]
    public async Task An_unreachable_classifier_fails_open_and_a_site_without_one_never_calls_out()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        await Expect.JsonAsync(await admin.PutAsJsonAsync($"/v1/sites/{site}/classifiers",
            new { akismet = new { enabled = true, apiKey = "k", blog = "https://blog.example", baseUrl = "http://127.0.0.1:9" } }), 200);
        var created = await Expect.JsonAsync(await PostAsync(site, SampleText.Line(9)), 201);
        Assert.Equal("approved", created["status"]!.GetValue<string>());
        var verdict = await service.ScalarAsync<string>("SELECT verdict::text FROM comments WHERE id = $1", Guid.Parse(created["id"]!.GetValue<string>()));
        Assert.Contains("external.unavailable", verdict);

        await using var akismet = await FakeAkismet.StartAsync();
        var quiet = await service.CreateSiteAsync();
        await Expect.JsonAsync(await PostAsync(quiet, SampleText.Line(10)), 201);
        Assert.Empty(akismet.Calls);
    }

    [Fact]
    public async Task Turning_akismet_on_needs_a_key_and_only_a_site_admin_may()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        await Expect.ProblemAsync(await admin.PutAsJsonAsync($"/v1/sites/{site}/classifiers",
            new { akismet = new { enabled = true, blog = "https://blog.example" } }), 400, "validation", "akismet.apiKey");
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.ProblemAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/classifiers", new { akismet = new { enabled = false } }), 403, "forbidden");
        var webhook = await Expect.JsonAsync(await admin.PutAsJsonAsync($"/v1/sites/{site}/classifiers",
            new { webhook = new { enabled = true, url = "http://127.0.0.1:9/classify" } }), 200);
        Assert.False(string.IsNullOrEmpty(webhook["webhookSecret"]!.GetValue<string>()));
        var again = await Expect.JsonAsync(await admin.GetAsync($"/v1/sites/{site}/classifiers"), 200);
        Assert.True(again["webhook"]!["hasSecret"]!.GetValue<bool>());
        Assert.Null(again["webhookSecret"]);
    }
}

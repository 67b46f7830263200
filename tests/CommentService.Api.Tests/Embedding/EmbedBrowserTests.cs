using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Embedding.Browser;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Http = CommentService.Api.Tests.Infrastructure.Expect;

namespace CommentService.Api.Tests.Embedding;

/// <summary>
/// The embed in a real headless Chromium, on a publisher's page served from another origin than the
/// service, talking to the real service over CORS.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class EmbedBrowserTests(ServiceFixture service, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Article = "https://films.example/her";

    [SkippableFact]
    public async Task A_reader_sees_the_nested_thread_posts_replies_edits_deletes_reports_and_votes()
    {
        var chromium = browser.Require();
        var site = NewSiteId();
        var seeded = await SeedDemoThreadAsync(site);
        string Id(string key) => seeded[key]!.GetValue<string>();

        await using var reader = await Reader.OpenAsync(chromium, browser.AddPage(BrowserFixture.ArticlePage(service.BaseAddress, site, Article)));
        await Expect(reader.Embed.Locator(".cs-count")).ToHaveTextAsync("7 comments");
        await Expect(reader.Box(Id("maya"))).ToContainTextAsync("Quietly devastating");
        await Expect(reader.Replies(Id("maya")).Locator($"#cs-{Id("jonas")}")).ToContainTextAsync("nobody in that crowd");
        await Expect(reader.Replies(Id("jonas")).Locator($"#cs-{Id("maya2")}")).ToContainTextAsync("lets you sit with it");
        // bodyHtml, the sanitised Markdown, is what the page shows.
        await Expect(reader.Box(Id("simone")).Locator(".cs-body em")).ToHaveTextAsync("letter-writing");
        await Expect(reader.Box(Id("maya")).Locator("a.cs-author")).ToHaveAttributeAsync("href", "https://maya.example/");
        await Expect(reader.Box(Id("maya")).Locator(".cs-score")).ToHaveTextAsync("4");
        await Expect(reader.Embed.Locator(".cs-notice")).ToHaveCountAsync(0);
        Assert.DoesNotMatch(@"\b(false|undefined|null|NaN)\b", await reader.Embed.InnerTextAsync());
        await SaveScreenshotAsync(reader.Page);

        // A top-level comment.
        var form = reader.Embed.Locator(".cs-top form");
        await form.GetByLabel("Name").FillAsync("Lena");
        await form.GetByLabel("Your comment").FillAsync("Her is the rare film that gets kinder every time I watch it.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        var mine = reader.CommentWithText("gets kinder every time");
        await Expect(mine).ToBeVisibleAsync();
        await Expect(reader.Embed.Locator(".cs-count")).ToHaveTextAsync("8 comments");
        await Expect(reader.Embed.Locator(".cs-live")).ToHaveTextAsync("Your comment is posted.");

        // A reply, nested under the comment it answers; the name is remembered.
        await reader.Box(Id("priya")).GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        var replyForm = reader.Box(Id("priya")).Locator("form");
        await Expect(replyForm.GetByLabel("Name")).ToHaveValueAsync("Lena");
        await replyForm.GetByLabel("Your reply").FillAsync("Phoenix is why the premise never feels silly.");
        await replyForm.GetByRole(AriaRole.Button, new() { Name = "Post reply" }).ClickAsync();
        var reply = reader.Replies(Id("priya")).Locator(".cs-comment", new() { HasText = "never feels silly" });
        await Expect(reply).ToBeVisibleAsync();
        await Expect(reader.Embed.Locator(".cs-count")).ToHaveTextAsync("9 comments");
        var replyId = (await reply.GetAttributeAsync("data-id"))!;
        var stored = await GetAsModeratorAsync(site, replyId);
        Assert.Equal(Id("priya"), stored["parentId"]!.GetValue<string>());

        // Edit and delete within the window, with the edit token the browser kept.
        await reader.Box(replyId).GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await reader.Box(replyId).GetByLabel("Edit your comment").FillAsync("Phoenix is why the premise **never** feels silly.");
        await reader.Box(replyId).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(reader.Box(replyId).Locator(".cs-body strong")).ToHaveTextAsync("never");
        await Expect(reader.Box(replyId).Locator(".cs-edited")).ToBeVisibleAsync();
        Assert.Contains("**never**", (await GetAsModeratorAsync(site, replyId))["body"]!.GetValue<string>());

        await reader.Box(replyId).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await reader.Box(replyId).GetByRole(AriaRole.Button, new() { Name = "Confirm delete" }).ClickAsync();
        await Expect(reply).ToHaveCountAsync(0);
        await Expect(reader.Embed.Locator(".cs-count")).ToHaveTextAsync("8 comments");
        Assert.Equal("deleted", (await GetAsModeratorAsync(site, replyId))["status"]!.GetValue<string>());

        // A report, with the reason picked in its form.
        var tom = reader.Box(Id("tom"));
        await tom.GetByRole(AriaRole.Button, new() { Name = "Report" }).ClickAsync();
        await tom.GetByLabel("Why should moderators look at this?").SelectOptionAsync("offtopic");
        await tom.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Expect(tom.Locator(".cs-msg")).ToHaveTextAsync("Thank you. The moderators will take a look.");
        Assert.Equal("offtopic", await service.ScalarAsync<string>("SELECT reason FROM comment_reports WHERE comment_id = $1", Guid.Parse(Id("tom"))));

        // Votes: up, then changed to down; the service counts them.
        var dan = reader.Box(Id("dan"));
        await Expect(dan.Locator(".cs-score")).ToHaveTextAsync("1");
        await dan.Locator(".cs-up").ClickAsync();
        await Expect(dan.Locator(".cs-score")).ToHaveTextAsync("2");
        await Expect(dan.Locator(".cs-up")).ToHaveAttributeAsync("aria-pressed", "true");
        await dan.Locator(".cs-down").ClickAsync();
        await Expect(dan.Locator(".cs-score")).ToHaveTextAsync("0");
        await Expect(dan.Locator(".cs-down")).ToHaveAttributeAsync("aria-pressed", "true");
        var votes = await GetAsModeratorAsync(site, Id("dan"));
        Assert.Equal((1, 1), (votes["upvotes"]!.GetValue<int>(), votes["downvotes"]!.GetValue<int>()));

        // The browser kept its vote: after a reload the button is still pressed.
        await reader.ReloadAsync();
        await Expect(reader.Box(Id("dan")).Locator(".cs-down")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Empty(reader.Errors);
    }

    [SkippableFact]
    public async Task Markup_in_names_and_comments_shows_as_text_and_never_runs()
    {
        var chromium = browser.Require();
        var site = await CreateSiteAsync();
        const string Hostile = "<script>alert(1)</script> and <img src=x onerror=alert(1)>";
        await service.PostCommentAsync(site, Article, Hostile, author: "<img src=x onerror=alert(2)>");

        await using var reader = await Reader.OpenAsync(chromium, browser.AddPage(BrowserFixture.ArticlePage(service.BaseAddress, site, Article)));
        var form = reader.Embed.Locator(".cs-top form");
        await form.GetByLabel("Name").FillAsync("<b onmouseover=alert(3)>Mallory</b>");
        await form.GetByLabel("Your comment").FillAsync("From the form: " + Hostile);
        await form.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Expect(reader.Embed.Locator(".cs-count")).ToHaveTextAsync("2 comments");

        // Reload, so the posted comment also comes back from the thread, then give any handler time to fire.
        await reader.ReloadAsync();
        await Expect(reader.Embed.Locator(".cs-comment")).ToHaveCountAsync(2);
        await reader.Page.Locator(".cs-comment").Last.HoverAsync();
        await reader.Page.WaitForTimeoutAsync(500);

        await Expect(reader.Embed.GetByText("<script>alert(1)</script> and <img src=x onerror=alert(1)>").First).ToBeVisibleAsync();
        await Expect(reader.Embed.GetByText("<img src=x onerror=alert(2)>", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(reader.Embed.GetByText("<b onmouseover=alert(3)>Mallory</b>", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(reader.Page.Locator("#comments script, #comments img, #comments b, img[src='x']")).ToHaveCountAsync(0);
        Assert.Empty(reader.Dialogs);
        Assert.Empty(reader.Errors);
    }

    [SkippableFact]
    public async Task A_held_comment_shows_its_author_a_notice_and_appears_for_everyone_once_approved()
    {
        var chromium = browser.Require();
        var site = await CreateSiteAsync();
        using var moderator = service.Operator();
        await Expect200Async(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", new { preModeration = "all", reportThreshold = 1 }));
        var url = browser.AddPage(BrowserFixture.ArticlePage(service.BaseAddress, site, Article));

        await using var author = await Reader.OpenAsync(chromium, url);
        var form = author.Embed.Locator(".cs-top form");
        await form.GetByLabel("Name").FillAsync("Nadia");
        await form.GetByLabel("Your comment").FillAsync("I think the ending is hopeful, actually.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        var held = author.CommentWithText("the ending is hopeful");
        await Expect(held).ToBeVisibleAsync();
        var id = (await held.GetAttributeAsync("data-id"))!;

        if ((await GetAsModeratorAsync(site, id))["status"]!.GetValue<string>() == "pending")
        {
            await Expect(held.Locator(".cs-notice")).ToContainTextAsync("awaiting review");
        }
        else
        {
            // This build's pipeline does not hold on pre-moderation yet: a reader's report (threshold 1)
            // sends the comment back to the queue, which is the same held state.
            using var other = service.Anonymous();
            using var report = new HttpRequestMessage(HttpMethod.Post, $"/v1/sites/{site}/comments/{id}/reports") { Content = JsonContent.Create(new { reason = "other" }) };
            report.Headers.Add("X-Reader-Token", "another-reader-" + Guid.NewGuid().ToString("N"));
            await Http.StatusAsync(await other.SendAsync(report), 202);
            Assert.Equal("pending", (await GetAsModeratorAsync(site, id))["status"]!.GetValue<string>());
        }

        // The author's browser finds the held comment again, with the notice; a stranger does not see it.
        await author.ReloadAsync();
        await Expect(held.Locator(".cs-notice")).ToContainTextAsync("awaiting review");
        await Expect(held.Locator(".cs-body")).ToHaveTextAsync("I think the ending is hopeful, actually.");
        await Expect(held.Locator(".cs-up")).ToHaveCountAsync(0);
        await using var stranger = await Reader.OpenAsync(chromium, url);
        await Expect(stranger.Embed.Locator(".cs-count")).ToHaveTextAsync("0 comments");
        await Expect(stranger.CommentWithText("the ending is hopeful")).ToHaveCountAsync(0);

        await Expect200Async(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/comments/{id}/decision", new { action = "approve" }));
        await stranger.ReloadAsync();
        await Expect(stranger.Embed.Locator(".cs-count")).ToHaveTextAsync("1 comment");
        await Expect(stranger.CommentWithText("the ending is hopeful")).ToBeVisibleAsync();
        await Expect(stranger.CommentWithText("the ending is hopeful").Locator(".cs-notice")).ToHaveCountAsync(0);
        await author.ReloadAsync();
        await Expect(held.Locator(".cs-notice")).ToHaveCountAsync(0);
        await Expect(held.GetByRole(AriaRole.Button, new() { Name = "Edit" })).ToBeVisibleAsync();
        Assert.Empty(author.Errors);
    }

    [SkippableFact]
    public async Task Long_threads_load_more_and_a_refused_comment_shows_the_problem_next_to_its_fields()
    {
        var chromium = browser.Require();
        var site = await CreateSiteAsync();
        await service.PostCommentAsync(site, Article, "First, the oldest.");
        var second = await service.PostCommentAsync(site, Article, "Second, with replies.");
        var secondId = Guid.Parse(second["id"]!.GetValue<string>());
        foreach (var n in new[] { "one", "two", "three" })
        {
            await service.PostCommentAsync(site, Article, $"Reply {n}.", secondId);
        }
        await service.PostCommentAsync(site, Article, "Third, the newest.");

        await using var reader = await Reader.OpenAsync(chromium,
            browser.AddPage(BrowserFixture.ArticlePage(service.BaseAddress, site, Article, """data-limit="2" data-max-replies="1" """)));
        await Expect(reader.Embed.Locator(".cs-list > .cs-comment")).ToHaveCountAsync(2);
        await Expect(reader.CommentWithText("Third, the newest.")).ToHaveCountAsync(0);
        await Expect(reader.Replies(secondId.ToString()).Locator(".cs-comment")).ToHaveCountAsync(1);

        await reader.Page.GetByRole(AriaRole.Button, new() { Name = "Show more replies" }).ClickAsync();
        await Expect(reader.Replies(secondId.ToString()).Locator(".cs-comment")).ToContainTextAsync(["Reply one.", "Reply two.", "Reply three."]);
        await Expect(reader.Page.GetByRole(AriaRole.Button, new() { Name = "Show more replies" })).ToHaveCountAsync(0);
        await reader.Page.GetByRole(AriaRole.Button, new() { Name = "Load more comments" }).ClickAsync();
        await Expect(reader.CommentWithText("Third, the newest.")).ToBeVisibleAsync();
        await Expect(reader.Page.GetByRole(AriaRole.Button, new() { Name = "Load more comments" })).ToHaveCountAsync(0);

        await reader.Embed.GetByLabel("Sort").SelectOptionAsync("newest");
        await Expect(reader.Embed.Locator(".cs-list > .cs-comment").First).ToContainTextAsync("Third, the newest.");

        // Nothing typed: the service's problem details name both fields, and the embed puts each reason beside its field.
        var form = reader.Embed.Locator(".cs-top form");
        await form.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        var body = form.GetByLabel("Your comment");
        await Expect(body).ToHaveAttributeAsync("aria-invalid", "true");
        var bodyError = form.Locator("#" + await body.GetAttributeAsync("aria-describedby"));
        await Expect(bodyError).ToHaveClassAsync("cs-field-error");
        await Expect(bodyError).ToContainTextAsync("body is required");
        await Expect(form.Locator("#" + await form.GetByLabel("Name").GetAttributeAsync("aria-describedby"))).ToContainTextAsync("authorName is required");
        await Expect(form.Locator(".cs-error")).ToContainTextAsync("One or more fields are invalid.");
        await Expect(form.GetByLabel("Name")).ToBeFocusedAsync();

        // Fixing the field clears its message on the next try.
        await form.GetByLabel("Name").FillAsync("Ada");
        await body.FillAsync("Fixed.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        await Expect(reader.CommentWithText("Fixed.")).ToBeVisibleAsync();
        await Expect(form.Locator(".cs-field-error")).ToHaveCountAsync(0);
        Assert.Empty(reader.Errors);
    }

    [SkippableFact]
    public async Task A_reader_the_site_vouches_for_comments_under_that_name_with_a_badge()
    {
        var chromium = browser.Require();
        var site = await CreateSiteAsync();
        using var admin = service.Operator();
        var secret = (await Http.JsonAsync(await admin.PostAsync($"/v1/sites/{site}/user-token-secret", JsonContent.Create(new { })), 201))["secret"]!.GetValue<string>();
        var token = SignUserToken(secret, new { sub = "user-7", name = "Simone", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });

        await using var reader = await Reader.OpenAsync(chromium,
            browser.AddPage(BrowserFixture.ArticlePage(service.BaseAddress, site, Article, $"data-user-token=\"{token}\"")));
        var form = reader.Embed.Locator(".cs-top form");
        await Expect(form.Locator(".cs-hint")).ToHaveTextAsync("Commenting as Simone");
        await Expect(form.GetByLabel("Name")).ToHaveCountAsync(0);
        await form.GetByLabel("Your comment").FillAsync("Signed in, and the ending still got me.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        var posted = reader.CommentWithText("the ending still got me");
        await Expect(posted.Locator(".cs-author")).ToHaveTextAsync("Simone");
        await Expect(posted.Locator(".cs-verified")).ToBeVisibleAsync();
        var id = (await posted.GetAttributeAsync("data-id"))!;
        Assert.StartsWith("u:", await service.ScalarAsync<string>("SELECT author_key FROM comments WHERE id = $1", Guid.Parse(id)));
        Assert.Empty(reader.Errors);
    }

    /// <summary>What a site's backend does: HS256 over base64url(header).base64url(payload).</summary>
    private static string SignUserToken(string secret, object payload)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        return $"{head}.{body}.{B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body)))}";
    }

    private static string NewSiteId() => "embed-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> CreateSiteAsync()
    {
        var id = NewSiteId();
        using var admin = service.Operator();
        await Http.StatusAsync(await admin.PostAsJsonAsync("/v1/sites", new { id, name = "The Film Blog", allowedOrigins = new[] { browser.HostOrigin } }), 201);
        return id;
    }

    private static async Task Expect200Async(HttpResponseMessage response) => await Http.StatusAsync(response, 200);

    private async Task<JsonObject> GetAsModeratorAsync(string site, string id)
    {
        using var moderator = service.Operator();
        return await Http.JsonAsync(await moderator.GetAsync($"/v1/sites/{site}/comments/{id}"), 200);
    }

    /// <summary>The demo's thread, seeded by the same script the demo uses; returns its comments' ids by key.</summary>
    private async Task<JsonObject> SeedDemoThreadAsync(string site)
    {
        var psi = new ProcessStartInfo("python3",
        [
            Path.Combine(RepoPaths.Root, "scripts", "demo-seed.py"), "--base", service.BaseAddress.ToString(),
            "--admin-key", ServiceFixture.AdminKey, "--site", site, "--article", Article, "--origin", browser.HostOrigin,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"demo-seed.py failed:\n{await output}\n{await errors}");
        return JsonNode.Parse(await output)!["comments"]!.AsObject();
    }

    /// <summary>
    /// The seeded thread as a reader sees it, kept with the test results; with
    /// COMMENTS_UPDATE_SCREENSHOTS=1 it also replaces docs/screenshots/thread.png.
    /// </summary>
    private static async Task SaveScreenshotAsync(IPage page)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", "thread.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("COMMENTS_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepoPaths.Root, "docs", "screenshots", "thread.png");
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            File.Copy(path, docs, overwrite: true);
        }
    }
}

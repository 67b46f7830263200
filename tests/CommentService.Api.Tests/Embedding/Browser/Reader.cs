using Microsoft.Playwright;

namespace CommentService.Api.Tests.Embedding.Browser;

/// <summary>
/// One reader's browser: its own context (own localStorage, so its own edit and reader tokens), one
/// tab, and a record of every dialog and uncaught script error the page produced.
/// </summary>
public sealed class Reader : IAsyncDisposable
{
    private Reader(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            Dialogs.Add($"{dialog.Type}: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) => Errors.Add(error);
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public List<string> Dialogs { get; } = [];
    public List<string> Errors { get; } = [];

    public ILocator Embed => Page.Locator("#comments");

    /// <summary>A comment's own box (not its replies).</summary>
    public ILocator Box(string id) => Page.Locator($"#cs-{id} > article");

    public ILocator Replies(string id) => Page.Locator($"#cs-{id} > .cs-replies");

    public ILocator CommentWithText(string text) => Page.Locator(".cs-comment", new() { HasText = text });

    public static async Task<Reader> OpenAsync(IBrowser browser, string url)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 820, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        var reader = new Reader(context, await context.NewPageAsync());
        await reader.GotoAsync(url);
        return reader;
    }

    public async Task GotoAsync(string url)
    {
        await Page.GotoAsync(url);
        // The embed has loaded the thread once its heading shows the count.
        await Assertions.Expect(Embed.Locator(".cs-count")).ToContainTextAsync("comment");
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await Assertions.Expect(Embed.Locator(".cs-count")).ToContainTextAsync("comment");
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

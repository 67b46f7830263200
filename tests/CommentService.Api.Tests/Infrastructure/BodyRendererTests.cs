using CommentService.Api.Infrastructure;

namespace CommentService.Api.Tests.Infrastructure;

public sealed class BodyRendererTests
{
    private static readonly BodyRenderer Renderer = new();

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("<a href=\"https://x.example\" onclick=\"alert(1)\">x</a>")]
    [InlineData("<iframe src=https://evil.example></iframe>")]
    [InlineData("<svg onload=alert(1)>")]
    public void Html_and_script_in_comments_never_become_markup(string body)
    {
        var html = Renderer.ToHtml(body);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"<[^>]*\son\w+\s*=", html);
    }

    [Fact]
    public void Raw_html_is_shown_as_text()
    {
        Assert.Equal("<p>&lt;b&gt;bold?&lt;/b&gt;</p>", Renderer.ToHtml("<b>bold?</b>"));
    }

    [Fact]
    public void The_markdown_subset_renders_and_links_get_nofollow_ugc()
    {
        var html = Renderer.ToHtml("*Loved* it, **truly**. See [the review](https://films.example/her) and `code`.\n\n> a quote");
        Assert.Contains("<em>Loved</em>", html);
        Assert.Contains("<strong>truly</strong>", html);
        Assert.Contains("<a href=\"https://films.example/her\" rel=\"nofollow ugc\">the review</a>", html);
        Assert.Contains("<code>code</code>", html);
        Assert.Contains("<blockquote>", html);
    }

    [Fact]
    public void Headings_lists_and_images_stay_plain()
    {
        var html = Renderer.ToHtml("# Not a heading\n\n- not a list\n\n![pixel](https://tracker.example/p.gif)");
        Assert.DoesNotContain("<h1", html);
        Assert.DoesNotContain("<ul", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("# Not a heading", html);
        Assert.Contains("rel=\"nofollow ugc\"", html);
    }
}

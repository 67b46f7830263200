using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

[Collection(ServiceCollection.Name)]
public sealed class BodyHtmlTests(ServiceFixture service)
{
    [Fact]
    public async Task Comments_carry_sanitised_html_beside_their_raw_text_everywhere()
    {
        var site = await service.CreateSiteAsync();
        const string body = "Great *film*. <script>alert('x')</script> <img src=x onerror=alert(1)>";
        var created = await service.PostCommentAsync(site, "html", body);
        Assert.Equal(body, created["body"]!.GetValue<string>());
        var html = created["bodyHtml"]!.GetValue<string>();
        Assert.Contains("<em>film</em>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);

        var page = await service.ReadThreadAsync(site, "html");
        Assert.Equal(html, page["items"]![0]!["bodyHtml"]!.GetValue<string>());
        Assert.Equal(body, page["items"]![0]!["body"]!.GetValue<string>());
    }
}

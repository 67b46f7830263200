using System.Text.Json;
using CommentService.Api.Features.Comments.ListThread;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

/// <summary>
/// The thread page is written by hand with a Utf8JsonWriter (PageJson) for speed: it must be byte for byte what
/// System.Text.Json writes for the same ThreadPage with the service's options (web defaults), so the contract,
/// the generated client and every consumer see no difference.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ThreadPageJsonTests(ServiceFixture service)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { MaxDepth = 160 };

    [Fact]
    public void The_hand_written_page_equals_the_serializers_output_for_every_kind_of_field()
    {
        var created = new DateTimeOffset(2026, 11, 27, 10, 58, 1, 123, TimeSpan.Zero).AddTicks(4560);
        var reply = new ThreadComment
        {
            Id = Guid.CreateVersion7(created), ParentId = Guid.CreateVersion7(created), Depth = 1, Status = "approved",
            AuthorName = "Zoë \"Z\" <b>", AuthorUrl = "https://example.org/?a=1&b=2", AuthorVerified = true,
            AuthorAvatarUrl = "https://example.org/a.png", Body = "Line one\nline two — 'quoted' 🎉 + \u2028",
            BodyHtml = "<p>Line one<br>line two — &#39;quoted&#39; 🎉</p>", CreatedAt = created, EditedAt = created.AddMinutes(3),
            Upvotes = 3, Downvotes = 1, Score = 2, RepliesCursor = "b2Jhc2U2NA",
        };
        var tombstone = new ThreadComment
        {
            Id = Guid.CreateVersion7(created), Depth = 0, Status = "deleted", Tombstone = true, Pinned = true,
            CreatedAt = created.ToOffset(TimeSpan.FromHours(2)), ReplyCount = 1, Replies = [reply],
        };
        var page = new ThreadPage("article/ü?x=1", "A <title> & \"more\"", true, 42, [tombstone, reply], "bmV4dA");
        var empty = new ThreadPage("a", null, false, 0, [], null);

        Assert.Equal(JsonSerializer.Serialize(page, Web), System.Text.Encoding.UTF8.GetString(PageJson.ToBytes(page)));
        Assert.Equal(JsonSerializer.Serialize(empty, Web), System.Text.Encoding.UTF8.GetString(PageJson.ToBytes(empty)));
    }

    [Fact]
    public async Task A_thread_page_over_HTTP_is_what_the_serializer_writes_for_it()
    {
        var site = await service.CreateSiteAsync();
        const string article = "page-json";
        var first = Guid.Parse((await service.PostCommentAsync(site, article, SampleText.Line(11) + " <em>really</em> & “quoted” café"))["id"]!.GetValue<string>());
        await service.PostCommentAsync(site, article, SampleText.Line(12), first);
        await service.PostCommentAsync(site, article, SampleText.Line(13));

        using var client = service.Anonymous();
        using var response = await client.GetAsync(ServiceFixture.CommentsPath(site, article) + "?limit=1");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var text = await response.Content.ReadAsStringAsync();
        var page = JsonSerializer.Deserialize<ThreadPage>(text, Web)!;
        Assert.Single(page.Items);
        Assert.Single(page.Items[0].Replies);
        Assert.NotNull(page.NextCursor);
        Assert.Equal(JsonSerializer.Serialize(page, Web), text);
    }
}

using System.Net.Http.Json;
using CommentService.Api.Infrastructure;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Tests.Comments;

/// <summary>
/// Every malformed request to the comment routes is a 4xx problem naming the field, never a 500, and
/// changes nothing: the content checksum is the same before and after.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class BadInputTests(ServiceFixture service)
{
    private const string Validation = "validation";

    /// <summary>A malformed create-comment body: the JSON sent, and the answer expected.</summary>
    public sealed record BadBody(string Json, int Status, string Type, string? Field);

    private static readonly Dictionary<string, BadBody> CreateCases = new()
    {
        ["invalid JSON"] = new("""{"authorName":"Reader","body":"unfinished""", 400, Validation, null),
        ["not an object"] = new("""["Reader","body"]""", 400, Validation, null),
        ["empty body"] = new("""{"authorName":"Reader","body":""}""", 400, Validation, "body"),
        ["missing body"] = new("""{"authorName":"Reader"}""", 400, Validation, "body"),
        ["whitespace-only body"] = new("""{"authorName":"Reader","body":"  \n\t \r\n "}""", 400, Validation, "body"),
        ["body over 10,000 chars"] = new($$"""{"authorName":"Reader","body":"{{new string('x', 10_001)}}"}""", 400, Validation, "body"),
        ["NUL in body"] = new("""{"authorName":"Reader","body":"before\u0000after"}""", 400, Validation, "body"),
        ["escape char in body"] = new("""{"authorName":"Reader","body":"colour \u001b[31m red"}""", 400, Validation, "body"),
        ["lone high surrogate in body"] = new("""{"authorName":"Reader","body":"broken \ud800 text"}""", 400, Validation, "body"),
        ["lone low surrogate in body"] = new("""{"authorName":"Reader","body":"broken \udc00 text"}""", 400, Validation, "body"),
        ["missing authorName"] = new("""{"body":"A comment."}""", 400, Validation, "authorName"),
        ["null authorName"] = new("""{"authorName":null,"body":"A comment."}""", 400, Validation, "authorName"),
        ["whitespace authorName"] = new("""{"authorName":"   ","body":"A comment."}""", 400, Validation, "authorName"),
        ["authorName over 80 chars"] = new($$"""{"authorName":"{{new string('n', 81)}}","body":"A comment."}""", 400, Validation, "authorName"),
        ["BEL in authorName"] = new("""{"authorName":"Ada\u0007","body":"A comment."}""", 400, Validation, "authorName"),
        ["newline in authorName"] = new("""{"authorName":"Ada\nLovelace","body":"A comment."}""", 400, Validation, "authorName"),
        ["DEL in authorName"] = new("""{"authorName":"Ada\u007f","body":"A comment."}""", 400, Validation, "authorName"),
        ["C1 control in authorName"] = new("""{"authorName":"Ada\u0085","body":"A comment."}""", 400, Validation, "authorName"),
        ["lone surrogate in authorName"] = new("""{"authorName":"Ada\ud800","body":"A comment."}""", 400, Validation, "authorName"),
        ["body is a number"] = new("""{"authorName":"Reader","body":42}""", 400, Validation, "body"),
        ["body is an object"] = new("""{"authorName":"Reader","body":{"text":"hi"}}""", 400, Validation, "body"),
        ["authorName is an array"] = new("""{"authorName":["Reader"],"body":"A comment."}""", 400, Validation, "authorName"),
        ["authorEmail is a boolean"] = new("""{"authorName":"Reader","body":"A comment.","authorEmail":true}""", 400, Validation, "authorEmail"),
        ["parentId is a number"] = new("""{"authorName":"Reader","body":"A comment.","parentId":7}""", 400, Validation, "parentId"),
        ["parentId not a GUID"] = new("""{"authorName":"Reader","body":"A comment.","parentId":"not-a-guid"}""", 400, Validation, "parentId"),
        ["bad email"] = new("""{"authorName":"Reader","body":"A comment.","authorEmail":"not-an-email"}""", 400, Validation, "authorEmail"),
        ["email without domain dot"] = new("""{"authorName":"Reader","body":"A comment.","authorEmail":"ada@localhost"}""", 400, Validation, "authorEmail"),
        ["email with display name"] = new("""{"authorName":"Reader","body":"A comment.","authorEmail":"Ada <ada@mail.example>"}""", 400, Validation, "authorEmail"),
        ["javascript: URL"] = new("""{"authorName":"Reader","body":"A comment.","authorUrl":"javascript:alert(1)"}""", 400, Validation, "authorUrl"),
        ["ftp: URL"] = new("""{"authorName":"Reader","body":"A comment.","authorUrl":"ftp://files.example/x"}""", 400, Validation, "authorUrl"),
        ["relative URL"] = new("""{"authorName":"Reader","body":"A comment.","authorUrl":"/about"}""", 400, Validation, "authorUrl"),
        ["unknown parentId"] = new($$"""{"authorName":"Reader","body":"A comment.","parentId":"{{Guid.NewGuid()}}"}""", 400, Validation, "parentId"),
        ["2 MB body"] = new($$"""{"authorName":"Reader","body":"{{new string('x', 2 * 1024 * 1024)}}"}""", 413, "payload-too-large", null),
    };

    public static TheoryData<string> CreateCaseNames => [.. CreateCases.Keys];

    [Theory]
    [MemberData(nameof(CreateCaseNames))]
    public async Task Malformed_comment_is_refused_with_a_problem_and_changes_nothing(string name)
    {
        var (json, status, type, field) = CreateCases[name];
        var site = await service.CreateSiteAsync();
        await service.PostCommentAsync(site, "bad-input", "An existing comment.");
        var before = await service.ContentChecksumAsync();

        using var client = service.Anonymous();
        using var response = await client.PostAsync(ServiceFixture.CommentsPath(site, "bad-input"), RawHttp.Json(json));
        await Expect.ProblemAsync(response, status, type, field);

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    public static TheoryData<string, string?, string?> NotJson => new()
    {
        { "POST", null, """{"authorName":"Reader","body":"No content type."}""" },
        { "POST", null, null },
        { "POST", "text/plain", """{"authorName":"Reader","body":"Plain text."}""" },
        { "POST", "application/x-www-form-urlencoded", "authorName=Reader&body=Form" },
        { "PATCH", null, """{"body":"No content type."}""" },
        { "PATCH", null, null },
        { "PATCH", "text/plain", """{"body":"Plain text."}""" },
    };

    [Theory]
    [MemberData(nameof(NotJson))]
    public async Task A_body_that_is_not_declared_JSON_is_415_with_a_problem_and_changes_nothing(string method, string? contentType, string? text)
    {
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "not-json", "The original text.");
        var before = await service.ContentChecksumAsync();

        using var client = service.Anonymous();
        var path = method == "POST" ? ServiceFixture.CommentsPath(site, "not-json") : $"/v1/sites/{site}/comments/{created["id"]}";
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Edit-Token", created["editToken"]!.GetValue<string>());
        if (text is not null)
        {
            request.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = new(contentType);
            }
        }
        using var response = await client.SendAsync(request);
        await Expect.ProblemAsync(response, 415, "unsupported-media-type");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Values_at_the_limits_are_accepted()
    {
        var site = await service.CreateSiteAsync();
        var name = new string('n', 80);
        var body = new string('b', 10_000);
        var created = await service.PostCommentAsync(site, "limits", body, author: name);
        Assert.Equal(name, created["authorName"]!.GetValue<string>());
        Assert.Equal(body, created["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_comment_to_an_unknown_site_is_not_found_and_creates_nothing()
    {
        var before = await service.ContentChecksumAsync();
        using var client = service.Anonymous();
        using var response = await client.PostAsync(ServiceFixture.CommentsPath("no-such-site", "article"),
            RawHttp.Json("""{"authorName":"Reader","body":"Hello?"}"""));
        await Expect.ProblemAsync(response, 404, "not-found");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Reply_to_a_comment_of_another_article_is_refused_naming_parentId()
    {
        var site = await service.CreateSiteAsync();
        var elsewhere = await service.PostCommentAsync(site, "other-article", "Posted elsewhere.");
        await service.PostCommentAsync(site, "this-article", "Posted here.");
        var before = await service.ContentChecksumAsync();

        using var client = service.Anonymous();
        using var response = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "this-article"),
            new { authorName = "Reader", body = "Reply across articles.", parentId = elsewhere["id"]!.GetValue<Guid>() });
        await Expect.ProblemAsync(response, 400, Validation, "parentId");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Reply_to_a_comment_of_another_site_is_refused_naming_parentId()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        var foreign = await service.PostCommentAsync(other, "same-article", "Posted on the other site.");
        var before = await service.ContentChecksumAsync();

        using var client = service.Anonymous();
        using var response = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "same-article"),
            new { authorName = "Reader", body = "Reply across sites.", parentId = foreign["id"]!.GetValue<Guid>() });
        await Expect.ProblemAsync(response, 400, Validation, "parentId");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_reply_at_max_depth_is_accepted_and_one_deeper_is_refused()
    {
        var maxDepth = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IOptions<ServiceOptions>>(service.Services).Value.MaxDepth;
        var site = await service.CreateSiteAsync();
        using var client = service.Anonymous();
        var path = ServiceFixture.CommentsPath(site, "deep");

        // One client, one connection: the chain is maxDepth + 1 sequential posts.
        Guid? parent = null;
        for (var depth = 0; depth <= maxDepth; depth++)
        {
            using var posted = await client.PostAsJsonAsync(path, new { authorName = "Reader", body = $"Depth {depth}", parentId = parent });
            var created = await Expect.JsonAsync(posted, 201);
            Assert.Equal(depth, created["depth"]!.GetValue<int>());
            parent = created["id"]!.GetValue<Guid>();
        }
        var before = await service.ContentChecksumAsync();

        using var response = await client.PostAsJsonAsync(path, new { authorName = "Reader", body = "One level too deep", parentId = parent });
        await Expect.ProblemAsync(response, 400, Validation, "parentId");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    private static readonly Dictionary<string, BadBody> EditCases = new()
    {
        ["invalid JSON"] = new("""{"body":""", 400, Validation, null),
        ["empty body"] = new("""{"body":""}""", 400, Validation, "body"),
        ["missing body"] = new("""{}""", 400, Validation, "body"),
        ["whitespace-only body"] = new("""{"body":" \n\t "}""", 400, Validation, "body"),
        ["body over 10,000 chars"] = new($$"""{"body":"{{new string('x', 10_001)}}"}""", 400, Validation, "body"),
        ["NUL in body"] = new("""{"body":"before\u0000after"}""", 400, Validation, "body"),
        ["lone surrogate in body"] = new("""{"body":"broken \ud800 text"}""", 400, Validation, "body"),
        ["body is a number"] = new("""{"body":42}""", 400, Validation, "body"),
        ["2 MB body"] = new($$"""{"body":"{{new string('x', 2 * 1024 * 1024)}}"}""", 413, "payload-too-large", null),
    };

    public static TheoryData<string> EditCaseNames => [.. EditCases.Keys];

    [Theory]
    [MemberData(nameof(EditCaseNames))]
    public async Task Malformed_edit_is_refused_with_a_problem_and_changes_nothing(string name)
    {
        var (json, status, type, field) = EditCases[name];
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "bad-edit", "The original text.");
        var before = await service.ContentChecksumAsync();

        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/sites/{site}/comments/{created["id"]}") { Content = RawHttp.Json(json) };
        request.Headers.Add("X-Edit-Token", created["editToken"]!.GetValue<string>());
        using var response = await client.SendAsync(request);
        await Expect.ProblemAsync(response, status, type, field);

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Edit_of_a_comment_id_that_is_not_a_GUID_is_refused_naming_commentId()
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/v1/sites/{site}/comments/not-a-guid") { Content = RawHttp.Json("""{"body":"New text."}""") };
        request.Headers.Add("X-Edit-Token", "whatever");
        using var response = await client.SendAsync(request);
        await Expect.ProblemAsync(response, 400, Validation, "commentId");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Theory]
    [InlineData("?sort=sideways", "sort")]
    [InlineData("?sort=", "sort")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=-5", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?maxReplies=-1", "maxReplies")]
    [InlineData("?maxReplies=201", "maxReplies")]
    [InlineData("?parentId=not-a-guid", "parentId")]
    [InlineData("?parentId=00000000-0000-0000-0000-000000000001", "parentId")]
    [InlineData("?cursor=garbage!!", "cursor")]
    [InlineData("?cursor=bzAwMDAw", "cursor")] // "o00000": one character short of a path segment
    [InlineData("?cursor=", "cursor")]
    public async Task Bad_thread_query_is_refused_naming_the_field(string query, string field)
    {
        var site = await service.CreateSiteAsync();
        await service.PostCommentAsync(site, "queried", "Here so the thread exists.");
        var before = await service.ContentChecksumAsync();

        using var client = service.Anonymous();
        using var response = await client.GetAsync(ServiceFixture.CommentsPath(site, "queried") + query);
        await Expect.ProblemAsync(response, 400, Validation, field);

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_cursor_of_one_sort_is_refused_by_the_other()
    {
        var site = await service.CreateSiteAsync();
        for (var i = 0; i < 3; i++)
        {
            await service.PostCommentAsync(site, "sorted", SampleText.Line(i));
        }
        var oldest = await service.ReadThreadAsync(site, "sorted", "?sort=oldest&limit=1");
        var cursor = Uri.EscapeDataString(oldest["nextCursor"]!.GetValue<string>());

        using var client = service.Anonymous();
        using var response = await client.GetAsync(ServiceFixture.CommentsPath(site, "sorted") + $"?sort=newest&limit=1&cursor={cursor}");
        await Expect.ProblemAsync(response, 400, Validation, "cursor");
    }

    [Fact]
    public async Task A_replies_cursor_used_on_the_top_level_list_is_refused()
    {
        var site = await service.CreateSiteAsync();
        var root = await service.PostCommentAsync(site, "nested", "Root");
        for (var i = 0; i < 3; i++)
        {
            await service.PostCommentAsync(site, "nested", SampleText.Line(i), root["id"]!.GetValue<Guid>());
        }
        var page = await service.ReadThreadAsync(site, "nested", "?maxReplies=1");
        var cursor = Uri.EscapeDataString(page["items"]![0]!["repliesCursor"]!.GetValue<string>());

        using var client = service.Anonymous();
        using var response = await client.GetAsync(ServiceFixture.CommentsPath(site, "nested") + $"?cursor={cursor}");
        await Expect.ProblemAsync(response, 400, Validation, "cursor");
    }

    [Fact]
    public async Task Reading_a_thread_of_an_unknown_site_is_not_found()
    {
        using var client = service.Anonymous();
        using var response = await client.GetAsync(ServiceFixture.CommentsPath("no-such-site", "article"));
        await Expect.ProblemAsync(response, 404, "not-found");
    }

    public static TheoryData<string> BadCountQueries =>
    [
        "",
        "?articleId=",
        "?" + string.Join('&', Enumerable.Range(0, 101).Select(i => $"articleId=a{i}")),
        "?articleId=ok&articleId=" + new string('x', 513),
        "?articleId=nul%00inside",
    ];

    [Theory]
    [MemberData(nameof(BadCountQueries))]
    public async Task Bad_counts_query_is_refused_naming_articleId(string query)
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Anonymous();
        using var response = await client.GetAsync($"/v1/sites/{site}/counts{query}");
        ProblemFields.AssertNamesFieldOrItem(await Expect.ProblemAsync(response, 400, Validation), "articleId");
    }

    [Fact]
    public async Task Exactly_100_articles_may_be_counted_at_once()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Anonymous();
        var query = string.Join('&', Enumerable.Range(0, 100).Select(i => $"articleId=a{i}"));
        var counts = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{site}/counts?{query}"), 200);
        Assert.Equal(100, counts["counts"]!.AsArray().Count);
        Assert.All(counts["counts"]!.AsArray(), c => Assert.Equal(0, c!["count"]!.GetValue<int>()));
    }
}

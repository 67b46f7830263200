using System.Text;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Security.Fuzz;

/// <summary>What the hostile-input fuzz found, each kept as a plain regression test (docs/reliability.md).</summary>
[Collection(ServiceCollection.Name)]
public sealed class FuzzFindingsTests(ServiceFixture service)
{
    /// <summary>Found by the hostile-input fuzz: 500 (an idempotency scope over its column's 200 characters).</summary>
    [Fact]
    public async Task An_anonymous_write_with_an_Idempotency_Key_to_an_overlong_site_id_is_404_not_500()
    {
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(new string('a', 300), "x"))
        {
            Content = RawHttp.Json("""{"authorName":"Ada","body":"Hello there."}"""),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await Expect.ProblemAsync(await client.SendAsync(request), 404, "not-found");
    }

    /// <summary>Found by the hostile-input fuzz: turning Akismet on without its blog URL was a 500; a blank key was stored.</summary>
    [Theory]
    [InlineData("""{"akismet":{"enabled":true,"apiKey":" ","baseUrl":null},"webhook":null}""", "akismet.blog")]
    [InlineData("""{"akismet":{"enabled":true,"apiKey":"k-123","blog":null}}""", "akismet.blog")]
    [InlineData("""{"akismet":{"enabled":true,"apiKey":" ","blog":"https://films.example"}}""", "akismet.apiKey")]
    [InlineData("""{"akismet":{"enabled":false,"apiKey":""}}""", "akismet.apiKey")]
    public async Task Akismet_settings_without_a_blog_or_with_a_blank_key_are_400_naming_the_field(string body, string field)
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var client = service.Operator();
        using var response = await client.PutAsync($"/v1/sites/{site}/classifiers", RawHttp.Json(body));
        await Expect.ProblemAsync(response, 400, "validation", field);
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    /// <summary>Found by the hostile-input fuzz: Kestrel's bare 400 for a header byte outside ASCII; now each header's own check answers.</summary>
    [Fact]
    public async Task Header_values_with_bytes_outside_ascii_get_problem_details()
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        var weird = new byte[] { 0xC3, 0xA9, 0xFF };
        async Task<HttpResponseMessage> Send(string header) => await RawHttp.SendBytesAsync(service.BaseAddress, "POST",
            Encoding.ASCII.GetBytes(ServiceFixture.CommentsPath(site, "bytes")),
            [(header, weird), ("Content-Type", "application/json"u8.ToArray())],
            """{"authorName":"Ada","body":"The ending stayed with me."}"""u8.ToArray(), TimeSpan.FromSeconds(20));

        await Expect.ProblemAsync(await Send("Idempotency-Key"), 400, "validation", "Idempotency-Key");
        await Expect.ProblemAsync(await Send("Authorization"), 401, "unauthorized");
        await Expect.ProblemAsync(await Send("X-User-Token"), 401, "unauthorized");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Theory]
    [InlineData("to=0001-01-01", "to")]
    [InlineData("from=0001-01-01T00:00:00Z", "from")]
    [InlineData("to=9999-12-31T23:59:59Z", "to")]
    public async Task A_rule_report_for_dates_at_the_ends_of_the_calendar_is_400_naming_them(string query, string field)
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        var rule = await Expect.JsonAsync(await client.PostAsync($"/v1/sites/{site}/moderation/rules",
            RawHttp.Json("""{"kind":"term","term":"calendar","action":"hold"}""")), 201);
        await Expect.ProblemAsync(await client.GetAsync($"/v1/sites/{site}/moderation/rules/{rule["id"]}/report?{query}"), 400, "validation", field);
        await Expect.StatusAsync(await client.GetAsync($"/v1/sites/{site}/moderation/rules/{rule["id"]}/report?to=2030-01-01T00:00:00Z"), 200);
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("cheap%00pills")]
    [InlineData("%01")]
    public async Task Removing_a_term_with_a_control_character_is_400_naming_term(string term)
    {
        var site = await service.CreateSiteAsync();
        using var client = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.ProblemAsync(await client.DeleteAsync($"/v1/sites/{site}/moderation/terms?term={term}"), 400, "validation", "term");
    }
}

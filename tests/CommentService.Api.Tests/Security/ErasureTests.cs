using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Security;

/// <summary>
/// The right to erasure: an operator (or the site's admin) erases an author; nothing of them remains in
/// the database, and the thread keeps its shape, with tombstones where others replied.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ErasureTests(ServiceFixture service)
{
    private const string Name = "Ada Erasmus-Lovelace";
    private const string Email = "Ada.Erasmus+films@mail.example";
    private const string Address = "198.51.100.77";

    private async Task<JsonObject> PostAsync(string site, string article, string author, string? email, string body, object? parentId = null, string? forwardedFor = null)
    {
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, article))
        {
            Content = JsonContent.Create(new { authorName = author, authorEmail = email, authorUrl = email is null ? null : "https://ada.example/about", body, parentId }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await Expect.JsonAsync(await client.SendAsync(request), 201);
    }

    private static Guid Id(JsonObject comment) => comment["id"]!.GetValue<Guid>();

    [Fact]
    public async Task Erasing_an_author_by_email_removes_their_data_and_keeps_the_thread_shape()
    {
        var site = await service.CreateSiteAsync();
        var otherSite = await service.CreateSiteAsync();
        using var op = service.Operator();
        await Expect.StatusAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/webhooks", new { url = "https://hooks.example/erase", events = new[] { "comment.created" } }), 201);

        const string article = "erasure-thread";
        var a1 = await PostAsync(site, article, Name, Email, "Ada here: " + SampleText.Line(11), forwardedFor: Address);
        var b1 = await PostAsync(site, article, "Ben", null, SampleText.Line(12), Id(a1));
        var a2 = await PostAsync(site, article, Name, Email, "Ada again: " + SampleText.Line(13), Id(b1), Address);
        var a3 = await PostAsync(site, article, Name, Email.ToUpperInvariant(), "Ada once more: " + SampleText.Line(14), forwardedFor: Address);
        var c1 = await PostAsync(site, article, "Cy", null, SampleText.Line(15));
        var elsewhere = await PostAsync(otherSite, article, Name, Email, "Ada on another site: " + SampleText.Line(16));
        var before = await service.ReadThreadAsync(site, article);
        Assert.Equal(5, before["items"]!.AsArray().Count + CountReplies(before));

        using var response = await op.PostAsJsonAsync($"/v1/sites/{site}/authors/erase", new { authorEmail = "  " + Email.ToLowerInvariant() + " " });
        var erased = await Expect.JsonAsync(response, 200);
        Assert.Equal(3, erased["erased"]!.GetValue<int>());
        Assert.Equal(new[] { Id(a1), Id(a2), Id(a3) }.Order(), erased["commentIds"]!.AsArray().Select(i => i!.GetValue<Guid>()).Order());

        // The thread: Ada's first comment is a tombstone above Ben's reply; her other two are gone; Ben and Cy stay.
        var thread = await service.ReadThreadAsync(site, article);
        var items = thread["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var tombstone = items.Single(i => i["id"]!.GetValue<Guid>() == Id(a1));
        Assert.True(tombstone["tombstone"]!.GetValue<bool>());
        Assert.Equal(Id(b1), tombstone["replies"]!.AsArray().Single()!["id"]!.GetValue<Guid>());
        Assert.Contains(items, i => i["id"]!.GetValue<Guid>() == Id(c1));
        Assert.DoesNotContain(items, i => i["id"]!.GetValue<Guid>() == Id(a3));
        var text = thread.ToJsonString();
        Assert.DoesNotContain("Ada", text, StringComparison.Ordinal);
        await service.AssertConsistentAsync(await service.ThreadIdAsync(site, article));

        // Nothing of Ada in any table: her rows hold no name, text, link, address hash or identity.
        foreach (var id in new[] { Id(a1), Id(a2), Id(a3) })
        {
            Assert.True(await service.ScalarAsync<bool>("""
                SELECT author_name = '[erased]' AND body = '' AND body_html = '' AND author_email_protected IS NULL AND author_url IS NULL
                   AND author_avatar_url IS NULL AND ip_hash IS NULL AND status = 'deleted' AND author_key LIKE 'x:%'
                FROM comments WHERE id = $1
                """, id), $"comment {id} still holds personal data");
        }
        foreach (var table in ServiceFixture.ContentTables.Append("webhook_events"))
        {
            var found = await service.ScalarAsync<long>($"SELECT count(*) FROM {table} x WHERE x::text LIKE '%' || $1 || '%' AND x::text LIKE '%' || $2 || '%'", "Ada", site);
            Assert.True(found == 0, $"{table} still mentions Ada in {found} rows");
        }
        var authorKey = await service.ScalarAsync<string>("SELECT author_key FROM comments WHERE id = $1", Id(elsewhere));
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1 AND author_key = $2", site, authorKey));

        // Another site's comments are that site's to erase.
        Assert.Equal(Name, await service.ScalarAsync<string>("SELECT author_name FROM comments WHERE id = $1", Id(elsewhere)));
        // The audit log says what happened, and erasing again finds nothing more.
        Assert.Equal(3L, await service.ScalarAsync<long>("SELECT count(*) FROM moderation_decisions WHERE site_id = $1 AND action = 'author.erased'", site));
        var again = await Expect.JsonAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/authors/erase", new { authorEmail = Email }), 200);
        Assert.Equal(0, again["erased"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_anonymous_author_without_email_is_erased_through_one_of_their_comments_by_the_site_admin()
    {
        var site = await service.CreateSiteAsync();
        var first = await PostAsync(site, "anon-erasure", "Quiet Reader", null, SampleText.Line(21), forwardedFor: "203.0.113.41");
        var second = await PostAsync(site, "anon-erasure", "Quiet Reader", null, SampleText.Line(22), forwardedFor: "203.0.113.41");
        var namesake = await PostAsync(site, "anon-erasure", "Quiet Reader", null, SampleText.Line(23), forwardedFor: "203.0.113.42");
        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));

        var erased = await Expect.JsonAsync(await admin.PostAsJsonAsync($"/v1/sites/{site}/authors/erase", new { commentId = Id(first) }), 200);
        Assert.Equal(2, erased["erased"]!.GetValue<int>());
        Assert.Equal("[erased]", await service.ScalarAsync<string>("SELECT author_name FROM comments WHERE id = $1", Id(second)));
        // The same name from another address is another author.
        Assert.Equal("Quiet Reader", await service.ScalarAsync<string>("SELECT author_name FROM comments WHERE id = $1", Id(namesake)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"authorEmail":"a@mail.example","userId":"u-1"}""")]
    [InlineData("""{"authorEmail":""}""")]
    [InlineData("""{"commentId":"not-a-guid"}""")]
    public async Task Erasure_names_exactly_one_author_or_is_400(string body)
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var op = service.Operator();
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsync($"/v1/sites/{site}/authors/erase", RawHttp.Json(body))).StatusCode);
        await Expect.ProblemAsync(await op.PostAsync($"/v1/sites/{site}/authors/erase", RawHttp.Json(body)), 400, "validation");
        Assert.Equal(before, await service.ContentChecksumAsync());
        await Expect.ProblemAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/authors/erase", new { commentId = Guid.NewGuid() }), 404, "not-found");
    }

    private static int CountReplies(JsonObject page) =>
        page["items"]!.AsArray().Sum(i => Descendants(i!.AsObject()));

    private static int Descendants(JsonObject comment) =>
        comment["replies"]?.AsArray().Sum(r => 1 + Descendants(r!.AsObject())) ?? 0;
}

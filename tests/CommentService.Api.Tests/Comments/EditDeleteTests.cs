using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Comments;

[Collection(ServiceCollection.Name)]
public sealed class EditDeleteTests(ServiceFixture service)
{
    private static string CommentPath(string site, object id) => $"/v1/sites/{site}/comments/{id}";

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string site, object id, string? token = null, string? body = null)
    {
        using var request = new HttpRequestMessage(method, CommentPath(site, id));
        if (body is not null)
        {
            request.Content = JsonContent.Create(new { body });
        }
        if (token is not null)
        {
            request.Headers.Add("X-Edit-Token", token);
        }
        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> EditAsync(HttpClient client, string site, object id, string? token = null, string body = "Changed text.") =>
        SendAsync(client, HttpMethod.Patch, site, id, token, body);

    private static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string site, object id, string? token = null) =>
        SendAsync(client, HttpMethod.Delete, site, id, token);

    private static string TokenOf(JsonObject created) => created["editToken"]!.GetValue<string>();

    private static Guid IdOf(JsonObject created) => Guid.Parse(created["id"]!.GetValue<string>());

    private async Task<int> CountAsync(string site, string article)
    {
        using var client = service.Anonymous();
        var counts = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{site}/counts?articleId={Uri.EscapeDataString(article)}"), 200);
        return counts["counts"]![0]!["count"]!.GetValue<int>();
    }

    [Fact]
    public async Task Editing_or_deleting_without_any_credential_is_401_and_changes_nothing()
    {
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "no-credential", "Mine.");
        var before = await service.ContentChecksumAsync();
        using var client = service.Anonymous();

        using var edit = await EditAsync(client, site, created["id"]!);
        await Expect.ProblemAsync(edit, 401, "unauthorized");
        Assert.Contains("Bearer", edit.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        using var delete = await DeleteAsync(client, site, created["id"]!);
        await Expect.ProblemAsync(delete, 401, "unauthorized");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_wrong_edit_token_is_403_even_one_that_belongs_to_another_comment()
    {
        var site = await service.CreateSiteAsync();
        var mine = await service.PostCommentAsync(site, "wrong-token", "Mine.");
        var theirs = await service.PostCommentAsync(site, "wrong-token", "Theirs.");
        var before = await service.ContentChecksumAsync();
        using var client = service.Anonymous();

        foreach (var token in new[] { "not-a-token", TokenOf(mine), TokenOf(mine) + "x", "" })
        {
            using var edit = await EditAsync(client, site, theirs["id"]!, token);
            await Expect.ProblemAsync(edit, 403, "forbidden");
            using var delete = await DeleteAsync(client, site, theirs["id"]!, token);
            await Expect.ProblemAsync(delete, 403, "forbidden");
        }

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_key_without_moderate_on_the_site_is_403()
    {
        var site = await service.CreateSiteAsync();
        var otherSite = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "keys", "Keep me.");
        var keys = new[]
        {
            await service.CreateKeyAsync(site, "comments:read", "comments:write"),
            await service.CreateKeyAsync(otherSite, "moderate"),
            await service.CreateKeyAsync(otherSite, "admin"),
        };
        var before = await service.ContentChecksumAsync();

        foreach (var key in keys)
        {
            using var client = service.WithKey(key);
            using var edit = await EditAsync(client, site, created["id"]!);
            await Expect.ProblemAsync(edit, 403, "forbidden");
            using var delete = await DeleteAsync(client, site, created["id"]!);
            await Expect.ProblemAsync(delete, 403, "forbidden");
        }

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task With_a_zero_edit_window_the_author_gets_409_but_a_moderator_still_edits_and_deletes()
    {
        var site = await service.CreateSiteAsync(editWindowMinutes: 0);
        var created = await service.PostCommentAsync(site, "closed-window", "As posted.");
        var before = await service.ContentChecksumAsync();
        using var author = service.Anonymous();

        using (var edit = await EditAsync(author, site, created["id"]!, TokenOf(created)))
        {
            await Expect.ProblemAsync(edit, 409, "edit-window-closed");
        }
        using (var delete = await DeleteAsync(author, site, created["id"]!, TokenOf(created)))
        {
            await Expect.ProblemAsync(delete, 409, "edit-window-closed");
        }
        Assert.Equal(before, await service.ContentChecksumAsync());

        foreach (var scope in new[] { "moderate", "admin" })
        {
            var target = scope == "moderate" ? created : await service.PostCommentAsync(site, "closed-window", "Also as posted.");
            using var moderator = service.WithKey(await service.CreateKeyAsync(site, scope));
            var edited = await Expect.JsonAsync(await EditAsync(moderator, site, target["id"]!, body: "Edited by a moderator."), 200);
            Assert.Equal("Edited by a moderator.", edited["body"]!.GetValue<string>());
            Assert.Equal("approved", edited["status"]!.GetValue<string>());
            Assert.NotNull(edited["editedAt"]);
            Assert.Equal("Edited by a moderator.", await service.ScalarAsync<string>("SELECT body FROM comments WHERE id = $1", IdOf(target)));

            await Expect.StatusAsync(await DeleteAsync(moderator, site, target["id"]!), 204);
            Assert.Equal("deleted", await service.ScalarAsync<string>("SELECT status FROM comments WHERE id = $1", IdOf(target)));
        }
        Assert.Equal(0, await CountAsync(site, "closed-window"));
    }

    [Fact]
    public async Task The_operator_key_edits_and_deletes_like_a_moderator()
    {
        var site = await service.CreateSiteAsync(editWindowMinutes: 0);
        var created = await service.PostCommentAsync(site, "operator", "As posted.");
        using var client = service.Operator();
        var edited = await Expect.JsonAsync(await EditAsync(client, site, created["id"]!, body: "Edited by the operator."), 200);
        Assert.Equal("Edited by the operator.", edited["body"]!.GetValue<string>());
        await Expect.StatusAsync(await DeleteAsync(client, site, created["id"]!), 204);
    }

    [Fact]
    public async Task Deleting_twice_is_204_both_times_and_the_count_drops_by_exactly_one()
    {
        var site = await service.CreateSiteAsync();
        const string article = "delete-twice";
        var doomed = await service.PostCommentAsync(site, article, "Going.");
        await service.PostCommentAsync(site, article, "Staying.");
        await service.PostCommentAsync(site, article, "Staying too.", IdOf(doomed));
        Assert.Equal(3, await CountAsync(site, article));
        using var client = service.Anonymous();

        using (var first = await DeleteAsync(client, site, doomed["id"]!, TokenOf(doomed)))
        {
            await Expect.StatusAsync(first, 204);
            Assert.Empty(await first.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(2, await CountAsync(site, article));
        using (var second = await DeleteAsync(client, site, doomed["id"]!, TokenOf(doomed)))
        {
            await Expect.StatusAsync(second, 204);
        }
        Assert.Equal(2, await CountAsync(site, article));

        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.StatusAsync(await DeleteAsync(moderator, site, doomed["id"]!), 204);
        Assert.Equal(2, await CountAsync(site, article));
        await service.AssertConsistentAsync(await service.ThreadIdAsync(site, article));
    }

    [Fact]
    public async Task Deleting_erases_the_text_the_email_and_the_link()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Anonymous();
        var created = await Expect.JsonAsync(await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "erase"), new
        {
            authorName = "Ada",
            authorEmail = "ada@example.org",
            authorUrl = "https://ada.example/about",
            body = "Something I regret.",
        }), 201);
        var id = IdOf(created);
        Assert.Equal(1L, await service.ScalarAsync<long>(
            "SELECT count(*) FROM comments WHERE id = $1 AND author_email_protected IS NOT NULL AND author_url IS NOT NULL AND body <> ''", id));

        await Expect.StatusAsync(await DeleteAsync(client, site, id, TokenOf(created)), 204);

        Assert.Equal(1L, await service.ScalarAsync<long>(
            "SELECT count(*) FROM comments WHERE id = $1 AND status = 'deleted' AND body = '' AND author_email_protected IS NULL AND author_url IS NULL", id));
        Assert.Equal(0L, await service.ScalarAsync<long>(
            "SELECT count(*) FROM comments c WHERE c::text LIKE '%regret%' OR c::text LIKE '%ada.example%'"));
    }

    [Fact]
    public async Task A_reply_to_a_deleted_comment_is_refused_naming_parentId()
    {
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "no-replies", "Soon gone.");
        using var client = service.Anonymous();
        await Expect.StatusAsync(await DeleteAsync(client, site, created["id"]!, TokenOf(created)), 204);
        var before = await service.ContentChecksumAsync();

        using var reply = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "no-replies"),
            new { authorName = "Late", body = "Replying to nothing.", parentId = IdOf(created) });

        await Expect.ProblemAsync(reply, 400, "validation", "parentId");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_deleted_comment_is_404_and_cannot_be_edited()
    {
        var site = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "gone", "Soon gone.");
        using var client = service.Anonymous();
        await Expect.StatusAsync(await DeleteAsync(client, site, created["id"]!, TokenOf(created)), 204);

        await Expect.ProblemAsync(await client.GetAsync(CommentPath(site, created["id"]!)), 404, "not-found");
        using var reader = service.WithKey(await service.CreateKeyAsync(site, "comments:read"));
        await Expect.ProblemAsync(await reader.GetAsync(CommentPath(site, created["id"]!)), 404, "not-found");

        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.ProblemAsync(await EditAsync(moderator, site, created["id"]!, body: "Back from the dead."), 409, "conflict");
        await Expect.ProblemAsync(await EditAsync(client, site, created["id"]!, TokenOf(created), "Back from the dead."), 409);
        Assert.Equal("", await service.ScalarAsync<string>("SELECT body FROM comments WHERE id = $1", IdOf(created)));
    }

    [Fact]
    public async Task A_comment_that_is_not_approved_is_shown_only_to_its_author_and_to_moderators()
    {
        var site = await service.CreateSiteAsync();
        var held = await service.PostCommentAsync(site, "held", "Held back for review.");
        var open = await service.PostCommentAsync(site, "held", "Approved and public.");
        // Until the moderation pipeline holds comments back, put one on hold directly.
        await service.ScalarAsync<int?>("UPDATE comments SET status = 'pending' WHERE id = $1", IdOf(held));
        var path = CommentPath(site, held["id"]!);

        using var anonymous = service.Anonymous();
        await Expect.ProblemAsync(await anonymous.GetAsync(path), 404, "not-found");
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, path))
        {
            wrong.Headers.Add("X-Edit-Token", TokenOf(open));
            await Expect.ProblemAsync(await anonymous.SendAsync(wrong), 404, "not-found");
        }
        using var reader = service.WithKey(await service.CreateKeyAsync(site, "comments:read"));
        await Expect.ProblemAsync(await reader.GetAsync(path), 404, "not-found");

        using (var own = new HttpRequestMessage(HttpMethod.Get, path))
        {
            own.Headers.Add("X-Edit-Token", TokenOf(held));
            var seen = await Expect.JsonAsync(await anonymous.SendAsync(own), 200);
            Assert.Equal("pending", seen["status"]!.GetValue<string>());
            Assert.Equal("Held back for review.", seen["body"]!.GetValue<string>());
            Assert.Null(seen["editToken"]);
        }
        // Reading with a key needs comments:read as well; moderate alone does not include it.
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "comments:read", "moderate"));
        var moderated = await Expect.JsonAsync(await moderator.GetAsync(path), 200);
        Assert.Equal("pending", moderated["status"]!.GetValue<string>());

        // Approved comments are public: no token, no key.
        var shown = await Expect.JsonAsync(await anonymous.GetAsync(CommentPath(site, open["id"]!)), 200);
        Assert.Equal("Approved and public.", shown["body"]!.GetValue<string>());
        Assert.Null(shown["authorEmail"]);
    }

    [Fact]
    public async Task Changing_an_unknown_comment_or_one_of_another_site_is_404()
    {
        var site = await service.CreateSiteAsync();
        var otherSite = await service.CreateSiteAsync();
        var created = await service.PostCommentAsync(site, "elsewhere", "Mine.");
        using var operatorClient = service.Operator();

        foreach (var (s, id) in new[] { (site, Guid.NewGuid()), (otherSite, IdOf(created)) })
        {
            await Expect.ProblemAsync(await EditAsync(operatorClient, s, id), 404, "not-found");
            await Expect.ProblemAsync(await DeleteAsync(operatorClient, s, id), 404, "not-found");
            using var anonymous = service.Anonymous();
            await Expect.ProblemAsync(await DeleteAsync(anonymous, s, id, TokenOf(created)), 404, "not-found");
            await Expect.ProblemAsync(await anonymous.GetAsync(CommentPath(s, id)), 404, "not-found");
        }
        Assert.Equal("Mine.", await service.ScalarAsync<string>("SELECT body FROM comments WHERE id = $1", IdOf(created)));
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Embedding;

[Collection(ServiceCollection.Name)]
public sealed class UserTokenTests(ServiceFixture service)
{
    /// <summary>Signs a token the way a site's backend would: HS256 over base64url(header).base64url(payload).</summary>
    private static string Sign(string secret, object payload, string alg = "HS256")
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body)));
        return $"{head}.{body}.{signature}";
    }

    private static long In(TimeSpan t) => DateTimeOffset.UtcNow.Add(t).ToUnixTimeSeconds();

    private async Task<(string Site, string Secret)> SiteWithSecretAsync()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        var created = await Expect.JsonAsync(await admin.PostAsync($"/v1/sites/{site}/user-token-secret", JsonContent.Create(new { })), 201);
        return (site, created["secret"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> PostAsync(string site, string article, string? token, string body = "Signed in and commenting.", string name = "Typed Name")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, article))
        {
            Content = JsonContent.Create(new { authorName = name, body }),
        };
        if (token is not null)
        {
            request.Headers.Add("X-User-Token", token);
        }
        return await service.Anonymous().SendAsync(request);
    }

    [Fact]
    public async Task A_vouched_for_user_posts_under_the_sites_name_for_them_with_a_stable_identity()
    {
        var (site, secret) = await SiteWithSecretAsync();
        Assert.Equal(0L, await service.ScalarAsync<long>("SELECT count(*) FROM sites WHERE id = $1 AND user_token_secret_protected LIKE '%' || $2 || '%'", site, secret));

        var token = Sign(secret, new { sub = "user-42", name = "Simone", picture = "https://cdn.example/s.png", exp = In(TimeSpan.FromHours(1)) });
        var first = await Expect.JsonAsync(await PostAsync(site, "signed", token), 201);
        Assert.Equal("Simone", first["authorName"]!.GetValue<string>());
        Assert.True(first["authorVerified"]!.GetValue<bool>());
        Assert.Equal("https://cdn.example/s.png", first["authorAvatarUrl"]!.GetValue<string>());

        var renamed = Sign(secret, new { sub = "user-42", name = "Simone B.", exp = In(TimeSpan.FromHours(1)) });
        var second = await Expect.JsonAsync(await PostAsync(site, "signed", renamed, "Again."), 201);
        var keys = new[] { first, second }.Select(c => service.ScalarAsync<string>("SELECT author_key FROM comments WHERE id = $1", Guid.Parse(c["id"]!.GetValue<string>())));
        var both = await Task.WhenAll(keys);
        Assert.StartsWith("u:", both[0]);
        Assert.Equal(both[0], both[1]);

        var page = await service.ReadThreadAsync(site, "signed");
        Assert.True(page["items"]![0]!["authorVerified"]!.GetValue<bool>());
    }

    public static TheoryData<string> BadTokens => new()
    {
        "wrong-signature", "expired", "alg-none", "other-audience", "no-subject", "garbage",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_that_does_not_verify_is_refused_with_401_and_nothing_is_stored(string kind)
    {
        var (site, secret) = await SiteWithSecretAsync();
        var token = kind switch
        {
            "wrong-signature" => Sign("not-the-secret", new { sub = "u", name = "N", exp = In(TimeSpan.FromHours(1)) }),
            "expired" => Sign(secret, new { sub = "u", name = "N", exp = In(TimeSpan.FromHours(-1)) }),
            "alg-none" => Sign(secret, new { sub = "u", name = "N", exp = In(TimeSpan.FromHours(1)) }, alg: "none"),
            "other-audience" => Sign(secret, new { sub = "u", name = "N", aud = "another-site", exp = In(TimeSpan.FromHours(1)) }),
            "no-subject" => Sign(secret, new { name = "N", exp = In(TimeSpan.FromHours(1)) }),
            _ => "not.a.jwt",
        };
        var before = await service.ContentChecksumAsync();
        await Expect.ProblemAsync(await PostAsync(site, "refused", token), 401, "unauthorized");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_site_without_a_secret_refuses_user_tokens_and_rotation_invalidates_old_ones()
    {
        var site = await service.CreateSiteAsync();
        await Expect.ProblemAsync(await PostAsync(site, "a", Sign("whatever", new { sub = "u", name = "N", exp = In(TimeSpan.FromHours(1)) })), 401, "unauthorized");

        using var admin = service.Operator();
        var old = (await Expect.JsonAsync(await admin.PostAsync($"/v1/sites/{site}/user-token-secret", JsonContent.Create(new { })), 201))["secret"]!.GetValue<string>();
        var fresh = (await Expect.JsonAsync(await admin.PostAsync($"/v1/sites/{site}/user-token-secret", JsonContent.Create(new { })), 201))["secret"]!.GetValue<string>();
        Assert.NotEqual(old, fresh);
        await Expect.ProblemAsync(await PostAsync(site, "a", Sign(old, new { sub = "u", name = "N", exp = In(TimeSpan.FromHours(1)) })), 401, "unauthorized");
        await Expect.StatusAsync(await PostAsync(site, "a", Sign(fresh, new { sub = "u", name = "N", exp = In(TimeSpan.FromHours(1)) })), 201);
    }

    [Fact]
    public async Task Signed_in_authors_edit_their_own_comments_with_their_user_token_but_not_others()
    {
        var (site, secret) = await SiteWithSecretAsync();
        var mine = Sign(secret, new { sub = "author", name = "Author", exp = In(TimeSpan.FromHours(1)) });
        var theirs = Sign(secret, new { sub = "someone-else", name = "Other", exp = In(TimeSpan.FromHours(1)) });
        var created = await Expect.JsonAsync(await PostAsync(site, "edit-signed", mine), 201);
        var path = $"/v1/sites/{site}/comments/{created["id"]}";
        using var client = service.Anonymous();

        using var byOther = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(new { body = "Hijack." }) };
        byOther.Headers.Add("X-User-Token", theirs);
        await Expect.ProblemAsync(await client.SendAsync(byOther), 403, "forbidden");

        using var byAuthor = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(new { body = "Edited while signed in." }) };
        byAuthor.Headers.Add("X-User-Token", mine);
        var edited = await Expect.JsonAsync(await client.SendAsync(byAuthor), 200);
        Assert.Equal("Edited while signed in.", edited["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_a_site_admin_creates_the_secret()
    {
        var site = await service.CreateSiteAsync();
        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.ProblemAsync(await moderator.PostAsync($"/v1/sites/{site}/user-token-secret", JsonContent.Create(new { })), 403, "forbidden");
        await Expect.ProblemAsync(await service.Anonymous().PostAsync($"/v1/sites/{site}/user-token-secret", JsonContent.Create(new { })), 401, "unauthorized");
    }
}

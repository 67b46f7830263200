using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommentService.Api.Infrastructure;
using CommentService.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace CommentService.Api.Tests.Security;

/// <summary>
/// What the service keeps about authors and how: the email only encrypted and never in a public answer,
/// the client address only as a keyed hash, the edit token only as its SHA-256.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class PrivacyTests(ServiceFixture service)
{
    private const string Email = "Private.Reader+films@mail.example";

    private async Task<(JsonObject Created, string Text)> PostAsync(string site, string article, string? forwardedFor = null, string? email = null)
    {
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, article))
        {
            Content = JsonContent.Create(new { authorName = "Reader", authorEmail = email, authorUrl = "https://reader.example", body = "A private person's comment." }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await client.SendAsync(request);
        await Expect.StatusAsync(response, 201);
        var text = await response.Content.ReadAsStringAsync();
        return (JsonNode.Parse(text)!.AsObject(), text);
    }

    private Task<byte[]> IpHashAsync(JsonObject created) =>
        service.ScalarAsync<byte[]>("SELECT ip_hash FROM comments WHERE id = $1", created["id"]!.GetValue<Guid>());

    private Task<string> RowTextAsync(JsonObject created) =>
        service.ScalarAsync<string>("SELECT c::text FROM comments c WHERE c.id = $1", created["id"]!.GetValue<Guid>());

    private static void AssertNoEmail(string text)
    {
        Assert.DoesNotContain(Email, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mail.example", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("authorEmail", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_author_email_is_in_no_public_answer()
    {
        var site = await service.CreateSiteAsync();
        var (created, postText) = await PostAsync(site, "private", email: Email);
        AssertNoEmail(postText);

        using var client = service.Anonymous();
        var id = created["id"]!.GetValue<string>();
        var reply = await service.PostCommentAsync(site, "private", "A reply.", Guid.Parse(id));
        foreach (var path in new[]
        {
            $"/v1/sites/{site}/comments/{id}",
            ServiceFixture.CommentsPath(site, "private"),
            ServiceFixture.CommentsPath(site, "private") + $"?parentId={reply["parentId"]}",
            ServiceFixture.CommentsPath(site, "private") + "?sort=newest",
        })
        {
            using var response = await client.GetAsync(path);
            await Expect.StatusAsync(response, 200);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains(id, text, StringComparison.Ordinal);
            AssertNoEmail(text);
        }

        // The author's own view (with the edit token) does not echo it either.
        using var own = new HttpRequestMessage(HttpMethod.Get, $"/v1/sites/{site}/comments/{id}");
        own.Headers.Add("X-Edit-Token", created["editToken"]!.GetValue<string>());
        using var ownResponse = await client.SendAsync(own);
        await Expect.StatusAsync(ownResponse, 200);
        AssertNoEmail(await ownResponse.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_author_email_is_stored_only_encrypted()
    {
        var site = await service.CreateSiteAsync();
        var (created, _) = await PostAsync(site, "encrypted", email: Email);

        var row = await RowTextAsync(created);
        Assert.DoesNotContain(Email, row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mail.example", row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Email)), row, StringComparison.OrdinalIgnoreCase);

        // Kept, not dropped: the service's own protector gives the address back.
        var protectedEmail = await service.ScalarAsync<string>("SELECT author_email_protected FROM comments WHERE id = $1", created["id"]!.GetValue<Guid>());
        var provider = (IDataProtectionProvider)service.Services.GetService(typeof(IDataProtectionProvider))!;
        Assert.Equal(Email, provider.AuthorEmails().Unprotect(protectedEmail));

        var (withoutEmail, _) = await PostAsync(site, "encrypted");
        Assert.True(await service.ScalarAsync<bool>("SELECT author_email_protected IS NULL FROM comments WHERE id = $1", withoutEmail["id"]!.GetValue<Guid>()));
    }

    [Fact]
    public async Task The_client_address_is_stored_only_as_a_32_byte_keyed_hash()
    {
        var site = await service.CreateSiteAsync();
        var (direct, _) = await PostAsync(site, "addresses");
        var (forwarded, _) = await PostAsync(site, "addresses", forwardedFor: "203.0.113.7");

        foreach (var created in new[] { direct, forwarded })
        {
            var row = await RowTextAsync(created);
            Assert.DoesNotContain("127.0.0.1", row, StringComparison.Ordinal);
            Assert.DoesNotContain("203.0.113.7", row, StringComparison.Ordinal);
            Assert.DoesNotContain("::1", row, StringComparison.Ordinal);
            Assert.Equal(32, (await IpHashAsync(created)).Length);
        }

        // Keyed: an HMAC with the server's secret, not a plain hash anyone could reverse by trying
        // all four billion IPv4 addresses.
        var address = IPAddress.Parse("203.0.113.7").GetAddressBytes();
        var hash = await IpHashAsync(forwarded);
        Assert.NotEqual(SHA256.HashData(address), hash);
        Assert.NotEqual(SHA256.HashData(Encoding.ASCII.GetBytes("203.0.113.7")), hash);
        var secret = await service.ScalarAsync<byte[]>("SELECT value FROM server_secrets WHERE name = 'ip-hash-key'");
        Assert.Equal(HMACSHA256.HashData(secret, address), hash);
    }

    [Fact]
    public async Task The_same_forwarded_client_hashes_alike_and_a_different_one_differently()
    {
        var site = await service.CreateSiteAsync();
        var (first, _) = await PostAsync(site, "forwarded", forwardedFor: "203.0.113.7");
        var (second, _) = await PostAsync(site, "another-article", forwardedFor: "203.0.113.7");
        var (mapped, _) = await PostAsync(site, "forwarded", forwardedFor: "::ffff:203.0.113.7");
        var (other, _) = await PostAsync(site, "forwarded", forwardedFor: "198.51.100.23");
        var (direct, _) = await PostAsync(site, "forwarded");

        var same = await IpHashAsync(first);
        Assert.Equal(same, await IpHashAsync(second));
        // The same IPv4 client written as an IPv4-mapped IPv6 address is the same client, so a ban holds.
        Assert.Equal(same, await IpHashAsync(mapped));
        Assert.NotEqual(same, await IpHashAsync(other));
        Assert.NotEqual(same, await IpHashAsync(direct));
        Assert.NotEqual(await IpHashAsync(other), await IpHashAsync(direct));
    }

    [Fact]
    public async Task The_edit_token_is_stored_only_as_its_SHA256()
    {
        var site = await service.CreateSiteAsync();
        var (created, _) = await PostAsync(site, "tokens");
        var token = created["editToken"]!.GetValue<string>();
        var tokenBytes = Encoding.UTF8.GetBytes(token);

        var stored = await service.ScalarAsync<byte[]>("SELECT edit_token_hash FROM comments WHERE id = $1", created["id"]!.GetValue<Guid>());
        Assert.Equal(32, stored.Length);
        Assert.NotEqual(tokenBytes, stored);
        Assert.Equal(SHA256.HashData(tokenBytes), stored);

        var row = await RowTextAsync(created);
        Assert.DoesNotContain(token, row, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(tokenBytes), row, StringComparison.Ordinal);

        // Shown once: no later answer carries it.
        using var client = service.Anonymous();
        foreach (var path in new[] { $"/v1/sites/{site}/comments/{created["id"]}", ServiceFixture.CommentsPath(site, "tokens") })
        {
            using var response = await client.GetAsync(path);
            await Expect.StatusAsync(response, 200);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain("editToken", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Deleting_a_comment_erases_the_email_and_link()
    {
        var site = await service.CreateSiteAsync();
        var (created, _) = await PostAsync(site, "erased", email: Email);
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/sites/{site}/comments/{created["id"]}");
        request.Headers.Add("X-Edit-Token", created["editToken"]!.GetValue<string>());
        await Expect.StatusAsync(await client.SendAsync(request), 204);

        var id = created["id"]!.GetValue<Guid>();
        Assert.True(await service.ScalarAsync<bool>(
            "SELECT author_email_protected IS NULL AND author_url IS NULL AND body = '' FROM comments WHERE id = $1", id));
    }
}

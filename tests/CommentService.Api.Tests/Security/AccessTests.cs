using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Security;

/// <summary>
/// Who may call what: the operator's key for sites, a site's admin key for its own site and keys only,
/// other scopes for neither; keys are shown once and stored hashed; revoked, expired and unknown keys
/// are refused everywhere, public routes included.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class AccessTests(ServiceFixture service)
{
    /// <summary>Creates a key with the operator's key and returns the 201 body (id, key, ...).</summary>
    private async Task<JsonObject> NewKeyAsync(string siteId, string[] scopes, DateTimeOffset? expiresAt = null)
    {
        using var client = service.Operator();
        using var response = await client.PostAsJsonAsync($"/v1/sites/{siteId}/keys", new { name = "access test", scopes, expiresAt });
        return await Expect.JsonAsync(response, 201);
    }

    private static object NewSite(string id) => new { id, name = "Site " + id, allowedOrigins = new[] { "https://blog.example" } };

    private static string UniqueSlug() => "s-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Creating_a_site_without_a_key_is_401_with_a_Bearer_challenge()
    {
        var before = await service.ContentChecksumAsync();
        using var client = service.Anonymous();
        using var response = await client.PostAsJsonAsync("/v1/sites", NewSite(UniqueSlug()));
        await Expect.ProblemAsync(response, 401, "unauthorized");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("moderate")]
    [InlineData("comments:write")]
    public async Task Creating_a_site_with_a_site_key_is_403(string scope)
    {
        var site = await service.CreateSiteAsync();
        var key = await service.CreateKeyAsync(site, scope);
        var before = await service.ContentChecksumAsync();
        using var client = service.WithKey(key);
        using var response = await client.PostAsJsonAsync("/v1/sites", NewSite(UniqueSlug()));
        await Expect.ProblemAsync(response, 403, "forbidden");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task A_site_admin_key_manages_its_own_site_and_keys()
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));

        var fetched = await Expect.JsonAsync(await admin.GetAsync($"/v1/sites/{site}"), 200);
        Assert.Equal(site, fetched["id"]!.GetValue<string>());

        var patched = await Expect.JsonAsync(await admin.PatchAsJsonAsync($"/v1/sites/{site}", new { name = "Renamed by its admin" }), 200);
        Assert.Equal("Renamed by its admin", patched["name"]!.GetValue<string>());

        var created = await Expect.JsonAsync(
            await admin.PostAsJsonAsync($"/v1/sites/{site}/keys", new { name = "bot", scopes = new[] { "moderate" } }), 201);
        var keyId = created["id"]!.GetValue<string>();
        Assert.StartsWith("csk_", created["key"]!.GetValue<string>());

        var listed = await Expect.JsonAsync(await admin.GetAsync($"/v1/sites/{site}/keys"), 200);
        Assert.Contains(keyId, listed["items"]!.AsArray().Select(k => k!["id"]!.GetValue<string>()));

        await Expect.StatusAsync(await admin.DeleteAsync($"/v1/sites/{site}/keys/{keyId}"), 204);
        var after = await Expect.JsonAsync(await admin.GetAsync($"/v1/sites/{site}/keys"), 200);
        Assert.NotNull(after["items"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == keyId)!["revokedAt"]);
    }

    [Fact]
    public async Task A_site_admin_key_is_forbidden_on_another_site()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        var otherKey = await NewKeyAsync(other, ["comments:read"]);
        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));
        var before = await service.ContentChecksumAsync();

        await Expect.ProblemAsync(await admin.GetAsync($"/v1/sites/{other}"), 403, "forbidden");
        await Expect.ProblemAsync(await admin.PatchAsJsonAsync($"/v1/sites/{other}", new { name = "Taken over" }), 403, "forbidden");
        await Expect.ProblemAsync(await admin.GetAsync($"/v1/sites/{other}/keys"), 403, "forbidden");
        await Expect.ProblemAsync(
            await admin.PostAsJsonAsync($"/v1/sites/{other}/keys", new { name = "mine now", scopes = new[] { "admin" } }), 403, "forbidden");
        await Expect.ProblemAsync(await admin.DeleteAsync($"/v1/sites/{other}/keys/{otherKey["id"]}"), 403, "forbidden");
        // Nor through its own site's route: the key is looked up within the site named by the route.
        await Expect.ProblemAsync(await admin.DeleteAsync($"/v1/sites/{site}/keys/{otherKey["id"]}"), 404, "not-found");
        // Public routes of the other site refuse it too, rather than treating it as anonymous.
        await Expect.ProblemAsync(await admin.GetAsync(ServiceFixture.CommentsPath(other, "public")), 403, "forbidden");
        await Expect.ProblemAsync(await admin.GetAsync($"/v1/sites/{other}/counts?articleId=public"), 403, "forbidden");
        await Expect.ProblemAsync(
            await admin.PostAsJsonAsync(ServiceFixture.CommentsPath(other, "public"), new { authorName = "Admin", body = "Not my site." }), 403, "forbidden");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Theory]
    [InlineData("moderate")]
    [InlineData("comments:read")]
    [InlineData("comments:write")]
    public async Task A_key_without_admin_cannot_read_the_site_or_manage_keys(string scope)
    {
        var site = await service.CreateSiteAsync();
        var target = await NewKeyAsync(site, ["comments:read"]);
        using var client = service.WithKey(await service.CreateKeyAsync(site, scope));
        var before = await service.ContentChecksumAsync();

        await Expect.ProblemAsync(await client.GetAsync($"/v1/sites/{site}"), 403, "forbidden");
        await Expect.ProblemAsync(await client.PatchAsJsonAsync($"/v1/sites/{site}", new { name = "Renamed" }), 403, "forbidden");
        await Expect.ProblemAsync(await client.GetAsync($"/v1/sites/{site}/keys"), 403, "forbidden");
        await Expect.ProblemAsync(
            await client.PostAsJsonAsync($"/v1/sites/{site}/keys", new { name = "escalate", scopes = new[] { "admin" } }), 403, "forbidden");
        await Expect.ProblemAsync(await client.DeleteAsync($"/v1/sites/{site}/keys/{target["id"]}"), 403, "forbidden");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Key_listings_never_show_the_secret_and_the_database_keeps_only_its_hash()
    {
        var site = await service.CreateSiteAsync();
        var adminKey = await NewKeyAsync(site, ["admin"]);
        var botKey = await NewKeyAsync(site, ["moderate", "comments:read"]);
        var secrets = new[] { adminKey["key"]!.GetValue<string>(), botKey["key"]!.GetValue<string>() };

        foreach (var caller in new[] { service.Operator(), service.WithKey(secrets[0]) })
        {
            using (caller)
            {
                using var response = await caller.GetAsync($"/v1/sites/{site}/keys");
                await Expect.StatusAsync(response, 200);
                var listing = await response.Content.ReadAsStringAsync();
                Assert.Equal(2, JsonNode.Parse(listing)!["items"]!.AsArray().Count);
                foreach (var secret in secrets)
                {
                    Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
                    // Not even the random part alone.
                    Assert.DoesNotContain(secret["csk_".Length..], listing, StringComparison.Ordinal);
                }
            }
        }

        foreach (var created in new[] { adminKey, botKey })
        {
            var secret = created["key"]!.GetValue<string>();
            var row = await service.ScalarAsync<string>("SELECT k::text FROM api_keys k WHERE k.id = $1", created["id"]!.GetValue<Guid>());
            Assert.DoesNotContain(secret["csk_".Length..], row, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), row, StringComparison.Ordinal);

            var hash = await service.ScalarAsync<byte[]>("SELECT key_hash FROM api_keys WHERE id = $1", created["id"]!.GetValue<Guid>());
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), hash);

            // The listing's prefix is only enough to tell keys apart.
            var prefix = await service.ScalarAsync<string>("SELECT prefix FROM api_keys WHERE id = $1", created["id"]!.GetValue<Guid>());
            Assert.StartsWith(prefix, secret, StringComparison.Ordinal);
            Assert.True(prefix.Length <= "csk_".Length + 8, $"prefix '{prefix}' gives away too much of the key");
        }
    }

    [Fact]
    public async Task A_revoked_key_gets_401_everywhere()
    {
        var site = await service.CreateSiteAsync();
        var created = await NewKeyAsync(site, ["admin"]);
        using var client = service.WithKey(created["key"]!.GetValue<string>());
        await Expect.StatusAsync(await client.GetAsync($"/v1/sites/{site}"), 200);

        using (var operatorClient = service.Operator())
        {
            await Expect.StatusAsync(await operatorClient.DeleteAsync($"/v1/sites/{site}/keys/{created["id"]}"), 204);
            // Revoking twice is harmless.
            await Expect.StatusAsync(await operatorClient.DeleteAsync($"/v1/sites/{site}/keys/{created["id"]}"), 204);
        }

        using var siteResponse = await client.GetAsync($"/v1/sites/{site}");
        await Expect.ProblemAsync(siteResponse, 401, "unauthorized");
        Assert.Contains(siteResponse.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        await Expect.ProblemAsync(await client.GetAsync(ServiceFixture.CommentsPath(site, "public")), 401, "unauthorized");
        var before = await service.ContentChecksumAsync();
        await Expect.ProblemAsync(
            await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "public"), new { authorName = "Bot", body = "Still here?" }), 401, "unauthorized");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task An_expired_key_gets_401()
    {
        var site = await service.CreateSiteAsync();
        // Given with a non-UTC offset, as a client in another time zone would: the same instant counts.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2).ToOffset(TimeSpan.FromHours(5.5));
        var created = await NewKeyAsync(site, ["admin"], expiresAt);
        Assert.Equal(expiresAt.UtcTicks / 10, created["expiresAt"]!.GetValue<DateTimeOffset>().UtcTicks / 10);
        using var client = service.WithKey(created["key"]!.GetValue<string>());
        await Expect.StatusAsync(await client.GetAsync($"/v1/sites/{site}"), 200);

        var wait = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        await Expect.ProblemAsync(await client.GetAsync($"/v1/sites/{site}"), 401, "unauthorized");
        await Expect.ProblemAsync(await client.GetAsync(ServiceFixture.CommentsPath(site, "public")), 401, "unauthorized");
    }

    [Fact]
    public async Task A_key_cannot_be_created_already_expired()
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Operator();
        using var response = await client.PostAsJsonAsync($"/v1/sites/{site}/keys",
            new { name = "stale", scopes = new[] { "admin" }, expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        await Expect.ProblemAsync(response, 400, "validation", "expiresAt");
    }

    [Theory]
    [InlineData("Bearer garbage")]
    [InlineData("Bearer csk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("garbage")]
    public async Task A_bad_credential_on_a_public_route_is_401_not_ignored(string authorization)
    {
        var site = await service.CreateSiteAsync();
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, ServiceFixture.CommentsPath(site, "public"));
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        using var response = await client.SendAsync(request);
        await Expect.ProblemAsync(response, 401, "unauthorized");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Keys_without_comments_write_on_the_site_cannot_post_comments()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        var refused = new[]
        {
            await service.CreateKeyAsync(other, "comments:read"),
            await service.CreateKeyAsync(other, "comments:write"),
            await service.CreateKeyAsync(other, "admin"),
            await service.CreateKeyAsync(site, "comments:read"),
        };
        var before = await service.ContentChecksumAsync();

        foreach (var key in refused)
        {
            using var client = service.WithKey(key);
            using var response = await client.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "keyed"), new { authorName = "Server", body = "Posted with a key." });
            await Expect.ProblemAsync(response, 403, "forbidden");
        }
        Assert.Equal(before, await service.ContentChecksumAsync());

        using var writer = service.WithKey(await service.CreateKeyAsync(site, "comments:write"));
        await Expect.StatusAsync(
            await writer.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "keyed"), new { authorName = "Server", body = "Posted with the right key." }), 201);
    }

    [Theory]
    [InlineData("""["comments:read","superuser"]""")]
    [InlineData("""["Admin"]""")]
    [InlineData("""[""]""")]
    [InlineData("""[]""")]
    public async Task Creating_a_key_with_an_unknown_scope_is_400_naming_scopes(string scopes)
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var client = service.Operator();
        using var response = await client.PostAsync($"/v1/sites/{site}/keys", RawHttp.Json($$"""{"name":"bad scopes","scopes":{{scopes}}}"""));
        ProblemFields.AssertNamesFieldOrItem(await Expect.ProblemAsync(response, 400, "validation"), "scopes");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Theory]
    [InlineData("sites", """{"id":"null-name","name":null}""", "name")]
    [InlineData("sites", """{"id":"no-name"}""", "name")]
    [InlineData("sites", """{"id":"blank-name","name":"   "}""", "name")]
    [InlineData("sites", """{"id":"ctrl-name","name":"a\u0007b"}""", "name")]
    [InlineData("sites", """{"id":null,"name":"x"}""", "id")]
    [InlineData("sites", """{"id":7,"name":"x"}""", "id")]
    [InlineData("sites", """{"id":"window","name":"x","editWindowMinutes":-1}""", "editWindowMinutes")]
    [InlineData("sites", """{"id":"window","name":"x","editWindowMinutes":99999999999}""", "editWindowMinutes")]
    [InlineData("sites", """{"id":"origins","name":"x","allowedOrigins":"https://x.example"}""", "allowedOrigins")]
    [InlineData("keys", """{"name":null,"scopes":["admin"]}""", "name")]
    [InlineData("keys", """{"scopes":["admin"]}""", "name")]
    [InlineData("keys", """{"name":"a\u0000b","scopes":["admin"]}""", "name")]
    [InlineData("keys", """{"name":"k","scopes":null}""", "scopes")]
    [InlineData("keys", """{"name":"k","scopes":"admin"}""", "scopes")]
    [InlineData("keys", """{"name":"k","scopes":["admin"],"expiresAt":"soon"}""", "expiresAt")]
    [InlineData("keys", """{"name":"k","scopes":["admin"],"expiresAt":"2000-01-01T00:00:00+02:00"}""", "expiresAt")]
    public async Task Malformed_site_and_key_bodies_are_400_naming_the_field_and_change_nothing(string route, string json, string field)
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var client = service.Operator();
        using var response = await client.PostAsync(route == "sites" ? "/v1/sites" : $"/v1/sites/{site}/keys", RawHttp.Json(json));
        await Expect.ProblemAsync(response, 400, "validation", field);
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Without_a_key_a_bodiless_call_is_still_401_before_anything_else()
    {
        using var client = service.Anonymous();
        using var response = await client.PostAsync("/v1/sites", null);
        await Expect.ProblemAsync(response, 401, "unauthorized");
    }

    [Fact]
    public async Task Creating_a_site_with_a_taken_id_is_409_and_keeps_the_first()
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var client = service.Operator();
        using var response = await client.PostAsJsonAsync("/v1/sites", new { id = site, name = "Impostor", allowedOrigins = Array.Empty<string>() });
        await Expect.ProblemAsync(response, 409, "conflict");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Theory]
    [InlineData("Bad Slug!")]
    [InlineData("UPPER")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("dots.in.it")]
    [InlineData("")]
    [InlineData("x123456789x123456789x123456789x123456789x123456789x123456789x1234")] // 65 characters
    public async Task Creating_a_site_with_an_invalid_slug_is_400_naming_id(string id)
    {
        var before = await service.ContentChecksumAsync();
        using var client = service.Operator();
        using var response = await client.PostAsJsonAsync("/v1/sites", NewSite(id));
        await Expect.ProblemAsync(response, 400, "validation", "id");
        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Theory]
    [InlineData("https://x.example/path")]
    [InlineData("https://x.example/")]
    [InlineData("https://x.example?q=1")]
    [InlineData("https://user@x.example")]
    [InlineData("ftp://x.example")]
    [InlineData("x.example")]
    [InlineData("")]
    public async Task An_invalid_origin_is_400_naming_allowedOrigins_on_create_and_update(string origin)
    {
        var site = await service.CreateSiteAsync();
        var before = await service.ContentChecksumAsync();
        using var client = service.Operator();

        using var created = await client.PostAsJsonAsync("/v1/sites",
            new { id = UniqueSlug(), name = "Origins", allowedOrigins = new[] { "https://ok.example", origin } });
        ProblemFields.AssertNamesFieldOrItem(await Expect.ProblemAsync(created, 400, "validation"), "allowedOrigins");

        using var patched = await client.PatchAsJsonAsync($"/v1/sites/{site}", new { allowedOrigins = new[] { origin } });
        ProblemFields.AssertNamesFieldOrItem(await Expect.ProblemAsync(patched, 400, "validation"), "allowedOrigins");

        Assert.Equal(before, await service.ContentChecksumAsync());
    }

    [Fact]
    public async Task Patching_a_site_changes_only_the_given_fields()
    {
        var id = UniqueSlug();
        using var client = service.Operator();
        await Expect.StatusAsync(await client.PostAsJsonAsync("/v1/sites",
            new { id, name = "Original", allowedOrigins = new[] { "https://a.example", "https://b.example:8443" }, editWindowMinutes = 30 }), 201);

        var renamed = await Expect.JsonAsync(await client.PatchAsJsonAsync($"/v1/sites/{id}", new { name = "Renamed" }), 200);
        Assert.Equal("Renamed", renamed["name"]!.GetValue<string>());
        Assert.Equal(["https://a.example", "https://b.example:8443"], Origins(renamed));
        Assert.Equal(30, renamed["editWindowMinutes"]!.GetValue<int>());

        var window = await Expect.JsonAsync(await client.PatchAsJsonAsync($"/v1/sites/{id}", new { editWindowMinutes = 5 }), 200);
        Assert.Equal("Renamed", window["name"]!.GetValue<string>());
        Assert.Equal(["https://a.example", "https://b.example:8443"], Origins(window));
        Assert.Equal(5, window["editWindowMinutes"]!.GetValue<int>());

        var origins = await Expect.JsonAsync(await client.PatchAsync($"/v1/sites/{id}",
            RawHttp.Json("""{"allowedOrigins":["https://c.example"]}""")), 200);
        Assert.Equal("Renamed", origins["name"]!.GetValue<string>());
        Assert.Equal(["https://c.example"], Origins(origins));
        Assert.Equal(5, origins["editWindowMinutes"]!.GetValue<int>());

        var empty = await Expect.JsonAsync(await client.PatchAsync($"/v1/sites/{id}", RawHttp.Json("{}")), 200);
        var fetched = await Expect.JsonAsync(await client.GetAsync($"/v1/sites/{id}"), 200);
        foreach (var site in new[] { empty, fetched })
        {
            Assert.Equal("Renamed", site["name"]!.GetValue<string>());
            Assert.Equal(["https://c.example"], Origins(site));
            Assert.Equal(5, site["editWindowMinutes"]!.GetValue<int>());
            Assert.Equal(renamed["createdAt"]!.GetValue<DateTimeOffset>(), site["createdAt"]!.GetValue<DateTimeOffset>());
        }
    }

    [Fact]
    public async Task Patching_an_unknown_site_is_404_for_the_operator()
    {
        using var client = service.Operator();
        await Expect.ProblemAsync(await client.PatchAsJsonAsync($"/v1/sites/{UniqueSlug()}", new { name = "Ghost" }), 404, "not-found");
    }

    private static List<string> Origins(JsonObject site) =>
        [.. site["allowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>())];
}

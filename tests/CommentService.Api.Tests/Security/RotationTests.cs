using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Security;

/// <summary>Secrets rotated without downtime: the operator key and a site's user-token secret, each with an overlap.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RotationTests(ServiceFixture service)
{
    private const string NewOperatorKey = "rotated-operator-key-9876543210";

    private static async Task<int> CreateSiteAsync(ExtraService app, string key)
    {
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await client.PostAsJsonAsync("/v1/sites", new { id = "r-" + Guid.NewGuid().ToString("N")[..12], name = "Rotation", allowedOrigins = Array.Empty<string>() });
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task During_an_operator_key_rotation_the_new_and_the_previous_key_work_and_afterwards_only_the_new()
    {
        await using (var during = ExtraService.Start(service.ConnectionString,
            ("COMMENTS_ADMIN_KEY", NewOperatorKey), ("COMMENTS_ADMIN_KEY_PREVIOUS", ServiceFixture.AdminKey)))
        {
            Assert.True(await during.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
            Assert.Equal(201, await CreateSiteAsync(during, NewOperatorKey));
            Assert.Equal(201, await CreateSiteAsync(during, ServiceFixture.AdminKey));
            Assert.Equal(401, await CreateSiteAsync(during, "some-other-key-0123456789"));
        }
        await using var after = ExtraService.Start(service.ConnectionString, ("COMMENTS_ADMIN_KEY", NewOperatorKey));
        Assert.True(await after.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
        Assert.Equal(201, await CreateSiteAsync(after, NewOperatorKey));
        Assert.Equal(401, await CreateSiteAsync(after, ServiceFixture.AdminKey));
    }

    private static string Sign(string secret, string user)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(new { sub = user, name = "Simone", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }));
        return $"{head}.{body}.{B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body)))}";
    }

    private async Task<int> PostSignedAsync(string site, string token)
    {
        using var client = service.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, ServiceFixture.CommentsPath(site, "rotation"))
        {
            Content = JsonContent.Create(new { authorName = "ignored", body = SampleText.Line(Random.Shared.Next(100)) }),
        };
        request.Headers.Add("X-User-Token", token);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private async Task<(string Secret, DateTimeOffset? PreviousValidUntil)> RotateAsync(string site, int? previousValidMinutes)
    {
        using var admin = service.Operator();
        var query = previousValidMinutes is { } m ? $"?previousValidMinutes={m}" : "";
        var created = await Expect.JsonAsync(await admin.PostAsync($"/v1/sites/{site}/user-token-secret{query}", null), 201);
        return (created["secret"]!.GetValue<string>(), created["previousValidUntil"]?.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_user_token_secret_rotated_with_a_grace_period_keeps_old_tokens_valid_until_it_ends()
    {
        var site = await service.CreateSiteAsync();
        var (first, none) = await RotateAsync(site, null);
        Assert.Null(none);
        var oldToken = Sign(first, "user-1");
        Assert.Equal(201, await PostSignedAsync(site, oldToken));

        var (second, until) = await RotateAsync(site, 60);
        Assert.NotNull(until);
        Assert.InRange(until.Value, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Equal(201, await PostSignedAsync(site, oldToken));                 // still verifies during the grace period
        Assert.Equal(201, await PostSignedAsync(site, Sign(second, "user-1")));
        Assert.Equal(401, await PostSignedAsync(site, Sign("never-a-secret-of-this-site", "user-1")));

        // The grace period over: only the new secret.
        await using (var cmd = service.Sql.CreateCommand("UPDATE sites SET user_token_previous_secret_until = now() - interval '1 second' WHERE id = $1"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = site });
            await cmd.ExecuteNonQueryAsync();
        }
        Assert.Equal(401, await PostSignedAsync(site, oldToken));
        Assert.Equal(201, await PostSignedAsync(site, Sign(second, "user-1")));

        // Without a grace period a rotation ends the old secret at once.
        var (third, noGrace) = await RotateAsync(site, 0);
        Assert.Null(noGrace);
        Assert.Equal(401, await PostSignedAsync(site, Sign(second, "user-1")));
        Assert.Equal(201, await PostSignedAsync(site, Sign(third, "user-1")));

        // Both secrets stay encrypted at rest.
        var row = await service.ScalarAsync<string>("SELECT s::text FROM sites s WHERE id = $1", site);
        Assert.DoesNotContain(second, row, StringComparison.Ordinal);
        Assert.DoesNotContain(third, row, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("10081")]
    [InlineData("soon")]
    public async Task A_grace_period_out_of_range_is_400_naming_it(string minutes)
    {
        var site = await service.CreateSiteAsync();
        using var admin = service.Operator();
        await Expect.ProblemAsync(await admin.PostAsync($"/v1/sites/{site}/user-token-secret?previousValidMinutes={minutes}", null), 400, "validation", "previousValidMinutes");
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommentService.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Security;

/// <summary>
/// What the service writes to its log while it is used and attacked, captured at every level (Trace
/// and up, more than any deployment logs): no key, token, secret, email or client address in any line.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class LogPrivacyTests(ServiceFixture service, ITestOutputHelper output)
{
    [Fact]
    public async Task No_key_token_secret_email_or_client_address_reaches_the_log()
    {
        var logs = new LogCapture();
        await using var app = ExtraService.Start(service.ConnectionString, logs.AttachTo, ("Comments:RateLimits:Enabled", "false"));
        Assert.True(await app.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));
        var secrets = new List<string> { ServiceFixture.AdminKey };
        using var op = app.Operator();

        var site = "logs-" + Guid.NewGuid().ToString("N")[..10];
        await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id = site, name = "Logs", allowedOrigins = new[] { "https://blog.example" } }), 201);
        var admin = (await Expect.JsonAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/keys", new { name = "admin", scopes = new[] { "admin" } }), 201))["key"]!.GetValue<string>();
        var revoked = await Expect.JsonAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/keys", new { name = "old", scopes = new[] { "moderate" } }), 201);
        await Expect.StatusAsync(await op.DeleteAsync($"/v1/sites/{site}/keys/{revoked["id"]}"), 204);
        var userSecret = (await Expect.JsonAsync(await op.PostAsync($"/v1/sites/{site}/user-token-secret", null), 201))["secret"]!.GetValue<string>();
        var webhookSecret = (await Expect.JsonAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/webhooks",
            new { url = "https://hooks.example/logs", events = new[] { "comment.created" } }), 201))["secret"]!.GetValue<string>();
        secrets.AddRange([admin, admin["csk_".Length..], revoked["key"]!.GetValue<string>(), userSecret, webhookSecret]);

        var emails = new[] { "private.reader@mail.example", "Someone.Else+tag@mail.example", "signed.user@mail.example" };
        var addresses = new[] { "203.0.113.99", "2001:db8::99", "198.51.100.5" };
        var userToken = Sign(userSecret, new { sub = "user-7", name = "Signed User", email = emails[2], exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });
        secrets.Add(userToken);
        var requests = 0;
        using var client = app.Anonymous();
        async Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body, params (string, string)[] headers)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            requests++;
            return await client.SendAsync(request);
        }

        var path = ServiceFixture.CommentsPath(site, "private-thread");
        for (var i = 0; i < 30; i++)
        {
            var address = addresses[i % addresses.Length];
            var email = emails[i % 2];
            using var created = await Send(HttpMethod.Post, path, new { authorName = "Reader " + i, authorEmail = email, body = SampleText.Line(i) }, ("X-Forwarded-For", address));
            var comment = await Expect.JsonAsync(created, 201);
            var editToken = comment["editToken"]!.GetValue<string>();
            secrets.Add(editToken);
            var commentPath = $"/v1/sites/{site}/comments/{comment["id"]}";
            (await Send(HttpMethod.Patch, commentPath, new { body = SampleText.Line(i + 40) }, ("X-Edit-Token", editToken), ("X-Forwarded-For", address))).Dispose();
            (await Send(HttpMethod.Patch, commentPath, new { body = "Not mine." }, ("X-Edit-Token", "wrong-" + editToken))).Dispose();
            (await Send(HttpMethod.Put, commentPath + "/vote", new { value = 1 }, ("X-Reader-Token", "reader-token-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), ("X-Forwarded-For", address))).Dispose();
            (await Send(HttpMethod.Get, $"/v1/sites/{site}", null, ("Authorization", "Bearer " + admin))).Dispose();
            (await Send(HttpMethod.Get, $"/v1/sites/{site}", null, ("Authorization", "Bearer " + revoked["key"]))).Dispose();
            (await Send(HttpMethod.Get, path, null, ("Authorization", "Bearer csk_guessed" + i + "AAAAAAAAAAAAAAAAAAAA"))).Dispose();
            (await Send(HttpMethod.Post, "/v1/sites", new { id = "x", name = "x" }, ("Authorization", "Bearer " + ServiceFixture.AdminKey + "-typo"))).Dispose();
            (await Send(HttpMethod.Post, path, new { authorName = "Signed", body = SampleText.Line(i + 80) }, ("X-User-Token", userToken), ("X-Forwarded-For", address))).Dispose();
            (await Send(HttpMethod.Post, path, new { authorName = "Bad", authorEmail = "not-an-email " + email, body = "" }, ("X-Forwarded-For", address))).Dispose();
        }
        secrets.Add(ServiceFixture.AdminKey + "-typo");
        (await Send(HttpMethod.Post, $"/v1/sites/{site}/authors/erase", new { authorEmail = emails[0] }, ("Authorization", "Bearer " + admin))).Dispose();

        var lines = logs.Lines.ToList();
        var leaks = new List<string>();
        foreach (var line in lines)
        {
            var all = line.All;
            foreach (var value in secrets.Concat(emails).Concat(addresses).Concat(["mail.example"]))
            {
                if (all.Contains(value, StringComparison.OrdinalIgnoreCase))
                {
                    leaks.Add($"'{value}' in: {all}");
                }
            }
        }
        output.WriteLine($"{requests} requests, {lines.Count} log lines at Trace and up searched for {secrets.Count} secrets, {emails.Length} emails and {addresses.Length} addresses");
        Assert.True(lines.Count > requests, "the log capture saw too little to prove anything");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(10)));
    }

    private static string Sign(string secret, object payload)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        return $"{head}.{body}.{B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body)))}";
    }
}

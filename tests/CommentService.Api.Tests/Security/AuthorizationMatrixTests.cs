using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;
using CommentService.Api.Tests.Security.Fuzz;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Security;

/// <summary>
/// Every route of openapi.yaml × every kind of caller, against the status the README's route table
/// promises. A route without a row here fails the test, so a new route cannot be forgotten.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class AuthorizationMatrixTests(ServiceFixture service, ITestOutputHelper output)
{
    /// <summary>The callers in the order of the table's columns.</summary>
    private static readonly string[] Callers = ["none", "operator", "comments:read", "comments:write", "moderate", "admin", "other-site-admin", "revoked", "expired"];

    // ok: authorized (any answer but 401 and 403, never a 5xx; the request is the operation's own example);
    // 401, 403, 404: exactly that problem. A key of another site, a revoked and an expired key are the last three columns.
    private const string SiteAdmin = "401 ok 403 403 403 ok 403 401 401";
    private const string Moderator = "401 ok 403 403 ok ok 403 401 401";
    private const string Reader = "ok ok ok 403 ok ok 403 401 401";

    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        // operator only
        ["createSite"] = "401 ok 403 403 403 403 403 401 401",
        // the site's settings, keys, webhooks, secrets, erasure: admin
        ["getSite"] = SiteAdmin, ["updateSite"] = SiteAdmin, ["createKey"] = SiteAdmin, ["listKeys"] = SiteAdmin, ["revokeKey"] = SiteAdmin,
        ["createUserTokenSecret"] = SiteAdmin, ["getClassifiers"] = SiteAdmin, ["updateClassifiers"] = SiteAdmin,
        ["createWebhook"] = SiteAdmin, ["listWebhooks"] = SiteAdmin, ["deleteWebhook"] = SiteAdmin,
        ["listWebhookDeliveries"] = SiteAdmin, ["retryWebhookDelivery"] = SiteAdmin, ["eraseAuthor"] = SiteAdmin,
        ["startImport"] = SiteAdmin, ["getImport"] = SiteAdmin,
        // exports carry every comment of a site, held ones too: moderators
        ["exportSite"] = Moderator, ["exportArticle"] = Moderator,
        // moderation: moderate (admin includes it)
        ["listModerationQueue"] = Moderator, ["decideComment"] = Moderator, ["decideComments"] = Moderator, ["pinComment"] = Moderator,
        ["updateThread"] = Moderator, ["listModerationAudit"] = Moderator, ["getModerationPolicy"] = Moderator, ["updateModerationPolicy"] = Moderator,
        ["listSiteTerms"] = Moderator, ["putSiteTerm"] = Moderator, ["deleteSiteTerm"] = Moderator,
        ["listBans"] = Moderator, ["banAuthor"] = Moderator, ["liftBan"] = Moderator, ["checkComment"] = Moderator,
        ["listModerationRules"] = Moderator, ["createModerationRule"] = Moderator, ["getModerationRule"] = Moderator,
        ["deleteModerationRule"] = Moderator, ["promoteModerationRule"] = Moderator, ["getModerationRuleReport"] = Moderator,
        // readers: anyone; a key, if sent, must be of the site and grant comments:read (or comments:write to post)
        ["listThread"] = Reader, ["getCounts"] = Reader, ["getComment"] = Reader,
        ["createComment"] = "ok ok 403 ok 403 ok 403 401 401",
        // the author (edit or user token; none sent here) or moderate
        ["editComment"] = "401 ok 403 403 ok ok 403 401 401",
        ["deleteComment"] = "401 ok 403 403 ok ok 403 401 401",
        ["getCommentModerationStatus"] = "404 ok 404 403 ok ok 403 401 401",
        // the author only, with their token (none sent here): to anyone else the comment's appeal does not exist, and
        // keys are refused outright unless they could post (comments:write)
        ["appealComment"] = "404 403 403 404 403 403 403 401 401",
        // a reader (X-Reader-Token or X-User-Token; none sent here, so 400 naming it) or a server with comments:write
        ["voteComment"] = "400 400 403 400 403 400 403 401 401",
        ["reportComment"] = "400 400 403 400 403 400 403 401 401",
    };

    [Fact]
    public async Task Every_route_answers_every_caller_as_the_route_table_says()
    {
        var operations = await OpenApiOperations.LoadAsync();
        var missing = operations.Where(o => !Expected.ContainsKey(o.OperationId)).Select(o => o.OperationId).ToList();
        Assert.True(missing.Count == 0, "routes without an authorization row: " + string.Join(", ", missing));
        Assert.Empty(Expected.Keys.Except(operations.Select(o => o.OperationId)));

        var world = await WorldAsync();
        var failures = new List<string>();
        var observed = new StringBuilder();
        var requests = 0;
        // Reads first, deletions last, so every route still finds what it is aimed at as it was made (an approved comment).
        foreach (var op in operations.OrderBy(o => o.Method switch { "GET" => 0, "DELETE" => 2, _ => 1 }).ThenBy(o => o.OperationId, StringComparer.Ordinal))
        {
            var expected = Expected[op.OperationId].Split(' ');
            var row = new List<string>();
            for (var i = 0; i < Callers.Length; i++)
            {
                var caller = Callers[i];
                // Another site's key aims at this site's routes; everyone else too.
                using var client = world.Keys[caller] is { } key ? service.WithKey(key) : service.Anonymous();
                using var request = Request(op, world);
                using var response = await client.SendAsync(request);
                requests++;
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                row.Add(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var ok = expected[i] == "ok"
                    ? status is not (401 or 403) && status < 500
                    : status.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected[i] && HostileInputTests.ProblemError(response, status, text) is null;
                if (!ok)
                {
                    failures.Add($"{op.OperationId} as {caller}: expected {expected[i]}, got {status} {text}");
                }
            }
            observed.AppendLine($"{op.OperationId,-28} {string.Join(' ', row)}");
        }
        output.WriteLine($"{operations.Count} operations × {Callers.Length} callers = {requests} requests; columns: {string.Join(' ', Callers)}");
        output.WriteLine(observed.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static HttpRequestMessage Request(FuzzOperation op, World world)
    {
        var path = op.PathTemplate
            .Replace("{siteId}", world.SiteId, StringComparison.Ordinal)
            .Replace("{articleId}", "matrix-article", StringComparison.Ordinal)
            .Replace("{commentId}", world.CommentId, StringComparison.Ordinal)
            .Replace("{keyId}", world.VictimKeyId, StringComparison.Ordinal)
            .Replace("{webhookId}", world.WebhookId, StringComparison.Ordinal)
            .Replace("{deliveryId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{banId}", world.BanId, StringComparison.Ordinal)
            .Replace("{ruleId}", world.RuleId, StringComparison.Ordinal)
            .Replace("{importId}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        if (op.OperationId == "getCounts")
        {
            path += "?articleId=matrix-article";
        }
        if (op.OperationId == "startImport")
        {
            // The body is a file, not JSON: one comment in this service's own JSON Lines format.
            return new HttpRequestMessage(HttpMethod.Post, path + "?format=jsonl")
            {
                Content = new StringContent(
                    """{"type":"comment","id":"m1","articleId":"matrix-import","authorName":"Ada","body":"Imported for the matrix.","createdAt":"2026-11-01T10:00:00Z","status":"approved"}""" + "\n",
                    System.Text.Encoding.UTF8, "application/x-ndjson"),
            };
        }
        var request = new HttpRequestMessage(new HttpMethod(op.Method), path);
        if (op.Method is "POST" or "PUT" or "PATCH")
        {
            var body = op.BodyExample?.DeepClone().AsObject() ?? [];
            // Examples name made-up comments; aim them at this site's own.
            foreach (var field in new[] { "commentId", "parentId" })
            {
                if (body.ContainsKey(field))
                {
                    body[field] = field == "commentId" ? world.CommentId : null;
                }
            }
            if (body["ids"] is JsonArray)
            {
                body["ids"] = new JsonArray(world.CommentId);
            }
            if (op.OperationId == "eraseAuthor")
            {
                body = new JsonObject { ["authorEmail"] = "nobody@mail.example" };
            }
            if (op.OperationId == "createSite")
            {
                body["id"] = "m-" + Guid.NewGuid().ToString("N")[..12];
            }
            request.Content = JsonContent.Create(body);
        }
        return request;
    }

    private sealed record World(string SiteId, string CommentId, string VictimKeyId, string WebhookId, string BanId, string RuleId, Dictionary<string, string?> Keys);

    private async Task<World> WorldAsync()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        var keys = new Dictionary<string, string?> { ["none"] = null, ["operator"] = ServiceFixture.AdminKey };
        foreach (var scope in new[] { "comments:read", "comments:write", "moderate", "admin" })
        {
            keys[scope] = await service.CreateKeyAsync(site, scope);
        }
        keys["other-site-admin"] = await service.CreateKeyAsync(other, "admin");

        using var op = service.Operator();
        async Task<JsonObject> Post(string path, object body) => await Expect.JsonAsync(await op.PostAsJsonAsync(path, body), 201);
        var revoked = await Post($"/v1/sites/{site}/keys", new { name = "revoked", scopes = new[] { "admin" } });
        await Expect.StatusAsync(await op.DeleteAsync($"/v1/sites/{site}/keys/{revoked["id"]}"), 204);
        keys["revoked"] = revoked["key"]!.GetValue<string>();
        var expired = await Post($"/v1/sites/{site}/keys", new { name = "expired", scopes = new[] { "admin" }, expiresAt = DateTimeOffset.UtcNow.AddHours(1) });
        await using (var cmd = service.Sql.CreateCommand("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = expired["id"]!.GetValue<Guid>() });
            await cmd.ExecuteNonQueryAsync();
        }
        keys["expired"] = expired["key"]!.GetValue<string>();

        var victim = await Post($"/v1/sites/{site}/keys", new { name = "victim", scopes = new[] { "comments:read" } });
        var comment = await service.PostCommentAsync(site, "matrix-article", SampleText.Line(7), author: "Matrix reader");
        var webhook = await Post($"/v1/sites/{site}/webhooks", new { url = "https://hooks.example/matrix", events = new[] { "comment.created" } });
        var ban = await Post($"/v1/sites/{site}/moderation/bans", new { authorKey = "n:" + new string('a', 64), reason = "matrix" });
        var rule = await Post($"/v1/sites/{site}/moderation/rules", new { kind = "term", term = "matrixterm", action = "hold" });
        return new World(site, comment["id"]!.GetValue<string>(), victim["id"]!.GetValue<string>(), webhook["id"]!.GetValue<string>(),
            ban["id"]!.GetValue<string>(), rule["id"]!.GetValue<string>(), keys);
    }
}

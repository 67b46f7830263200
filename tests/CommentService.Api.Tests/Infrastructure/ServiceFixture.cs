using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// The real service on a real loopback port (Kestrel, not the in-memory test server) against a fresh
/// database on the suite's PostgreSQL. Shared by every test in the "service" collection.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public const string AdminKey = "test-operator-key-0123456789";

    private PostgresServer? server;
    private ServiceFactory? factory;

    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource Sql { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => factory!.Services;
    public PostgresServer Server => server!;

    public async Task InitializeAsync()
    {
        server = await PostgresServer.StartAsync();
        ConnectionString = await CreateDatabaseAsync(server.AdminConnectionString, "comments_test_" + Guid.NewGuid().ToString("N")[..10]);
        Sql = NpgsqlDataSource.Create(ConnectionString);
        factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Comments"] = ConnectionString,
            ["COMMENTS_ADMIN_KEY"] = AdminKey,
            // Every test here posts from one loopback address; RateLimitTests run instances with limits on.
            ["Comments:RateLimits:Enabled"] = "false",
            // Classifier fakes listen on loopback in these tests.
            ["Comments:Classifiers:AllowPrivateNetworks"] = "true",
        });
        factory.UseKestrel(0);
        factory.StartServer();
        BaseAddress = factory.ClientOptions.BaseAddress;
        await WaitUntilReadyAsync(Anonymous(), TimeSpan.FromSeconds(60));
    }

    public static async Task<string> CreateDatabaseAsync(string adminConnectionString, string name)
    {
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task WaitUntilReadyAsync(HttpClient client, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The service did not become ready.");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A client with no credentials, like a reader's browser.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Operator() => WithKey(AdminKey);

    /// <summary>Creates a site with a unique id and returns the id.</summary>
    public async Task<string> CreateSiteAsync(int? editWindowMinutes = null)
    {
        var id = "site-" + Guid.NewGuid().ToString("N")[..10];
        using var client = Operator();
        using var response = await client.PostAsJsonAsync("/v1/sites", new { id, name = "Test site " + id, allowedOrigins = new[] { "https://blog.example" }, editWindowMinutes });
        await Expect.StatusAsync(response, 201);
        return id;
    }

    public async Task<string> CreateKeyAsync(string siteId, params string[] scopes)
    {
        using var client = Operator();
        using var response = await client.PostAsJsonAsync($"/v1/sites/{siteId}/keys", new { name = "test key", scopes });
        var body = await Expect.JsonAsync(response, 201);
        return body["key"]!.GetValue<string>();
    }

    public static string CommentsPath(string siteId, string articleId) =>
        $"/v1/sites/{siteId}/articles/{Uri.EscapeDataString(articleId)}/comments";

    /// <summary>Posts a comment and returns the 201 body (with id and editToken).</summary>
    public async Task<JsonObject> PostCommentAsync(string siteId, string articleId, string body = "A thoughtful comment.", Guid? parentId = null, string author = "Reader")
    {
        using var client = Anonymous();
        using var response = await client.PostAsJsonAsync(CommentsPath(siteId, articleId), new { authorName = author, body, parentId });
        return await Expect.JsonAsync(response, 201);
    }

    public async Task<JsonObject> ReadThreadAsync(string siteId, string articleId, string query = "")
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(CommentsPath(siteId, articleId) + query);
        return await Expect.JsonAsync(response, 200);
    }

    /// <summary>
    /// A checksum of every content table, to prove a rejected request changed nothing: sites, threads,
    /// comments, keys, and what moderation keeps (decisions, terms, bans, classifiers, spam models, votes,
    /// reports, rules, shadow verdicts, appeals, webhooks). Operational tables are left out: rate-limit
    /// counters and idempotency keys (a refused request counts and may be stored), the webhook outbox,
    /// server secrets and the Data Protection key ring.
    /// </summary>
    public Task<string> ContentChecksumAsync() => ContentChecksumAsync(Sql);

    public static readonly IReadOnlyList<string> ContentTables =
    [
        "sites", "threads", "comments", "api_keys", "moderation_decisions", "site_terms", "author_bans", "site_classifiers",
        "site_spam_models", "comment_votes", "comment_reports", "moderation_rules", "shadow_verdicts", "appeals", "webhooks",
    ];

    public static async Task<string> ContentChecksumAsync(NpgsqlDataSource sql)
    {
        // Each table's rows as text in a stable order (the row's own text: no table needs a key column here).
        var parts = ContentTables.Select(t => $"coalesce((SELECT string_agg(x::text, '|' ORDER BY x::text) FROM {t} x), '')");
        await using var cmd = sql.CreateCommand($"SELECT md5({string.Join(" || '#' || ", parts)})");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var cmd = Sql.CreateCommand(sql);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
        if (Sql is not null)
        {
            await Sql.DisposeAsync();
        }
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>The service with test configuration, served by Kestrel; <paramref name="configure"/> adds to it (logging, environment).</summary>
public sealed class ServiceFactory(IReadOnlyDictionary<string, string?> settings, Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseEnvironment("Testing");
        configure?.Invoke(builder);
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

public static class Expect
{
    public static async Task StatusAsync(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
        {
            Assert.Fail($"Expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, int status)
    {
        await StatusAsync(response, status);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Asserts a problem-details answer with this status and type, naming <paramref name="field"/> when given.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, int status, string? type = null, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["type"]?.GetValue<string>()), "problem has no type");
        if (type is not null)
        {
            Assert.Equal("https://commentservice.dev/problems/" + type, problem["type"]!.GetValue<string>());
        }
        if (field is not null)
        {
            var names = problem["errors"]?.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList() ?? [];
            Assert.True(names.Contains(field, StringComparer.OrdinalIgnoreCase), $"problem does not name '{field}': {text}");
        }
        return problem;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}

using CommentService.Api.Tests.Infrastructure;
using CommentService.Client;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>Generated clients for one test, with the keys it needs; disposes their HttpClients.</summary>
public sealed class ClientSession(ServiceFixture service) : IDisposable
{
    private readonly List<HttpClient> https = [];

    public CommentServiceClient Client(string? key)
    {
        var client = CommentServiceClientFactory.Create(service.BaseAddress, key, out var http);
        https.Add(http);
        return client;
    }

    public CommentServiceClient Operator => Client(ServiceFixture.AdminKey);

    public CommentServiceClient Reader => Client(null);

    /// <summary>A new site created through the client as the operator.</summary>
    public async Task<string> NewSiteAsync()
    {
        var id = "client-" + Guid.NewGuid().ToString("N")[..10];
        var site = await Operator.CreateSiteAsync(new CreateSiteRequest { Id = id, Name = "The Film Blog", AllowedOrigins = ["https://films.example"] });
        Assert.Equal(id, site.Id);
        return id;
    }

    /// <summary>A client holding a new site key with <paramref name="scopes"/>.</summary>
    public async Task<CommentServiceClient> KeyAsync(string site, params string[] scopes) =>
        Client((await Operator.CreateKeyAsync(site, new CreateKeyRequest { Name = string.Join('+', scopes), Scopes = [.. scopes] })).Key);

    /// <summary>Expects the call to fail with the problem type (the part after /problems/) and status.</summary>
    public static async Task<ApiException<Problem>> ProblemAsync(int status, string type, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<ApiException<Problem>>(call);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("https://commentservice.dev/problems/" + type, error.Result.Type);
        return error;
    }

    public void Dispose()
    {
        foreach (var http in https)
        {
            http.Dispose();
        }
    }
}

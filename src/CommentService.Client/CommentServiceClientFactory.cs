namespace CommentService.Client;

/// <summary>Builds a <see cref="CommentServiceClient"/> with the API key and retries in place.</summary>
public static class CommentServiceClientFactory
{
    /// <summary>
    /// A client for the service at <paramref name="baseAddress"/> (e.g. https://comments.example/), sending
    /// <paramref name="apiKey"/> as a bearer token (none for reader-only use) and retrying temporary
    /// failures as <see cref="RetryHandler"/> describes. Dispose the <see cref="HttpClient"/> when done.
    /// </summary>
    public static CommentServiceClient Create(Uri baseAddress, string? apiKey, out HttpClient http, RetryOptions? retry = null, HttpMessageHandler? transport = null)
    {
        http = CreateHttpClient(baseAddress, apiKey, retry, transport);
        return new CommentServiceClient(http);
    }

    /// <summary>The HttpClient under <see cref="Create"/>: handlers for the key and retries over <paramref name="transport"/>.</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress, string? apiKey, RetryOptions? retry = null, HttpMessageHandler? transport = null)
    {
        HttpMessageHandler handler = new RetryHandler(retry) { InnerHandler = transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
        if (!string.IsNullOrEmpty(apiKey))
        {
            handler = new ApiKeyHandler(apiKey) { InnerHandler = handler };
        }
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>
    /// A client from the environment: COMMENTS_URL (the service's base address) and COMMENTS_API_KEY,
    /// for scripts and CI jobs.
    /// </summary>
    public static CommentServiceClient FromEnvironment(out HttpClient http, RetryOptions? retry = null)
    {
        var url = Environment.GetEnvironmentVariable("COMMENTS_URL");
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var baseAddress))
        {
            throw new InvalidOperationException("Set COMMENTS_URL to the service's address, e.g. https://comments.example/.");
        }
        return Create(baseAddress, Environment.GetEnvironmentVariable("COMMENTS_API_KEY"), out http, retry);
    }
}

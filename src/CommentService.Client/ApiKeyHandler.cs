using System.Net.Http.Headers;

namespace CommentService.Client;

/// <summary>Sends the API key as <c>Authorization: Bearer &lt;key&gt;</c> on every request that carries no credentials of its own.</summary>
public sealed class ApiKeyHandler : DelegatingHandler
{
    private readonly string apiKey;

    /// <param name="apiKey">The operator's key or a site key (csk_...).</param>
    public ApiKeyHandler(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        this.apiKey = apiKey;
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", apiKey);
        return base.SendAsync(request, cancellationToken);
    }
}

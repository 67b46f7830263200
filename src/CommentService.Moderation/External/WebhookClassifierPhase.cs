using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommentService.Moderation.External;

/// <summary>Settings for <see cref="WebhookClassifierPhase"/>. Off by default.</summary>
public sealed record WebhookClassifierOptions
{
    public bool Enabled { get; init; }

    /// <summary>Where the comment is POSTed as JSON.</summary>
    public Uri? Url { get; init; }

    /// <summary>Shared secret for the HMAC-SHA256 signature of the body.</summary>
    public string Secret { get; init; } = "";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where the timestamp header's value comes from.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Asks a site's own classifier over a signed webhook. The request body is the comment as JSON
/// (<see cref="WebhookComment"/>); headers <c>X-CommentService-Signature: sha256=&lt;hex HMAC-SHA256 of the
/// body with the shared secret&gt;</c> and <c>X-CommentService-Timestamp</c> (Unix seconds, also inside the
/// signed body as <c>sentAt</c>) let the receiver check origin and freshness. The receiver answers <c>{"outcome":"approved|pending|spam|rejected","reason":"...","score":0.9}</c>.
/// Anything else, and any timeout or network error, fails open.
/// </summary>
public sealed class WebhookClassifierPhase(HttpClient http, WebhookClassifierOptions options)
    : ExternalClassifierPhase(http, options.Timeout, options.Enabled && options.Url is not null)
{
    public const string PhaseName = "external.webhook";
    public const string SignatureHeader = "X-CommentService-Signature";
    public const string TimestampHeader = "X-CommentService-Timestamp";

    public override string Name => PhaseName;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>What the receiver is sent: the comment, never the raw email or address.</summary>
    public sealed record WebhookComment(string SiteId, string ArticleId, string? ArticleUrl, string AuthorName, string? AuthorUrl, string Body, string? ParentBody, long SentAt);

    /// <summary>What the receiver answers.</summary>
    public sealed record WebhookAnswer(string? Outcome, string? Reason, double? Score);

    /// <summary>The signature header's value for a body, as the receiver should compute it: sha256=hex(HMAC-SHA256(secret, body)).</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    protected override async Task<PhaseResult> ClassifyAsync(ModerationRequest request, CancellationToken ct)
    {
        var sentAt = options.Time.GetUtcNow().ToUnixTimeSeconds();
        var comment = new WebhookComment(request.SiteId, request.ArticleId, request.ArticleUrl, request.AuthorName, request.AuthorUrl, request.Body, request.ParentBody, sentAt);
        var body = JsonSerializer.SerializeToUtf8Bytes(comment, Json);
        var timestamp = sentAt.ToString(CultureInfo.InvariantCulture);
        using var message = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        message.Headers.Add(SignatureHeader, Sign(options.Secret, body));
        message.Headers.Add(TimestampHeader, timestamp);
        using var response = await Http.SendAsync(message, ct);
        if (!response.IsSuccessStatusCode)
        {
            return Unavailable($"HTTP {(int)response.StatusCode}");
        }
        var answer = await response.Content.ReadFromJsonAsync<WebhookAnswer>(Json, ct) ?? throw new FormatException("empty answer");
        ModerationOutcome? outcome = answer.Outcome?.ToLowerInvariant() switch
        {
            "approved" => null, // approval is the default; let the remaining phases run
            "pending" => ModerationOutcome.Pending,
            "spam" => ModerationOutcome.Spam,
            "rejected" => ModerationOutcome.Rejected,
            _ => throw new FormatException($"unknown outcome '{answer.Outcome}'"),
        };
        var score = Math.Clamp(answer.Score ?? (outcome is null ? 0 : 1), 0, 1);
        var reason = string.IsNullOrWhiteSpace(answer.Reason) ? null : answer.Reason.Length > 200 ? answer.Reason[..200] : answer.Reason;
        var flag = new ModerationFlag($"external.webhook.{answer.Outcome!.ToLowerInvariant()}", Name, score, null, null, null, reason);
        return new PhaseResult([flag], outcome);
    }
}

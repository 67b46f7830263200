using CommentService.Api.Data;

namespace CommentService.Api.Features.Webhooks;

/// <summary>A webhook as listed: never its secret.</summary>
public record WebhookResponse
{
    public Guid Id { get; init; }
    public string SiteId { get; init; } = "";
    public string Url { get; init; } = "";

    /// <summary>The event types sent to this URL.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];
    public string? Description { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public static WebhookResponse From(Webhook w) => new()
    {
        Id = w.Id,
        SiteId = w.SiteId,
        Url = w.Url,
        Events = w.Events,
        Description = w.Description,
        CreatedAt = w.CreatedAt,
    };
}

/// <summary>Rules for webhook URLs, shared by the create route and its validator.</summary>
public static class WebhookRules
{
    public const int MaxPerSite = 10;
    public const int DescriptionLength = 200;

    /// <summary>Why <paramref name="url"/> cannot be a webhook URL, or null when it can.</summary>
    public static string? UrlProblem(string? url, bool allowPrivateNetworks)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > LimitsAndEventsModel.UrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"url must be an absolute http or https URL of at most {LimitsAndEventsModel.UrlLength} characters.";
        }
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "url may not carry credentials or a fragment.";
        }
        if (!allowPrivateNetworks && (uri.IsLoopback
            || (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
                && System.Net.IPAddress.TryParse(uri.DnsSafeHost, out var address) && !OutboundAddresses.IsPublic(address))))
        {
            return "url points to a loopback, private or internal address.";
        }
        return null;
    }
}

using CommentService.Moderation.Text;

namespace CommentService.Moderation.Policy;

/// <summary>
/// Finds something written as a link in the light view: a scheme ("https://"), "www.", an HTML or
/// Markdown link, or a bare domain with a common top-level domain ("example.com/offer").
/// </summary>
internal static class LinkFinder
{
    private static readonly HashSet<string> TopLevelDomains =
    [
        "com", "net", "org", "info", "biz", "io", "co", "ru", "de", "uk", "us", "xyz", "top", "online", "site", "club",
        "shop", "store", "ly", "me", "tv", "cc", "ws", "link", "click", "app", "dev", "ai", "fr", "es", "it", "nl", "pl",
        "br", "in", "cn", "jp", "au", "ca", "eu", "gg", "to", "su", "pw", "tk", "ml", "ga", "cf", "gq", "live", "vip",
        "win", "bid", "loan", "work", "space", "website", "pro", "mobi", "name", "tech", "blog", "news", "gov", "edu",
    ];

    /// <summary>The first link's span in the view, or null.</summary>
    public static (int Start, int Length)? Find(TextView light)
    {
        var text = light.Text;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] is ' ' or '\n')
            {
                i++;
            }
            var start = i;
            while (i < text.Length && text[i] is not (' ' or '\n'))
            {
                i++;
            }
            if (i > start && LooksLikeLink(text.AsSpan(start, i - start)))
            {
                return (start, i - start);
            }
        }
        return null;
    }

    private static bool LooksLikeLink(ReadOnlySpan<char> token)
    {
        if (token.Contains("://", StringComparison.Ordinal)
            || token.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
            || token.Contains("href=", StringComparison.OrdinalIgnoreCase)
            || token.Contains("](", StringComparison.Ordinal))
        {
            return true;
        }
        // A bare domain: letters, digits, hyphens and dots ending in a known top-level domain, maybe a path.
        var slash = token.IndexOf('/');
        var host = (slash >= 0 ? token[..slash] : token).TrimEnd(".,;:!?)\"'");
        var lastDot = host.LastIndexOf('.');
        if (lastDot <= 0 || lastDot == host.Length - 1)
        {
            return false;
        }
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }
        Span<char> tld = stackalloc char[Math.Min(host.Length - lastDot - 1, 16)];
        if (host.Length - lastDot - 1 > 16)
        {
            return false;
        }
        host[(lastDot + 1)..].ToLowerInvariant(tld);
        return TopLevelDomains.GetAlternateLookup<ReadOnlySpan<char>>().Contains(tld);
    }
}

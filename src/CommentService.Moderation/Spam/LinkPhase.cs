namespace CommentService.Moderation.Spam;

/// <summary>
/// Links: one relevant link is normal discussion and weighs little; more than the policy allows, URL
/// shorteners (which hide the destination), a comment that is nothing but a link, a link spelled out to
/// dodge filters, and an author URL that looks like an ad weigh more.
/// </summary>
public sealed class LinkPhase : IModerationPhase
{
    public const string PhaseName = "spam.links";

    public string Name => PhaseName;

    /// <summary>Well-known public URL shorteners and redirectors.</summary>
    public static IReadOnlySet<string> Shorteners { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "bit.ly", "bitly.com", "goo.gl", "tinyurl.com", "t.co", "ow.ly", "is.gd", "buff.ly", "adf.ly", "bit.do",
        "cutt.ly", "rb.gy", "shorturl.at", "tiny.cc", "lnkd.in", "v.gd", "t.ly", "s.id", "shorte.st", "ouo.io",
        "bc.vc", "x.co", "tr.im", "cli.gs", "short.io", "rebrand.ly", "soo.gd", "clck.ru", "tiny.pl", "bl.ink",
        "snip.ly", "shorturl.com", "qr.net", "urlz.fr", "lc.chat", "0rz.tw", "po.st", "su.pr", "mcaf.ee", "db.tt",
        "u.to", "adfoc.us", "linkvertise.com", "shrtco.de", "tinyurl.is", "gg.gg", "bitly.ws", "hyperurl.co",
    };

    // Words that in a domain or path mark it as an advertisement for the usual spam trades.
    internal static readonly string[] AdWords =
    [
        "casino", "poker", "slot", "bet", "loan", "payday", "viagra", "cialis", "pharma", "pills", "seo", "backlink",
        "essay", "porn", "xxx", "sex", "escort", "dating", "hookup", "crypto", "bitcoin", "forex", "follower",
        "replica", "cheap", "discount", "earn", "money", "profit", "invest", "cash", "free-", "promo", "coupon",
    ];

    // Top-level domains handed out free or for pennies, where most sites are throwaway.
    private static readonly string[] ThrowawayTlds =
        [".xyz", ".top", ".tk", ".ml", ".ga", ".cf", ".gq", ".pw", ".icu", ".win", ".bid", ".loan", ".click", ".work", ".date", ".review", ".stream", ".racing", ".party", ".trade", ".download", ".cam"];

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var signals = SpamSignals.Of(context);
        var request = context.Request;
        var text = signals.Text;
        var links = signals.Links;
        var flags = new List<ModerationFlag>();
        var articleHost = request.ArticleUrl is { } articleUrl ? SpamLinks.HostOf(articleUrl) : null;

        var offSite = 0;
        foreach (var link in links)
        {
            var local = articleHost is not null && SameSite(link.Host, articleHost);
            if (!local)
            {
                offSite++;
            }
            if (IsShortener(link.Host))
            {
                flags.Add(text.Flag("spam.shortener", Name, 0.45, link.Start, link.Length, $"shortened link ({link.Host}) hides where it leads"));
            }
            else if (link.Kind == LinkKind.Obfuscated)
            {
                flags.Add(text.Flag("spam.obfuscated_link", Name, 0.55, link.Start, link.Length, $"link spelled out as text ({link.Host})"));
            }
            else if (AdWordIn(link.Host) is { } word)
            {
                flags.Add(text.Flag("spam.link_ad", Name, 0.35, link.Start, link.Length, $"link domain advertises '{word}'"));
            }
            else if (ThrowawayTld(link.Host) is { } tld)
            {
                flags.Add(text.Flag("spam.link_ad", Name, 0.2, link.Start, link.Length, $"throwaway domain ({tld})"));
            }
            // The first off-site link is ordinary; each further one adds a little.
            var weight = local ? 0.02 : offSite == 1 ? 0.15 : 0.1;
            flags.Add(text.Flag("spam.link", Name, weight, link.Start, link.Length, local ? "link to the article's own site" : null));
        }

        if (links.Count > request.Policy.MaxLinks)
        {
            var over = links.Count - request.Policy.MaxLinks;
            var first = links[request.Policy.MaxLinks];
            flags.Add(text.Flag("spam.links", Name, Math.Min(0.85, 0.45 + 0.1 * over), first.Start, first.Length,
                $"{links.Count} links, more than the {request.Policy.MaxLinks} allowed"));
        }

        if (links.Count > 0 && offSite > 0 && WordsOutsideLinks(text, links) < 3)
        {
            var first = links[0];
            flags.Add(text.Flag("spam.link_only", Name, 0.45, first.Start, first.Length, "the comment is little more than a link"));
        }

        if (request.AuthorUrl is { Length: > 0 } authorUrl)
        {
            var host = SpamLinks.HostOf(authorUrl);
            var reason = IsShortener(host) ? "shortened link"
                : AdWordIn(authorUrl.ToLowerInvariant()) is { } word ? $"advertises '{word}'"
                : ThrowawayTld(host) is { } tld ? $"throwaway domain ({tld})"
                : null;
            if (reason is not null)
            {
                flags.Add(new ModerationFlag("spam.author_url", Name, 0.35, authorUrl, null, null, $"author URL {reason}"));
            }
        }

        return ValueTask.FromResult(signals.Report(flags));
    }

    private static bool IsShortener(string host) => Shorteners.Contains(host);

    internal static bool SameSite(string host, string articleHost) =>
        host == articleHost || host.EndsWith("." + articleHost, StringComparison.Ordinal) || articleHost.EndsWith("." + host, StringComparison.Ordinal);

    internal static string? AdWordIn(string value)
    {
        foreach (var word in AdWords)
        {
            var at = value.IndexOf(word, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            // Short words count only at a word edge of the domain ("bet" in "best" is not betting).
            if (word.Length <= 4)
            {
                var before = at == 0 || !char.IsAsciiLetter(value[at - 1]);
                var after = at + word.Length >= value.Length || !char.IsAsciiLetter(value[at + word.Length]);
                if (!before && !after)
                {
                    continue;
                }
                if (!(before && after) && word is "bet" or "sex" or "seo" or "cash" or "earn" or "slot")
                {
                    continue;
                }
            }
            return word.TrimEnd('-');
        }
        return null;
    }

    private static string? ThrowawayTld(string host)
    {
        foreach (var tld in ThrowawayTlds)
        {
            if (host.EndsWith(tld, StringComparison.Ordinal))
            {
                return tld;
            }
        }
        return null;
    }

    private static int WordsOutsideLinks(SpamText text, IReadOnlyList<FoundLink> links)
    {
        var count = 0;
        // Indexed and over the list itself: foreach over the interfaces allocated an enumerator per word.
        foreach (var word in text.WordList)
        {
            var inside = false;
            for (var i = 0; i < links.Count; i++)
            {
                var link = links[i];
                if (word.Start >= link.Start && word.Start < link.Start + link.Length)
                {
                    inside = true;
                    break;
                }
            }
            if (!inside && word.Length > 1)
            {
                count++;
            }
        }
        return count;
    }
}

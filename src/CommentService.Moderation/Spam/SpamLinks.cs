using System.Text.RegularExpressions;

namespace CommentService.Moderation.Spam;

/// <summary>How a link was written.</summary>
public enum LinkKind
{
    /// <summary>With a scheme or www. (http://example.com, www.example.com).</summary>
    Plain,

    /// <summary>A bare domain (example.com/page).</summary>
    Bare,

    /// <summary>Spelled out to slip past link filters (example dot com, example[.]com).</summary>
    Obfuscated,
}

/// <summary>A link in the normalised text: its span there, its host (lower case) and how it was written.</summary>
public sealed record FoundLink(int Start, int Length, string Host, LinkKind Kind);

/// <summary>Finds links in a <see cref="SpamText"/>.</summary>
public static partial class SpamLinks
{
    // Bare domains need a top-level domain that is rarely an English word; "word.it" or "so.me" in
    // prose typed without a space must not count, unless a path follows (9nl.me/x, youtu.be/x).
    private const string StrictTlds =
        "com|net|org|info|biz|ru|io|co|ly|xyz|top|site|online|club|tk|ml|ga|cf|gq|pw|cc|ws|tv|uk|de|fr|eu|cn|br|pl|nl|su|"
        + "live|shop|store|app|blog|link|click|website|pro|mobi|icu|win|bid|loan|vip|gl|gd|gy|fm|ua|kz|ro|biz|cz|es|jp|kr|vn|ar|mx|au|ca|ch";

    private const string PathTlds = StrictTlds + "|me|be|to|do|in|it|is|us|at|id|am|ai|im|st|nu|la|sh|vc|se|no|fi|dk|gr|pt|tr|hu|ly";

    [GeneratedRegex(@"(?:\bh\s?t\s?t\s?p\s?s?\s?:\s?/\s?/|\bwww\.)[^\s<>""'`]+", RegexOptions.CultureInvariant)]
    private static partial Regex PlainUrl();

    // A bare domain: labels and dots, then a top-level domain; it starts where nothing word-like, '@', '.', '-' or
    // '/' comes before it.
    private const string BareDomainPattern =
        @"(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:(?:" + StrictTlds + @")\b(?!\.\w)(?:/[^\s<>""'`]*)?|(?:" + PathTlds + @")/[^\s<>""'`]+)";

    // The same, anchored where the search is started (see BareDomainMatches).
    [GeneratedRegex(@"\G" + BareDomainPattern, RegexOptions.CultureInvariant)]
    private static partial Regex BareDomainAt();

    [GeneratedRegex(@"\b((?:www\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|\s+dot\s+|\[\.\]|\(\.\)|\s\.\s)\s*)?[a-z0-9][a-z0-9\-]{1,62})\s*(?:\(\s*dot\s*\)|\[\s*dot\s*\]|\{\s*dot\s*\}|\s+dot\s+|\[\.\]|\(\.\)|\s\.\s|\s+d0t\s+)\s*(" + StrictTlds + @")\b", RegexOptions.CultureInvariant)]
    private static partial Regex ObfuscatedDomain();

    /// <summary>Every link, in text order; a spelled-out link inside a plain one is not counted twice.</summary>
    public static IReadOnlyList<FoundLink> Find(SpamText text)
    {
        var lower = text.Lower;
        if (lower.IndexOf('.') < 0 && !lower.Contains("dot", StringComparison.Ordinal) && !lower.Contains("d0t", StringComparison.Ordinal))
        {
            return [];
        }
        var found = new List<FoundLink>();
        foreach (Match m in PlainUrl().Matches(lower))
        {
            var length = TrimEnd(lower, m.Index, m.Length);
            if (HostOf(lower.AsSpan(m.Index, length)) is { Length: > 0 } host && host.Contains('.'))
            {
                found.Add(new FoundLink(m.Index, length, host, LinkKind.Plain));
            }
        }
        foreach (var m in MayHoldBareDomain(lower, found) ? BareDomainMatches(lower) : [])
        {
            if (Overlaps(found, m.Index, m.Length))
            {
                continue;
            }
            var length = TrimEnd(lower, m.Index, m.Length);
            found.Add(new FoundLink(m.Index, length, HostOf(lower.AsSpan(m.Index, length)), LinkKind.Bare));
        }
        if (lower.Contains("dot", StringComparison.Ordinal) || lower.Contains("d0t", StringComparison.Ordinal)
            || lower.Contains("[.]", StringComparison.Ordinal) || lower.Contains("(.)", StringComparison.Ordinal) || lower.Contains(" . ", StringComparison.Ordinal))
        {
            foreach (Match m in ObfuscatedDomain().Matches(lower))
            {
                if (!Overlaps(found, m.Index, m.Length))
                {
                    var name = m.Groups[1].Value;
                    var cut = Math.Max(name.LastIndexOf(' '), Math.Max(name.LastIndexOf(')'), name.LastIndexOf(']')));
                    found.Add(new FoundLink(m.Index, m.Length, $"{name[(cut + 1)..]}.{m.Groups[2].Value}", LinkKind.Obfuscated));
                }
            }
        }
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    // A bare domain needs a dot between a letter or digit and a letter ("example.com"), outside the links found
    // so far; prose ("It ended. Then") and numbers ("3.5") have none, and the expression is not run.
    private static bool MayHoldBareDomain(string lower, List<FoundLink> found)
    {
        for (var i = lower.IndexOf('.', 1); i >= 0 && i + 1 < lower.Length; i = lower.IndexOf('.', i + 1))
        {
            if (char.IsAsciiLetter(lower[i + 1]) && char.IsAsciiLetterOrDigit(lower[i - 1]) && !Overlaps(found, i, 1))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The matches of the bare-domain expression over the text, in order, as a scan would find them, but tried only
    /// where one can start. A match starts with a label ([a-z0-9-] characters) that ends at a dot, and nothing
    /// word-like or '-' may stand before it: so it can only start where a run of label characters followed by a
    /// dot starts. Scanning every letter of the text instead costs some 10 µs per 1,000 characters whenever a
    /// comment has a dot between letters ("e.g.", "f.i.r.s.t").
    /// </summary>
    private static IEnumerable<Match> BareDomainMatches(string lower)
    {
        // Like a scan, the next match is searched from the end of the last.
        var from = 0;
        for (var dot = lower.IndexOf('.'); dot >= 0; dot = dot + 1 < lower.Length ? lower.IndexOf('.', dot + 1) : -1)
        {
            var start = dot;
            while (start > 0 && IsLabelCharacter(lower[start - 1]))
            {
                start--;
            }
            // The expression's lookbehind fails after '.', '@', '/' or '_': no need to run it ("f.i.r.s.t").
            if (start == dot || start < from || (start > 0 && lower[start - 1] is '.' or '@' or '/' or '_'))
            {
                continue;
            }
            var m = BareDomainAt().Match(lower, start);
            if (m.Success)
            {
                from = m.Index + m.Length;
                yield return m;
            }
        }

        static bool IsLabelCharacter(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-';
    }

    /// <summary>The host of a URL written with or without a scheme, lower case, without www. and port.</summary>
    public static string HostOf(ReadOnlySpan<char> url)
    {
        var scheme = url.IndexOf("//");
        if (scheme >= 0 && scheme < 12)
        {
            url = url[(scheme + 2)..];
        }
        var end = url.IndexOfAny("/?#:");
        if (end >= 0)
        {
            url = url[..end];
        }
        var host = url.ToString().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).TrimEnd('.');
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    private static bool Overlaps(List<FoundLink> links, int start, int length)
    {
        foreach (var l in links)
        {
            if (start < l.Start + l.Length && l.Start < start + length)
            {
                return true;
            }
        }
        return false;
    }

    // Sentence punctuation after a link is not part of it: "see example.com." or "(example.com)".
    private static int TrimEnd(string s, int start, int length)
    {
        while (length > 1 && s[start + length - 1] is '.' or ',' or '!' or '?' or ')' or ']' or ';' or ':' or '*')
        {
            length--;
        }
        return length;
    }
}

using System.Buffers;
using System.Net;

namespace CommentService.Moderation.Spam;

/// <summary>
/// The light text view the spam phases read: HTML entities decoded, markup tags dropped (a link's
/// <c>href</c> kept), compatibility forms folded (fullwidth, mathematical and circled letters, ligatures,
/// odd spaces), zero-width characters removed. Unlike a crude-language view it keeps URLs, digits,
/// amounts and punctuation intact. Every character maps back to its span in the original body, so
/// evidence offsets always point into what the author wrote.
/// </summary>
/// <remarks>
/// The library runs with invariant globalization, where <see cref="string.Normalize()"/> does not apply
/// NFKC tables; <see cref="FoldCompatibility"/> covers the compatibility characters spammers use instead.
/// </remarks>
public sealed class SpamText
{
    // Null when the view is the body itself, every character its own span (see From).
    private readonly int[]? starts;
    private readonly int[]? ends;
    private string? lower;
    private List<Token>? words;

    private SpamText(string original, string text, int[]? starts, int[]? ends)
    {
        Original = original;
        Text = text;
        this.starts = starts;
        this.ends = ends;
    }

    /// <summary>The body as the author wrote it.</summary>
    public string Original { get; }

    /// <summary>The normalised view, case kept.</summary>
    public string Text { get; }

    /// <summary>The normalised view, lower-cased invariantly (same length and offsets as <see cref="Text"/>).</summary>
    public string Lower => lower ??= Text.ToLowerInvariant();

    /// <summary>Words (letters and digits, inner apostrophes and hyphens kept) in <see cref="Lower"/>.</summary>
    public IReadOnlyList<Token> Words => WordList;

    /// <summary><see cref="Words"/> as the list itself, for loops that should not go through the interface.</summary>
    internal List<Token> WordList => words ??= Tokenize(Lower);

    /// <summary>A word or span of the normalised view.</summary>
    public readonly record struct Token(int Start, int Length, string Value);

    // ASCII but '<' and '&' (which may start a tag or an entity): characters the view keeps as they are.
    private static readonly SearchValues<char> PlainCharacters =
        SearchValues.Create([.. Enumerable.Range(0, 0x80).Select(c => (char)c).Where(c => c is not ('<' or '&'))]);

    /// <summary>Builds the view of one body.</summary>
    public static SpamText From(string body)
    {
        if (body.AsSpan().IndexOfAnyExcept(PlainCharacters) < 0)
        {
            // Nothing to drop, decode or fold: the view is the body itself and needs no maps.
            return new SpamText(body, body, null, null);
        }
        var builder = new Builder(body);
        try
        {
            builder.AppendAll();
            return builder.Build();
        }
        finally
        {
            builder.Dispose();
        }
    }

    // Writes the view into pooled buffers; Build copies them out at their final size.
    private sealed class Builder(string body)
    {
        private char[] chars = ArrayPool<char>.Shared.Rent(body.Length + 16);
        private int[] starts = ArrayPool<int>.Shared.Rent(body.Length + 16);
        private int[] ends = ArrayPool<int>.Shared.Rent(body.Length + 16);
        private int count;

        public void AppendAll()
        {
            var i = 0;
            while (i < body.Length)
            {
                if (body[i] == '<' && TryTag(body, i, out var tagEnd, out var hrefStart, out var hrefEnd))
                {
                    Emit(' ', i, tagEnd);
                    if (hrefEnd > hrefStart)
                    {
                        AppendRange(hrefStart, hrefEnd);
                        Emit(' ', i, tagEnd);
                    }
                    i = tagEnd;
                    continue;
                }
                i = AppendOne(i, body.Length);
            }
        }

        public SpamText Build() =>
            new(body, new string(chars, 0, count), starts.AsSpan(0, count).ToArray(), ends.AsSpan(0, count).ToArray());

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(ends);
        }

        private void Emit(char c, int from, int to)
        {
            if (count == chars.Length || count == starts.Length || count == ends.Length)
            {
                Grow();
            }
            chars[count] = c;
            starts[count] = from;
            ends[count] = to;
            count++;
        }

        private void Grow()
        {
            var size = count * 2;
            chars = Regrow(chars, size, count);
            starts = Regrow(starts, size, count);
            ends = Regrow(ends, size, count);

            static T[] Regrow<T>(T[] old, int size, int count)
            {
                var grown = ArrayPool<T>.Shared.Rent(size);
                old.AsSpan(0, count).CopyTo(grown);
                ArrayPool<T>.Shared.Return(old);
                return grown;
            }
        }

        private void AppendRange(int from, int to)
        {
            var j = from;
            while (j < to)
            {
                j = AppendOne(j, to);
            }
        }

        // Appends the normalised form of the character (or entity) at j; returns where the next one starts.
        private int AppendOne(int j, int limit)
        {
            var c = body[j];
            if (c == '&' && TryEntity(body, j, limit, out var entityEnd, out var decoded))
            {
                foreach (var d in decoded)
                {
                    if (!IsInvisible(d))
                    {
                        Emit(d, j, entityEnd);
                    }
                }
                return entityEnd;
            }
            if (char.IsHighSurrogate(c) && j + 1 < limit && char.IsLowSurrogate(body[j + 1]))
            {
                var folded = FoldCompatibility(char.ConvertToUtf32(c, body[j + 1]));
                if (folded is { } f)
                {
                    Emit(f, j, j + 2);
                }
                else
                {
                    Emit(c, j, j + 2);
                    Emit(body[j + 1], j, j + 2);
                }
                return j + 2;
            }
            if (c < 0x80)
            {
                Emit(c, j, j + 1);
                return j + 1;
            }
            if (IsInvisible(c))
            {
                return j + 1;
            }
            if (c is >= '\uFB00' and <= '\uFB04')
            {
                foreach (var l in Ligatures[c - '\uFB00'])
                {
                    Emit(l, j, j + 1);
                }
                return j + 1;
            }
            Emit(FoldCompatibility(c) ?? c, j, j + 1);
            return j + 1;
        }
    }

    /// <summary>The span of the original body that produced <see cref="Text"/>[start..start+length].</summary>
    public (int Start, int Length) ToOriginal(int start, int length)
    {
        if (Text.Length == 0)
        {
            return (0, 0);
        }
        start = Math.Clamp(start, 0, Text.Length - 1);
        var last = Math.Clamp(start + Math.Max(length, 1) - 1, start, Text.Length - 1);
        if (starts is null || ends is null)
        {
            return (start, last + 1 - start);
        }
        var from = starts[start];
        return (from, ends[last] - from);
    }

    /// <summary>A flag whose evidence is the original text behind a span of the normalised view.</summary>
    public ModerationFlag Flag(string reason, string phase, double score, int start, int length, string? note = null)
    {
        var (from, count) = ToOriginal(start, length);
        return new ModerationFlag(reason, phase, score, Original.Substring(from, count), from, count, note);
    }

    private static readonly string[] Ligatures = ["ff", "fi", "fl", "ffi", "ffl"];

    /// <summary>Zero-width and formatting characters that render as nothing.</summary>
    public static bool IsInvisible(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u180E' or '\u200E' or '\u200F'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2061' and <= '\u2064');

    /// <summary>
    /// The plain character behind a compatibility form (the NFKC cases spammers use), or null when the
    /// code point is not one of them.
    /// </summary>
    public static char? FoldCompatibility(int cp) => cp switch
    {
        >= 0xFF01 and <= 0xFF5E => (char)(cp - 0xFF01 + 0x21),
        0x3000 or 0x00A0 or (>= 0x2000 and <= 0x200A) or 0x202F or 0x205F => ' ',
        >= 0x1D400 and <= 0x1D6A3 => Letter((cp - 0x1D400) % 52),
        >= 0x1D7CE and <= 0x1D7FF => (char)('0' + (cp - 0x1D7CE) % 10),
        >= 0x24B6 and <= 0x24CF => (char)('A' + cp - 0x24B6),
        >= 0x24D0 and <= 0x24E9 => (char)('a' + cp - 0x24D0),
        >= 0x249C and <= 0x24B5 => (char)('a' + cp - 0x249C),
        >= 0x2460 and <= 0x2468 => (char)('1' + cp - 0x2460),
        0x24EA or 0x2070 or 0x2080 => '0',
        0x00B9 => '1',
        0x00B2 => '2',
        0x00B3 => '3',
        >= 0x2074 and <= 0x2079 => (char)('4' + cp - 0x2074),
        >= 0x2081 and <= 0x2089 => (char)('1' + cp - 0x2081),
        >= 0x1F130 and <= 0x1F149 => (char)('A' + cp - 0x1F130),
        >= 0x1F150 and <= 0x1F169 => (char)('A' + cp - 0x1F150),
        >= 0x1F170 and <= 0x1F189 => (char)('A' + cp - 0x1F170),
        0x2024 => '.',
        0x2044 or 0x2215 => '/',
        _ => null,
    };

    private static char Letter(int index) => index < 26 ? (char)('A' + index) : (char)('a' + index - 26);

    private static bool TryEntity(string s, int at, int limit, out int end, out string decoded)
    {
        end = at;
        decoded = "";
        var max = Math.Min(limit, at + 12);
        for (var k = at + 1; k < max; k++)
        {
            var c = s[k];
            if (c == ';')
            {
                if (k == at + 1)
                {
                    return false;
                }
                var entity = s.Substring(at, k - at + 1);
                var value = WebUtility.HtmlDecode(entity);
                if (value == entity)
                {
                    return false;
                }
                end = k + 1;
                decoded = value;
                return true;
            }
            if (!char.IsAsciiLetterOrDigit(c) && c != '#')
            {
                return false;
            }
        }
        return false;
    }

    // A markup tag such as <br />, <a href="...">, </a>, <b>; a lone '<' in prose ("a < b") is not one.
    private static bool TryTag(string s, int at, out int end, out int hrefStart, out int hrefEnd)
    {
        end = hrefStart = hrefEnd = at;
        var k = at + 1;
        if (k < s.Length && s[k] == '/')
        {
            k++;
        }
        if (k >= s.Length || !char.IsAsciiLetter(s[k]))
        {
            return false;
        }
        var nameStart = k;
        while (k < s.Length && char.IsAsciiLetterOrDigit(s[k]))
        {
            k++;
        }
        var name = s.AsSpan(nameStart, k - nameStart);
        if (!IsKnownTag(name))
        {
            return false;
        }
        var close = s.IndexOf('>', k);
        if (close < 0 || close - at > 2000 || s.AsSpan(k, close - k).Contains('<'))
        {
            return false;
        }
        end = close + 1;
        var attributes = s.AsSpan(k, close - k);
        var href = attributes.IndexOf("href=", StringComparison.OrdinalIgnoreCase);
        if (href >= 0)
        {
            var v = k + href + 5;
            var quote = v < close && s[v] is '"' or '\'' ? s[v] : '\0';
            if (quote != '\0')
            {
                v++;
            }
            var stop = v;
            while (stop < close && (quote != '\0' ? s[stop] != quote : !char.IsWhiteSpace(s[stop])))
            {
                stop++;
            }
            hrefStart = v;
            hrefEnd = stop;
        }
        return true;
    }

    private static bool IsKnownTag(ReadOnlySpan<char> name) =>
        name.Equals("a", StringComparison.OrdinalIgnoreCase) || name.Equals("br", StringComparison.OrdinalIgnoreCase)
        || name.Equals("b", StringComparison.OrdinalIgnoreCase) || name.Equals("i", StringComparison.OrdinalIgnoreCase)
        || name.Equals("u", StringComparison.OrdinalIgnoreCase) || name.Equals("p", StringComparison.OrdinalIgnoreCase)
        || name.Equals("em", StringComparison.OrdinalIgnoreCase) || name.Equals("strong", StringComparison.OrdinalIgnoreCase)
        || name.Equals("span", StringComparison.OrdinalIgnoreCase) || name.Equals("div", StringComparison.OrdinalIgnoreCase)
        || name.Equals("img", StringComparison.OrdinalIgnoreCase) || name.Equals("s", StringComparison.OrdinalIgnoreCase)
        || name.Equals("font", StringComparison.OrdinalIgnoreCase) || name.Equals("url", StringComparison.OrdinalIgnoreCase);

    private static List<Token> Tokenize(string lower)
    {
        var tokens = new List<Token>(lower.Length / 5 + 1);
        var i = 0;
        while (i < lower.Length)
        {
            if (!char.IsLetterOrDigit(lower[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < lower.Length && (char.IsLetterOrDigit(lower[i])
                || (lower[i] is '\'' or '\u2019' or '-' && i + 1 < lower.Length && char.IsLetterOrDigit(lower[i + 1]))))
            {
                i++;
            }
            tokens.Add(new Token(start, i - start, lower.Substring(start, i - start)));
        }
        return tokens;
    }
}

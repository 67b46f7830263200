using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace CommentService.Moderation.Text;

/// <summary>
/// The Unicode knowledge the views need, built once from the embedded tables. The service runs with
/// InvariantGlobalization, where string.Normalize does nothing, so compatibility forms (fullwidth,
/// mathematical, enclosed letters) and accent removal come from a table generated from the Unicode
/// database (scripts/generate-unicode-fold.py).
/// </summary>
internal static class UnicodeTables
{
    private static readonly FrozenDictionary<int, string> LightFold;
    private static readonly FrozenDictionary<int, string> AggressiveFold;
    private static readonly FrozenDictionary<char, char> LookAlikes;

    static UnicodeTables()
    {
        var light = new Dictionary<int, string>();
        var aggressive = new Dictionary<int, string>();
        foreach (var line in EmbeddedData.RawLines("unicode-fold.txt"))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var parts = line.Split('\t');
            var cp = int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (parts[1] != "-")
            {
                light[cp] = Unescape(parts[1]);
            }
            if (parts[2] != "-")
            {
                aggressive[cp] = Unescape(parts[2]);
            }
        }
        LightFold = light.ToFrozenDictionary();
        AggressiveFold = aggressive.ToFrozenDictionary();

        var lookAlikes = new Dictionary<char, char>();
        foreach (var line in EmbeddedData.Lines("lookalikes.txt"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            lookAlikes[parts[0][0]] = parts[1][0];
        }
        LookAlikes = lookAlikes.ToFrozenDictionary();
    }

    /// <summary>The compatibility form (NFKC) of a code point when it differs and is plain text: 'ｆ' and '𝐟' give "f".</summary>
    public static string? Compatibility(int codePoint) => LightFold.GetValueOrDefault(codePoint);

    /// <summary>The code point with compatibility forms applied and accents removed: 'é' gives "e", 'ﬁ' gives "fi".</summary>
    public static string? Base(int codePoint) => AggressiveFold.GetValueOrDefault(codePoint);

    /// <summary>The Latin letter a Cyrillic, Greek or other letter is taken for, or '\0'.</summary>
    public static char LookAlike(char c) => c < 0x80 ? '\0' : LookAlikes.GetValueOrDefault(c);

    /// <summary>
    /// Characters that render as nothing: format characters (zero-width space and joiners, soft hyphen,
    /// bidirectional controls, tags), variation selectors, the combining grapheme joiner and the blank
    /// fillers used to smuggle invisible text.
    /// </summary>
    public static bool IsInvisible(int cp, UnicodeCategory category) =>
        category == UnicodeCategory.Format
        || cp is 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x180E or 0x2800 or 0x3164 or 0xFFA0
        || cp is >= 0xFE00 and <= 0xFE0F
        || cp is >= 0xE0100 and <= 0xE01EF;

    private static string Unescape(string escaped)
    {
        if (!escaped.Contains('\\', StringComparison.Ordinal))
        {
            return escaped;
        }
        var sb = new StringBuilder();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 1 < escaped.Length)
            {
                switch (escaped[i + 1])
                {
                    case 'u':
                        sb.Append((char)int.Parse(escaped.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 5;
                        continue;
                    case 'U':
                        sb.Append(char.ConvertFromUtf32(int.Parse(escaped.AsSpan(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                        i += 9;
                        continue;
                    case 'x':
                        sb.Append((char)int.Parse(escaped.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 3;
                        continue;
                    case '\\':
                        sb.Append('\\');
                        i += 1;
                        continue;
                }
            }
            sb.Append(escaped[i]);
        }
        return sb.ToString();
    }
}

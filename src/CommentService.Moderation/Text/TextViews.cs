using System.Buffers;
using System.Globalization;

namespace CommentService.Moderation.Text;

/// <summary>
/// Builds the two views every phase draws on. Both keep, for every character, the span of the original
/// text it came from, so evidence offsets point into the comment as written.
/// <list type="bullet">
/// <item><see cref="Light"/>: HTML entities decoded, invisible characters removed, compatibility forms
/// (fullwidth, mathematical, enclosed letters) folded to plain ones, look-alike letters mapped to Latin
/// inside words that mix scripts, whitespace collapsed. Case, digits, URLs and amounts stay as written:
/// the view for spam checks.</item>
/// <item><see cref="Aggressive(string)"/>: the light view further lower-cased, accents removed, every
/// look-alike mapped, leet digits and symbols read as the letters they may stand for, letters separated by
/// spaces, dots, dashes or underscores rejoined, runs of one letter collapsed: the view for word lists.</item>
/// </list>
/// Both are single passes over arrays with precomputed tables: no regular expressions.
/// </summary>
public static partial class TextViews
{
    // Printable ASCII but '&' (which may start an entity): characters the light view keeps as they are.
    private static readonly SearchValues<char> PlainCharacters =
        SearchValues.Create([.. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).Where(c => c != '&')]);

    public static TextView Light(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsPlain(text))
        {
            // The view would be the text itself, character for character: share the string and need no maps.
            return new TextView(text, text, null, null, null);
        }
        var buffer = new LightBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c == '&' && HtmlEntities.TryDecode(text, i, out var decoded, out var length))
            {
                for (var k = 0; k < decoded.Length; k += char.IsSurrogatePair(decoded, k) ? 2 : 1)
                {
                    buffer.AddRune(char.ConvertToUtf32(decoded, k), i, i + length, CharTraits.Entity);
                }
                i += length;
                continue;
            }
            if (c < 0x80)
            {
                if (c <= ' ' || c == 0x7F)
                {
                    if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
                    {
                        buffer.AddSpace(i, c == '\n');
                    }
                }
                else
                {
                    buffer.Add(c, i, i + 1, CharTraits.None);
                }
                i++;
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                buffer.AddRune(char.ConvertToUtf32(c, text[i + 1]), i, i + 2, CharTraits.None);
                i += 2;
                continue;
            }
            if (!char.IsSurrogate(c))
            {
                buffer.AddRune(c, i, i + 1, CharTraits.None);
            }
            i++;
        }
        return buffer.Build(text);
    }

    // Printable ASCII without entities, single spaces between words and none at the ends: nothing for the light
    // view to decode, drop, fold or collapse.
    private static bool IsPlain(string text) =>
        text.AsSpan().IndexOfAnyExcept(PlainCharacters) < 0
        && (text.Length == 0 || (text[0] != ' ' && text[^1] != ' '))
        && !text.Contains("  ", StringComparison.Ordinal);

    public static AggressiveView Aggressive(string text) => Aggressive(Light(text));

    public static AggressiveView Aggressive(TextView light)
    {
        ArgumentNullException.ThrowIfNull(light);
        return new AggressiveBuilder(light).Build();
    }

    private sealed class LightBuilder(int capacity)
    {
        private char[] chars = ArrayPool<char>.Shared.Rent(capacity + 4);
        private int[] starts = new int[capacity + 4];
        private int[] ends = new int[capacity + 4];
        private CharTraits[] traits = new CharTraits[capacity + 4];
        private int count;
        private CharTraits pending;
        private bool anyLookAlike;

        public void Add(char c, int start, int end, CharTraits t)
        {
            if (count == starts.Length)
            {
                var size = starts.Length * 2;
                var grown = ArrayPool<char>.Shared.Rent(size);
                chars.AsSpan(0, count).CopyTo(grown);
                ArrayPool<char>.Shared.Return(chars);
                chars = grown;
                Array.Resize(ref starts, size);
                Array.Resize(ref ends, size);
                Array.Resize(ref traits, size);
            }
            chars[count] = c;
            starts[count] = start;
            ends[count] = end;
            traits[count] = t | pending;
            pending = CharTraits.None;
            count++;
        }

        // A run of whitespace becomes one space, or one line break when it holds one (the end of a line
        // ends a sentence for the word lists).
        public void AddSpace(int at, bool lineBreak = false)
        {
            pending = CharTraits.None;
            if (count == 0)
            {
                return;
            }
            if (chars[count - 1] is ' ' or '\n')
            {
                if (lineBreak)
                {
                    chars[count - 1] = '\n';
                }
                return;
            }
            Add(lineBreak ? '\n' : ' ', at, at + 1, CharTraits.None);
        }

        public void AddRune(int cp, int start, int end, CharTraits t)
        {
            if (cp < 0x80)
            {
                if (cp <= ' ' || cp == 0x7F)
                {
                    if (cp is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
                    {
                        AddSpace(start, cp == '\n');
                    }
                    return;
                }
                Add((char)cp, start, end, t);
                return;
            }
            var category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (UnicodeTables.IsInvisible(cp, category))
            {
                pending |= CharTraits.Hidden;
                return;
            }
            if (category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || cp == 0x85)
            {
                AddSpace(start, category != UnicodeCategory.SpaceSeparator);
                return;
            }
            if (category == UnicodeCategory.Control)
            {
                return;
            }
            if (UnicodeTables.Compatibility(cp) is { } folded)
            {
                foreach (var f in folded)
                {
                    if (f == ' ')
                    {
                        AddSpace(start);
                    }
                    else
                    {
                        anyLookAlike |= UnicodeTables.LookAlike(f) != '\0';
                        Add(f, start, end, t | CharTraits.Compat);
                    }
                }
                return;
            }
            if (cp > 0xFFFF)
            {
                var s = char.ConvertFromUtf32(cp);
                Add(s[0], start, end, t);
                Add(s[1], start, end, t);
                return;
            }
            anyLookAlike |= UnicodeTables.LookAlike((char)cp) != '\0';
            Add((char)cp, start, end, t);
        }

        public TextView Build(string original)
        {
            if (count > 0 && chars[count - 1] is ' ' or '\n')
            {
                count--;
            }
            if (anyLookAlike)
            {
                MapLookAlikesInMixedWords();
            }
            var text = new string(chars, 0, count);
            ArrayPool<char>.Shared.Return(chars);
            // The map arrays may be longer than the text; the view reads only Text.Length entries.
            return new TextView(original, text, starts, ends, traits);
        }

        // A Russian or Greek word stays as written in the light view; a word mixing Latin letters or digits
        // with look-alikes ("сock") is a disguise, and is read as the Latin word it imitates.
        private void MapLookAlikesInMixedWords()
        {
            var runStart = 0;
            for (var i = 0; i <= count; i++)
            {
                if (i < count && char.IsLetterOrDigit(chars[i]))
                {
                    continue;
                }
                var latin = false;
                var lookAlike = false;
                for (var k = runStart; k < i; k++)
                {
                    latin |= char.IsAsciiLetterOrDigit(chars[k]);
                    lookAlike |= UnicodeTables.LookAlike(chars[k]) != '\0';
                }
                if (latin && lookAlike)
                {
                    for (var k = runStart; k < i; k++)
                    {
                        var mapped = UnicodeTables.LookAlike(chars[k]);
                        if (mapped != '\0')
                        {
                            chars[k] = mapped;
                            traits[k] |= CharTraits.LookAlike;
                        }
                    }
                }
                runStart = i + 1;
            }
        }
    }
}

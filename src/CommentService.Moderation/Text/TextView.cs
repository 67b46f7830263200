namespace CommentService.Moderation.Text;

/// <summary>
/// A normalised rendering of a comment with, for every character, the span of the original text it
/// came from; evidence found in a view is reported at original offsets through <see cref="ToOriginal"/>.
/// </summary>
public class TextView
{
    // Null when the view is the original text itself, every character its own span with no traits: a plain
    // comment needs no maps (see TextViews.Light).
    private readonly int[]? starts;
    private readonly int[]? ends;
    private readonly CharTraits[]? traits;

    internal TextView(string original, string text, int[]? starts, int[]? ends, CharTraits[]? traits)
    {
        Original = original;
        Text = text;
        this.starts = starts;
        this.ends = ends;
        this.traits = traits;
    }

    /// <summary>The text the view was built from.</summary>
    public string Original { get; }

    /// <summary>The normalised text.</summary>
    public string Text { get; }

    public int Length => Text.Length;

    /// <summary>The span of the original text that view characters [start, start + length) came from.</summary>
    public (int Start, int Length) ToOriginal(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Text.Length);
        if (starts is null || ends is null)
        {
            return (start, length);
        }
        if (length == 0)
        {
            var at = start < Text.Length ? starts[start] : Original.Length;
            return (at, 0);
        }
        var from = starts[start];
        var to = ends[start + length - 1];
        for (var i = start; i < start + length; i++)
        {
            from = Math.Min(from, starts[i]);
            to = Math.Max(to, ends[i]);
        }
        return (from, to - from);
    }

    /// <summary>The original text behind view characters [start, start + length).</summary>
    public string OriginalOf(int start, int length)
    {
        var (s, l) = ToOriginal(start, length);
        return Original.Substring(s, l);
    }

    public CharTraits TraitsAt(int index) => traits is null ? CharTraits.None : traits[index];

    /// <summary>Every trait of view characters [start, start + length).</summary>
    public CharTraits TraitsOf(int start, int length)
    {
        var all = CharTraits.None;
        if (traits is null)
        {
            return all;
        }
        foreach (var t in traits.AsSpan(start, length))
        {
            all |= t;
        }
        return all;
    }

    internal int OriginalStart(int index) => starts is null ? index : starts[index];

    internal int OriginalEnd(int index) => ends is null ? index + 1 : ends[index];
}

/// <summary>How a word of the aggressive view reads.</summary>
public enum WordKind : byte
{
    /// <summary>Letters, possibly written with digits or symbols ("sh1t", "S1mone").</summary>
    Letters,

    /// <summary>Digits only ("455", "80085"); its letter masks hold what the digits could stand for.</summary>
    Number,

    /// <summary>A code mixing letters and digits the ordinary way ("A55", "MP3", "1990s", "10th"): not leet.</summary>
    Code,
}

[Flags]
public enum WordFlags : byte
{
    None = 0,

    /// <summary>The first letter is upper case in the original.</summary>
    Capitalised = 1 << 0,

    /// <summary>The first word, or the first after '.', '!' or '?'.</summary>
    SentenceStart = 1 << 1,

    /// <summary>Written with a leading '@' (a mention, or "@ss"): the '@' is the word's first position.</summary>
    AtPrefixed = 1 << 2,

    /// <summary>Written with a leading '#'.</summary>
    Hashtag = 1 << 3,

    /// <summary>A number next to other numbers, currency, '%' or decimal separators.</summary>
    NumericContext = 1 << 4,

    /// <summary>Part of something written as a link (has "://" or starts with "www.").</summary>
    Link = 1 << 5,
}

/// <summary>A word of the aggressive view at [Start, Start + Length) of its text.</summary>
public readonly record struct ViewWord(int Start, int Length, WordKind Kind, WordFlags Flags)
{
    public int End => Start + Length;

    public bool Has(WordFlags flag) => (Flags & flag) != 0;
}

/// <summary>
/// The aggressive view: lower-case Latin words separated by single spaces, every disguise undone as far
/// as one reading allows. Where a character could stand for several letters ('1' for i or l, '@' for a
/// or o, '*' for any letter) its position carries the set of letters as a mask (<see cref="Letters(int, int)"/>),
/// and matchers accept any of them.
/// </summary>
public sealed class AggressiveView : TextView
{
    private readonly ulong[] masks;
    private readonly ViewWord[] words;

    internal AggressiveView(string original, string text, int[] starts, int[] ends, CharTraits[] traits, ulong[] masks, ViewWord[] words)
        : base(original, text, starts, ends, traits)
    {
        this.masks = masks;
        this.words = words;
    }

    public IReadOnlyList<ViewWord> Words => words;

    internal ReadOnlySpan<ViewWord> WordSpan => words;

    /// <summary>The letters (bits 0-25, a-z) and digits (bits 26-35) each position may stand for.</summary>
    public ReadOnlySpan<ulong> Letters(int start, int length) => masks.AsSpan(start, length);

    public ReadOnlySpan<ulong> Letters(ViewWord word) => masks.AsSpan(word.Start, word.Length);

    public string TextOf(ViewWord word) => Text.Substring(word.Start, word.Length);

    /// <summary>
    /// Each position's first reading only ('1' as i, '@' as a, '*' as nothing), for checks that must not
    /// accept a disguised spelling; fills at most <paramref name="into"/>'s length.
    /// </summary>
    internal void PrimaryLetters(ViewWord word, Span<ulong> into)
    {
        var n = Math.Min(word.Length, into.Length);
        for (var i = 0; i < n; i++)
        {
            into[i] = word.Kind == WordKind.Number ? 0 : LetterMasks.Of(Text[word.Start + i]);
        }
    }

    /// <summary>The span of the original text a word came from.</summary>
    public (int Start, int Length) ToOriginal(ViewWord word) => ToOriginal(word.Start, word.Length);
}

using CommentService.Moderation.Text;

namespace CommentService.Moderation.Crude;

public enum CrudeCategory
{
    /// <summary>Sexual vulgarity: slang for sexual acts and body parts.</summary>
    Sexual,

    /// <summary>The plain or medical word for a sexual topic: counts only when disguised or aimed at a person.</summary>
    Clinical,

    Profanity,

    /// <summary>Name-calling: weighs little unless aimed at a person.</summary>
    Insult,

    Slur,

    /// <summary>A hostile phrase with no crude word ("shut up", "nobody asked"): counted only in a reply, aimed at the author replied to.</summary>
    Hostility,
}

public enum CrudeSeverity
{
    Mild,
    Strong,
    Severe,
}

internal enum TermMode
{
    /// <summary>The whole word, or its plural.</summary>
    Word,

    /// <summary>The whole word, or the word with a common ending.</summary>
    Stem,

    /// <summary>Anywhere inside a word.</summary>
    Sub,
}

internal sealed record CrudeTerm(string Text, CrudeCategory Category, CrudeSeverity Severity, TermMode Mode, LetterPattern[] Words);

/// <summary>
/// A term with what its first word needs, kept side by side so the matcher can pass over most terms for a
/// word with one mask test each, before any automaton runs.
/// </summary>
internal readonly struct TermEntry(CrudeTerm term)
{
    public CrudeTerm Term { get; } = term;

    /// <summary>The fewest view positions the first word matches.</summary>
    public int MinLength { get; } = term.Words[0].MinLength;

    /// <summary>Whether the term is one word (the quick test applies to Word and Stem terms only then).</summary>
    public bool SingleWord { get; } = term.Words.Length == 1;

    private readonly ulong required = term.Words[0].RequiredLetters;
    private readonly bool choices = term.Words[0].HasChoiceRuns;

    /// <summary><see cref="LetterPattern.CouldOccurIn"/> of the first word, mostly without leaving the entry.</summary>
    public bool CouldOccurIn(ulong letters) =>
        (letters & required) == required && (!choices || Term.Words[0].CouldOccurIn(letters));
}

/// <summary>
/// The crude-term list and the whitelist (Data/crude-terms.txt, Data/whitelist.txt), compiled to letter
/// patterns and indexed by first letter so a word is tried only against the terms that can start it.
/// </summary>
internal sealed class CrudeLexicon
{
    private static readonly Lazy<CrudeLexicon> DefaultLexicon =
        new(() => Parse(EmbeddedData.Lines("crude-terms.txt"), EmbeddedData.Lines("whitelist.txt")));

    public static CrudeLexicon Default => DefaultLexicon.Value;

    /// <summary>Endings a Word-mode term may take.</summary>
    public static readonly IReadOnlyList<LetterPattern?> PluralEndings = Endings("", "s", "es");

    /// <summary>Endings a Stem-mode term may take.</summary>
    public static readonly IReadOnlyList<LetterPattern?> StemEndings =
        Endings("", "s", "es", "ed", "d", "er", "ers", "ing", "in", "y", "ie", "ies", "z");

    private readonly List<CrudeTerm>[] byFirstLetter = new List<CrudeTerm>[36];
    private readonly List<CrudeTerm> sub = [];
    private TermEntry[][] entriesByFirstLetter = [];
    private TermEntry[] subEntries = [];
    private readonly List<WhitelistEntry> whitelist = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    private CrudeLexicon()
    {
        for (var i = 0; i < byFirstLetter.Length; i++)
        {
            byFirstLetter[i] = [];
        }
    }

    public int TermCount { get; private set; }

    public IEnumerable<CrudeTerm> Terms => byFirstLetter.SelectMany(b => b).Concat(sub).Distinct();

    public static CrudeLexicon Parse(IEnumerable<string> termLines, IEnumerable<string> whitelistLines)
    {
        var lexicon = new CrudeLexicon();
        foreach (var line in termLines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new FormatException($"Crude term line without ':': {line}");
            }
            var head = line[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var terms = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head is ["names"])
            {
                lexicon.names.UnionWith(terms);
                continue;
            }
            if (head.Length != 3
                || !Enum.TryParse<CrudeCategory>(head[0], true, out var category)
                || !Enum.TryParse<CrudeSeverity>(head[1], true, out var severity)
                || !Enum.TryParse<TermMode>(head[2], true, out var mode))
            {
                throw new FormatException($"Crude term line with a bad head (category severity mode): {line}");
            }
            foreach (var term in terms)
            {
                var words = term.Split('+').Select(w => LetterPattern.FromPlain(w) ?? throw new FormatException($"Bad term '{term}'")).ToArray();
                lexicon.Add(new CrudeTerm(term.Replace('+', ' '), category, severity, mode, words));
            }
        }
        foreach (var line in whitelistLines)
        {
            lexicon.whitelist.Add(WhitelistEntry.Parse(line));
        }
        lexicon.entriesByFirstLetter = [.. lexicon.byFirstLetter.Select(terms => terms.Select(t => new TermEntry(t)).ToArray())];
        lexicon.subEntries = [.. lexicon.sub.Select(t => new TermEntry(t))];
        lexicon.SubTermMinLength = lexicon.sub.Count == 0 ? int.MaxValue : lexicon.sub.Min(t => t.Words[0].MinLength);
        return lexicon;
    }

    private void Add(CrudeTerm term)
    {
        TermCount++;
        if (term.Mode == TermMode.Sub)
        {
            sub.Add(term);
            return;
        }
        var first = term.Words[0].FirstMask;
        for (var bit = 0; bit < 36; bit++)
        {
            if ((first & (1UL << bit)) != 0)
            {
                byFirstLetter[bit].Add(term);
            }
        }
    }

    /// <summary>The Word and Stem terms whose first letter is letter (or digit) <paramref name="bit"/>, in list order.</summary>
    public ReadOnlySpan<TermEntry> StartingWith(int bit) => entriesByFirstLetter[bit];

    /// <summary>The Sub terms, in list order.</summary>
    public ReadOnlySpan<TermEntry> SubTerms => subEntries;

    /// <summary>The fewest view positions any Sub term matches: shorter words need not try them.</summary>
    public int SubTermMinLength { get; private set; } = int.MaxValue;

    /// <summary>Whether a plainly spelled, capitalised word is also a name (Dick, Willy, Fanny).</summary>
    public bool IsName(string word) => names.Contains(word);

    /// <summary>Whether word <paramref name="index"/> of the view is whitelisted, alone or inside a whitelisted phrase.</summary>
    public bool IsWhitelisted(AggressiveView view, int index)
    {
        foreach (var entry in whitelist)
        {
            if (entry.Covers(view, index))
            {
                return true;
            }
        }
        return false;
    }

    private static LetterPattern?[] Endings(params string[] endings) =>
        endings.Select(e => e.Length == 0 ? null : LetterPattern.FromPlain(e)).ToArray();

    private enum EntryKind
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Phrase,
    }

    // Whitelist entries compare with the word's plain reading letter for letter (digits read as their
    // first letter, '*' as itself): "niger" must not cover "nigger", and masking cannot borrow an entry.
    private sealed record WhitelistEntry(EntryKind Kind, string[] Words)
    {
        public static WhitelistEntry Parse(string line)
        {
            var parts = line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 1)
            {
                return new WhitelistEntry(EntryKind.Phrase, parts);
            }
            var word = parts[0];
            var leading = word.StartsWith('*');
            var trailing = word.EndsWith('*');
            var kind = (leading, trailing) switch
            {
                (true, true) => EntryKind.Contains,
                (true, false) => EntryKind.Suffix,
                (false, true) => EntryKind.Prefix,
                _ => EntryKind.Exact,
            };
            var core = word.Trim('*');
            if (core.Length == 0 || !core.All(char.IsAsciiLetterLower))
            {
                throw new FormatException($"Bad whitelist entry '{line}'");
            }
            return new WhitelistEntry(kind, [core]);
        }

        public bool Covers(AggressiveView view, int index)
        {
            var words = view.WordSpan;
            var text = view.Text.AsSpan(words[index].Start, words[index].Length);
            var entry = Words[0].AsSpan();
            switch (Kind)
            {
                case EntryKind.Exact:
                    return IsWordOrPlural(text, entry);
                case EntryKind.Prefix:
                    return text.StartsWith(entry, StringComparison.Ordinal);
                case EntryKind.Suffix:
                    return text.EndsWith(entry, StringComparison.Ordinal);
                case EntryKind.Contains:
                    return text.Contains(entry, StringComparison.Ordinal);
                default:
                    for (var offset = 0; offset < Words.Length; offset++)
                    {
                        var first = index - offset;
                        if (first < 0 || first + Words.Length > words.Length)
                        {
                            continue;
                        }
                        var all = true;
                        for (var k = 0; k < Words.Length && all; k++)
                        {
                            all = IsWordOrPlural(view.Text.AsSpan(words[first + k].Start, words[first + k].Length), Words[k]);
                        }
                        if (all)
                        {
                            return true;
                        }
                    }
                    return false;
            }
        }

        private static bool IsWordOrPlural(ReadOnlySpan<char> text, ReadOnlySpan<char> entry) =>
            text.StartsWith(entry, StringComparison.Ordinal) && text[entry.Length..] is "" or "s" or "es";
    }
}

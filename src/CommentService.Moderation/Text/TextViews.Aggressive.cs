using System.Buffers;
using System.Globalization;

namespace CommentService.Moderation.Text;

// The aggressive view's builder: reads the light view into atoms (letter, leet digit or symbol, joiner,
// break), splits them into words, rejoins spaced letters, and writes the view with its maps.
public static partial class TextViews
{
    private enum AtomKind : byte
    {
        Letter,
        Digit,
        Symbol,
        Wild,
        Joiner,
        Apostrophe,
        Break,
        Space,
    }

    /// <summary>One character of the light view as the aggressive view reads it.</summary>
    private struct Atom
    {
        public AtomKind Kind;
        public bool EdgeOk;
        public bool Upper;
        public bool Link;
        public char Primary;
        public char Raw;
        public ulong Mask;
        public CharTraits Traits;
        public int Start;
        public int End;
    }

    private struct WordRecord
    {
        public int First;
        public int Count;
        public WordKind Kind;
        public WordFlags Flags;
        public int Gap;
        public bool Single => Count == 1;
    }

    /// <summary>What each ASCII character is in the aggressive view: letter, leet digit or symbol, joiner, break.</summary>
    private static readonly (AtomKind Kind, bool EdgeOk, char Primary, ulong Mask)[] Ascii = BuildAsciiTable();

    private static (AtomKind, bool, char, ulong)[] BuildAsciiTable()
    {
        var table = new (AtomKind, bool, char, ulong)[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = (AtomKind.Break, false, (char)c, 0);
        }
        for (var c = 'a'; c <= 'z'; c++)
        {
            table[c] = (AtomKind.Letter, true, c, LetterMasks.Of(c));
            table[char.ToUpperInvariant(c)] = (AtomKind.Letter, true, c, LetterMasks.Of(c));
        }
        // One shape, several letters: a lower-case l and a capital I are told apart only by font, and v is
        // the classic stand-in for u ("fvck").
        table['l'] = (AtomKind.Letter, true, 'l', LetterMasks.Of("li"));
        table['I'] = (AtomKind.Letter, true, 'i', LetterMasks.Of("il"));
        table['v'] = (AtomKind.Letter, true, 'v', LetterMasks.Of("vu"));
        table['V'] = (AtomKind.Letter, true, 'v', LetterMasks.Of("vu"));
        (char Digit, string Letters)[] digits =
            [('0', "o"), ('1', "il"), ('2', "z"), ('3', "e"), ('4', "a"), ('5', "s"), ('6', "gb"), ('7', "t"), ('8', "b"), ('9', "g")];
        foreach (var (digit, letters) in digits)
        {
            table[digit] = (AtomKind.Digit, true, letters[0], LetterMasks.Of(letters) | LetterMasks.Of(digit));
        }
        // Symbols that may stand for letters. Edge-ok ones also count at the start or end of a word
        // ("$hit", "a$$"); the others ("sh!t", "fu(k") only between letters, because at a word's edge they
        // are ordinary punctuation ("Wow!!!", "(the film)").
        table['$'] = (AtomKind.Symbol, true, 's', LetterMasks.Of("s"));
        table['@'] = (AtomKind.Symbol, true, 'a', LetterMasks.Of("ao"));
        table['!'] = (AtomKind.Symbol, false, 'i', LetterMasks.Of("il"));
        table['|'] = (AtomKind.Symbol, false, 'i', LetterMasks.Of("il"));
        table['+'] = (AtomKind.Symbol, false, 't', LetterMasks.Of("t"));
        table['('] = (AtomKind.Symbol, false, 'c', LetterMasks.Of("c"));
        table['<'] = (AtomKind.Symbol, false, 'c', LetterMasks.Of("c"));
        table['{'] = (AtomKind.Symbol, false, 'c', LetterMasks.Of("c"));
        table['['] = (AtomKind.Symbol, false, 'c', LetterMasks.Of("c"));
        // Masking characters stand for any letter between letters ("f*ck", "sh#t", "c^nt"); '#' may also be
        // an h, which "any letter" includes.
        table['*'] = (AtomKind.Wild, false, '*', LetterMasks.AllLetters);
        table['#'] = (AtomKind.Wild, false, '*', LetterMasks.AllLetters);
        table['%'] = (AtomKind.Wild, false, '*', LetterMasks.AllLetters);
        table['^'] = (AtomKind.Wild, false, '*', LetterMasks.AllLetters);
        foreach (var c in ".-_~/\\")
        {
            table[c] = (AtomKind.Joiner, false, c, 0);
        }
        table['\''] = (AtomKind.Apostrophe, false, '\'', 0);
        table['`'] = (AtomKind.Apostrophe, false, '\'', 0);
        table[' '] = (AtomKind.Space, false, ' ', 0);
        return table;
    }

    private static bool TryNonAsciiSymbol(char c, out AtomKind kind, out bool edgeOk, out char primary, out ulong mask)
    {
        (kind, edgeOk, primary, mask) = c switch
        {
            '€' => (AtomKind.Symbol, true, 'e', LetterMasks.Of("e")),
            '£' => (AtomKind.Symbol, true, 'l', LetterMasks.Of("le")),
            '¢' => (AtomKind.Symbol, true, 'c', LetterMasks.Of("c")),
            '©' => (AtomKind.Symbol, true, 'c', LetterMasks.Of("c")),
            '®' => (AtomKind.Symbol, true, 'r', LetterMasks.Of("r")),
            '§' => (AtomKind.Symbol, true, 's', LetterMasks.Of("s")),
            '¥' => (AtomKind.Symbol, true, 'y', LetterMasks.Of("y")),
            '¡' => (AtomKind.Symbol, true, 'i', LetterMasks.Of("il")),
            'ß' => (AtomKind.Symbol, true, 'b', LetterMasks.Of("bs")),
            '†' => (AtomKind.Symbol, false, 't', LetterMasks.Of("t")),
            '’' or '‘' or '´' or 'ʼ' or '′' => (AtomKind.Apostrophe, false, '\'', 0UL),
            '‐' or '‑' or '‒' or '–' or '—' or '·' or '•' or '・' or '‧' or '∙' => (AtomKind.Joiner, false, '-', 0UL),
            _ => (AtomKind.Break, false, c, 0UL),
        };
        return kind != AtomKind.Break;
    }

    // Suffixes after which digits are an ordinary code, not leet: 1990s, 10th, 5km, 3pm.
    private static readonly HashSet<string> NumberSuffixes =
    [
        "s", "st", "nd", "rd", "th", "d", "k", "m", "b", "p", "x", "am", "pm", "g", "kg", "km", "mb", "gb", "kb", "tb",
        "mm", "cm", "ml", "hz", "khz", "mhz", "fps", "px", "pt", "bn", "v", "w", "kw", "kwh", "mph", "kph", "ad", "bc",
        "ce", "bce", "hp", "min", "mins", "h", "hr", "hrs", "yr", "yrs", "mp", "gen", "fold", "ish", "i", "ii", "c", "f",
    ];

    // "www." in any case: the same test as Contains("www.", OrdinalIgnoreCase), vectorised.
    private static readonly SearchValues<string> Www = SearchValues.Create(["www."], StringComparison.OrdinalIgnoreCase);

    // Contractions split off as their own word: "you're" reads "you re", "he'll" reads "he ll" (not "hell").
    private static readonly HashSet<string> ContractionSuffixes = ["s", "ll", "re", "ve", "d", "m"];

    private sealed class AggressiveBuilder(TextView light)
    {
        private Atom[] atoms = ArrayPool<Atom>.Shared.Rent(light.Length + 8);
        private int atomCount;
        private int[] wordAtoms = ArrayPool<int>.Shared.Rent(light.Length + 8);
        private int wordAtomCount;
        private readonly List<WordRecord> records = RentRecords(light.Length / 4 + 4);

        // The word list of the last build on this thread, reused: one build runs at a time per thread.
        [ThreadStatic]
        private static List<WordRecord>? spareRecords;

        private static List<WordRecord> RentRecords(int capacity)
        {
            var list = spareRecords ?? new List<WordRecord>(capacity);
            spareRecords = null;
            list.Clear();
            return list;
        }

        public AggressiveView Build()
        {
            try
            {
                ReadAtoms();
                SplitWords();
                JoinSpacedLetters();
                MarkNumericContext();
                return Emit();
            }
            finally
            {
                ArrayPool<Atom>.Shared.Return(atoms);
                ArrayPool<int>.Shared.Return(wordAtoms);
                spareRecords = records;
            }
        }

        private void AddAtom(in Atom atom)
        {
            if (atomCount == atoms.Length)
            {
                var grown = ArrayPool<Atom>.Shared.Rent(atoms.Length * 2);
                atoms.AsSpan(0, atomCount).CopyTo(grown);
                ArrayPool<Atom>.Shared.Return(atoms);
                atoms = grown;
            }
            atoms[atomCount++] = atom;
        }

        private void AddAscii(char c, int start, int end, CharTraits traits, bool upper)
        {
            var (kind, edgeOk, primary, mask) = Ascii[c];
            if (kind is AtomKind.Digit or AtomKind.Symbol)
            {
                traits |= CharTraits.Leet;
            }
            else if (kind == AtomKind.Wild)
            {
                traits |= CharTraits.Masked;
            }
            AddAtom(new Atom
            {
                Kind = kind,
                EdgeOk = edgeOk,
                Upper = upper,
                Primary = primary,
                Raw = char.ToLowerInvariant(c),
                Mask = mask,
                Traits = traits,
                Start = start,
                End = end,
            });
        }

        private void ReadAtoms()
        {
            var text = light.Text;
            var links = FindLinks(text);
            try
            {
                ReadAtoms(text, links);
            }
            finally
            {
                if (links is not null)
                {
                    ArrayPool<bool>.Shared.Return(links);
                }
            }
        }

        private void ReadAtoms(string text, bool[]? links)
        {
            for (var j = 0; j < text.Length; j++)
            {
                var before = atomCount;
                var inLink = links is not null && links[j];
                ReadAtom(text, ref j);
                if (inLink)
                {
                    for (var k = before; k < atomCount; k++)
                    {
                        atoms[k].Link = true;
                    }
                }
            }
        }

        // Spans written as links ("https://...", "www...."), so word lists can tell a domain from prose. A pooled
        // map (return it to ArrayPool<bool>.Shared), longer than the text.
        private static bool[]? FindLinks(string text)
        {
            if (!text.Contains("://", StringComparison.Ordinal) && !text.AsSpan().ContainsAny(Www))
            {
                return null;
            }
            var map = ArrayPool<bool>.Shared.Rent(text.Length);
            map.AsSpan(0, text.Length).Clear();
            var i = 0;
            while (i < text.Length)
            {
                var wordStart = i;
                while (i < text.Length && text[i] is not (' ' or '\n'))
                {
                    i++;
                }
                var word = text.AsSpan(wordStart, i - wordStart);
                var scheme = word.IndexOf("://", StringComparison.Ordinal);
                var www = word.IndexOfAny(Www);
                var from = scheme > 0 ? scheme - 1 : www >= 0 ? www : -1;
                if (scheme > 0)
                {
                    while (from > 0 && char.IsAsciiLetter(word[from - 1]))
                    {
                        from--;
                    }
                }
                if (from >= 0)
                {
                    map.AsSpan(wordStart + from, word.Length - from).Fill(true);
                }
                i++;
            }
            return map;
        }

        private void ReadAtom(string text, ref int j)
        {
            var c = text[j];
            var start = light.OriginalStart(j);
            var end = light.OriginalEnd(j);
            var traits = light.TraitsAt(j);
            if (c < 0x80)
            {
                if (c is '(' or '[' or '{' or '|' or '\\' or '/' or 'v' or 'V' && TryLetterDrawnWithSymbols(text, j, out var letter, out var used))
                {
                    var drawnEnd = light.OriginalEnd(j + used - 1);
                    AddAtom(new Atom
                    {
                        Kind = AtomKind.Letter,
                        EdgeOk = true,
                        Primary = letter,
                        Raw = letter,
                        Mask = LetterMasks.Of(letter),
                        Traits = traits | CharTraits.Leet,
                        Start = start,
                        End = Math.Max(end, drawnEnd),
                    });
                    j += used - 1;
                    return;
                }
                AddAscii(c, start, end, traits, char.IsAsciiLetterUpper(c));
                return;
            }
            if (char.IsHighSurrogate(c) && j + 1 < text.Length && char.IsLowSurrogate(text[j + 1]))
            {
                var cp = char.ConvertToUtf32(c, text[j + 1]);
                end = Math.Max(end, light.OriginalEnd(j + 1));
                j++;
                // Letters dressed as emoji, which have no compatibility decomposition: negative circled
                // and negative squared letters (🅒, 🅲) and regional indicators (🇨, pairs of which are flags).
                var styled = cp switch
                {
                    >= 0x1F150 and <= 0x1F169 => cp - 0x1F150,
                    >= 0x1F170 and <= 0x1F189 => cp - 0x1F170,
                    >= 0x1F1E6 and <= 0x1F1FF => cp - 0x1F1E6,
                    _ => -1,
                };
                if (styled >= 0)
                {
                    AddAscii((char)('a' + styled), start, end, traits | CharTraits.Compat, false);
                    return;
                }
                var letter = CharUnicodeInfo.GetUnicodeCategory(cp) is >= UnicodeCategory.UppercaseLetter and <= UnicodeCategory.OtherLetter;
                AddAtom(new Atom { Kind = letter ? AtomKind.Letter : AtomKind.Break, EdgeOk = true, Primary = '\uFFFD', Raw = '\uFFFD', Traits = traits, Start = start, End = end });
                return;
            }
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                // Zalgo and decomposed accents: the mark belongs to the letter before it.
                if (atomCount > 0 && atoms[atomCount - 1].Kind is AtomKind.Letter or AtomKind.Digit or AtomKind.Symbol or AtomKind.Wild)
                {
                    ref var previous = ref atoms[atomCount - 1];
                    previous.Traits |= CharTraits.Diacritic;
                    previous.End = Math.Max(previous.End, end);
                }
                return;
            }
            var upper = char.IsUpper(c);
            var lookAlike = UnicodeTables.LookAlike(c);
            if (lookAlike != '\0')
            {
                AddAscii(lookAlike, start, end, traits | CharTraits.LookAlike, upper);
                return;
            }
            var lower = char.ToLowerInvariant(c);
            if ((UnicodeTables.Base(lower) ?? UnicodeTables.Base(c)) is { } folded)
            {
                foreach (var f in folded)
                {
                    var fl = char.ToLowerInvariant(f);
                    if (fl < 0x80)
                    {
                        AddAscii(fl, start, end, traits | CharTraits.Diacritic, upper);
                    }
                    else if (UnicodeTables.LookAlike(fl) is var mapped and not '\0')
                    {
                        AddAscii(mapped, start, end, traits | CharTraits.Diacritic | CharTraits.LookAlike, upper);
                    }
                    else
                    {
                        AddAtom(new Atom { Kind = AtomKind.Letter, EdgeOk = true, Primary = fl, Raw = fl, Traits = traits, Start = start, End = end });
                    }
                }
                return;
            }
            if (TryNonAsciiSymbol(lower, out var kind, out var edgeOk, out var primary, out var mask))
            {
                AddAtom(new Atom
                {
                    Kind = kind,
                    EdgeOk = edgeOk,
                    Upper = upper,
                    Primary = primary,
                    Raw = lower,
                    Mask = mask,
                    Traits = traits | (kind == AtomKind.Symbol ? CharTraits.Leet : CharTraits.None),
                    Start = start,
                    End = end,
                });
                return;
            }
            var isLetter = char.IsLetterOrDigit(c);
            AddAtom(new Atom
            {
                Kind = isLetter ? AtomKind.Letter : AtomKind.Break,
                EdgeOk = true,
                Upper = upper,
                Primary = lower,
                Raw = lower,
                Traits = traits,
                Start = start,
                End = end,
            });
    }

        // Letters drawn with several symbols: "c()ck", "|<unt", "f|_|ck", "\\/agina", "vvhore". None of these
        // sequences occurs inside an ordinary word ("vv" only in savvy, divvy, revved, which read harmlessly).
        private static readonly (string Drawing, char Letter)[] Drawings =
        [
            ("|_|", 'u'), ("()", 'o'), ("[]", 'o'), ("{}", 'o'), ("|<", 'k'), ("|{", 'k'), ("|)", 'd'), ("|>", 'd'),
            ("\\/", 'v'), ("/\\", 'a'), ("|\\|", 'n'), ("vv", 'w'), ("VV", 'w'),
        ];

        // The second characters of the drawings: any other after the first rules them all out.
        private const string DrawingSeconds = "_)]}<{>/\\vV";

        private static bool TryLetterDrawnWithSymbols(string text, int j, out char letter, out int used)
        {
            if (j + 1 >= text.Length || !DrawingSeconds.Contains(text[j + 1], StringComparison.Ordinal))
            {
                letter = '\0';
                used = 0;
                return false;
            }
            foreach (var (drawing, drawn) in Drawings)
            {
                if (string.CompareOrdinal(text, j, drawing, 0, drawing.Length) == 0
                    && (drawing[0] is not ('v' or 'V') || (j > 0 && char.IsAsciiLetter(text[j - 1])) || (j + 2 < text.Length && char.IsAsciiLetter(text[j + 2]))))
                {
                    letter = drawn;
                    used = drawing.Length;
                    return true;
                }
            }
            letter = '\0';
            used = 0;
            return false;
        }

        private void SplitWords()
        {
            var sentenceStart = true;
            var gap = 0;
            var i = 0;
            while (i < atomCount)
            {
                var kind = atoms[i].Kind;
                if (kind is AtomKind.Space or AtomKind.Break)
                {
                    // Line ends and wiki or Markdown heading marks ("== Title ==") end a sentence too.
                    sentenceStart |= kind == AtomKind.Break && atoms[i].Raw is '?' or '!' or '.' or '\n' or '=' or '#';
                    gap++;
                    i++;
                    continue;
                }
                var end = i;
                while (end < atomCount && atoms[end].Kind is not (AtomKind.Space or AtomKind.Break))
                {
                    end++;
                }
                SplitChunk(i, end, gap, ref sentenceStart);
                gap = 0;
                i = end;
            }
        }

        private void SplitChunk(int start, int end, int gap, ref bool sentenceStart)
        {
            var lead = WordFlags.None;
            var a = start;
            var b = end;
            while (a < b)
            {
                ref var atom = ref atoms[a];
                if (atom.Raw == '#')
                {
                    lead |= WordFlags.Hashtag;
                }
                else if (!(atom.Kind is AtomKind.Joiner or AtomKind.Apostrophe or AtomKind.Wild || (atom.Kind == AtomKind.Symbol && !atom.EdgeOk)))
                {
                    break;
                }
                a++;
            }
            var endsSentence = false;
            while (b > a)
            {
                ref var atom = ref atoms[b - 1];
                if (atom.Kind is AtomKind.Joiner or AtomKind.Apostrophe or AtomKind.Wild || (atom.Kind == AtomKind.Symbol && !atom.EdgeOk) || atom.Raw == '@')
                {
                    endsSentence |= atom.Raw is '.' or '!' or '?';
                    b--;
                    continue;
                }
                break;
            }
            if (a < b && atoms[a].Raw == '@')
            {
                lead |= WordFlags.AtPrefixed;
            }

            // Parts between joiners; decide for each boundary whether the parts form one word.
            var wordStart = -1;
            var first = true;
            var p = a;
            var previousPartLength = 0;
            var separated = false;
            var digitsSplit = false;
            while (p < b)
            {
                var partStart = p;
                while (p < b && atoms[p].Kind is not (AtomKind.Joiner or AtomKind.Apostrophe))
                {
                    p++;
                }
                var partEnd = p;
                while (p < b && atoms[p].Kind is AtomKind.Joiner or AtomKind.Apostrophe)
                {
                    p++;
                }
                if (partEnd == partStart)
                {
                    continue;
                }
                if (wordStart < 0)
                {
                    wordStart = wordAtomCount;
                    previousPartLength = 0;
                }
                else
                {
                    var partLength = partEnd - partStart;
                    var boundaryApostrophe = BoundaryIsApostropheOnly(partStart);
                    var join = boundaryApostrophe
                        ? !IsContraction(partStart, partEnd)
                        : (previousPartLength <= 2 || partLength <= 2)
                          && !(atoms[wordAtoms[wordAtomCount - 1]].Kind == AtomKind.Digit && atoms[partStart].Kind == AtomKind.Digit);
                    if (!join)
                    {
                        digitsSplit |= atoms[wordAtoms[wordAtomCount - 1]].Kind == AtomKind.Digit && atoms[partStart].Kind == AtomKind.Digit;
                        FinishWord(wordStart, first ? lead : lead & WordFlags.Link, first && sentenceStart, separated, digitsSplit, first ? gap : 0);
                        first = false;
                        separated = false;
                        wordStart = wordAtomCount;
                    }
                    else if (!boundaryApostrophe && (previousPartLength == 1 || partLength == 1 || (previousPartLength <= 2 && partLength <= 2)))
                    {
                        // Single letters split off ("f.u.c.k", "c-unt") or two short halves ("fu.ck") are a disguise; "sons-of-bitches" is an ordinary compound.
                        separated = true;
                    }
                }
                for (var k = partStart; k < partEnd; k++)
                {
                    if (wordAtomCount == wordAtoms.Length)
                    {
                        var grown = ArrayPool<int>.Shared.Rent(wordAtoms.Length * 2);
                        wordAtoms.AsSpan(0, wordAtomCount).CopyTo(grown);
                        ArrayPool<int>.Shared.Return(wordAtoms);
                        wordAtoms = grown;
                    }
                    wordAtoms[wordAtomCount++] = k;
                }
                previousPartLength = partEnd - partStart;
            }
            if (wordStart >= 0)
            {
                FinishWord(wordStart, first ? lead : lead & WordFlags.Link, first && sentenceStart, separated, digitsSplit, first ? gap : 0);
                sentenceStart = false;
            }
            sentenceStart |= endsSentence;
        }

        private bool BoundaryIsApostropheOnly(int partStart)
        {
            for (var k = partStart - 1; k >= 0 && atoms[k].Kind is AtomKind.Joiner or AtomKind.Apostrophe; k--)
            {
                if (atoms[k].Kind != AtomKind.Apostrophe)
                {
                    return false;
                }
            }
            return true;
        }

        private bool IsContraction(int partStart, int partEnd)
        {
            if (partEnd - partStart > 2)
            {
                return false;
            }
            Span<char> part = stackalloc char[2];
            for (var k = partStart; k < partEnd; k++)
            {
                part[k - partStart] = atoms[k].Raw;
            }
            return ContractionSuffixes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(part[..(partEnd - partStart)]);
        }

        private void FinishWord(int from, WordFlags flags, bool sentenceStart, bool separated, bool digitsSplit, int gap)
        {
            var count = wordAtomCount - from;
            int letters = 0, digits = 0, symbols = 0;
            for (var k = from; k < wordAtomCount; k++)
            {
                if (atoms[wordAtoms[k]].Link)
                {
                    flags |= WordFlags.Link;
                }
                switch (atoms[wordAtoms[k]].Kind)
                {
                    case AtomKind.Letter:
                        letters++;
                        break;
                    case AtomKind.Digit:
                        digits++;
                        break;
                    default:
                        symbols++;
                        break;
                }
            }
            WordKind kind;
            if (letters == 0)
            {
                if (digits == 0)
                {
                    wordAtomCount = from;
                    return;
                }
                if (symbols > 0)
                {
                    // "$455", "455%": an amount. Keep only the digits.
                    var w = from;
                    for (var k = from; k < wordAtomCount; k++)
                    {
                        if (atoms[wordAtoms[k]].Kind == AtomKind.Digit)
                        {
                            wordAtoms[w++] = wordAtoms[k];
                        }
                    }
                    wordAtomCount = w;
                    count = w - from;
                    flags |= WordFlags.NumericContext;
                }
                kind = WordKind.Number;
                if (digitsSplit)
                {
                    flags |= WordFlags.NumericContext;
                }
            }
            else
            {
                kind = digits > 0 && symbols == 0 && IsCode(from, wordAtomCount) ? WordKind.Code : WordKind.Letters;
            }
            if (separated)
            {
                for (var k = from; k < wordAtomCount; k++)
                {
                    atoms[wordAtoms[k]].Traits |= CharTraits.Separated;
                }
            }
            var firstLetter = from + ((flags & WordFlags.AtPrefixed) != 0 && count > 1 ? 1 : 0);
            if (atoms[wordAtoms[firstLetter]].Upper)
            {
                flags |= WordFlags.Capitalised;
            }
            if (sentenceStart)
            {
                flags |= WordFlags.SentenceStart;
            }
            records.Add(new WordRecord { First = from, Count = count, Kind = kind, Flags = flags, Gap = gap });
        }

        // Letters then digits with at most two letters (A55, MP3, F16), or digits then a unit or ordinal
        // (1990s, 10th, 5km) are codes; digits among letters otherwise are leet ("b00bs", "5ex").
        private bool IsCode(int from, int to)
        {
            var k = from;
            while (k < to && atoms[wordAtoms[k]].Kind == AtomKind.Letter)
            {
                k++;
            }
            var leadingLetters = k - from;
            if (leadingLetters > 0)
            {
                var digitStart = k;
                while (k < to && atoms[wordAtoms[k]].Kind == AtomKind.Digit)
                {
                    k++;
                }
                return k == to && leadingLetters <= 2 && k > digitStart;
            }
            while (k < to && atoms[wordAtoms[k]].Kind == AtomKind.Digit)
            {
                k++;
            }
            var suffixLength = to - k;
            if (suffixLength is 0 or > 4)
            {
                return false;
            }
            Span<char> suffix = stackalloc char[4];
            for (var s = k; s < to; s++)
            {
                if (atoms[wordAtoms[s]].Kind != AtomKind.Letter)
                {
                    return false;
                }
                suffix[s - k] = atoms[wordAtoms[s]].Raw;
            }
            return NumberSuffixes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(suffix[..suffixLength]);
        }

        // "f u c k", "s. e. x": three or more one-character words in a row, close together, are one word.
        private void JoinSpacedLetters()
        {
            var i = 0;
            while (i < records.Count)
            {
                if (!IsSpacedCandidate(records[i]))
                {
                    i++;
                    continue;
                }
                var j = i + 1;
                var letters = records[i].Kind == WordKind.Letters ? 1 : 0;
                while (j < records.Count && IsSpacedCandidate(records[j]) && records[j].Gap <= 3)
                {
                    letters += records[j].Kind == WordKind.Letters ? 1 : 0;
                    j++;
                }
                if (j - i >= 3 && letters >= 2)
                {
                    var merged = records[i];
                    merged.Count = j - i;
                    merged.Kind = WordKind.Letters;
                    merged.Flags &= ~WordFlags.NumericContext;
                    // The one-character words' atoms sit one after another in wordAtoms.
                    for (var k = merged.First; k < merged.First + merged.Count; k++)
                    {
                        atoms[wordAtoms[k]].Traits |= CharTraits.Separated;
                    }
                    records[i] = merged;
                    records.RemoveRange(i + 1, j - i - 1);
                }
                i++;
            }
        }

        private bool IsSpacedCandidate(WordRecord record) =>
            record.Single && record.Kind is WordKind.Letters or WordKind.Number
            && (record.Flags & (WordFlags.Link | WordFlags.Hashtag)) == 0
            && (atoms[wordAtoms[record.First]].Mask & LetterMasks.AllLetters) != 0;

        private void MarkNumericContext()
        {
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].Kind != WordKind.Number)
                {
                    continue;
                }
                var near = (i > 0 && records[i - 1].Kind is WordKind.Number or WordKind.Code && records[i].Gap <= 2)
                           || (i + 1 < records.Count && records[i + 1].Kind is WordKind.Number or WordKind.Code && records[i + 1].Gap <= 2);
                if (near || TouchesPunctuation(records[i]))
                {
                    var r = records[i];
                    r.Flags |= WordFlags.NumericContext;
                    records[i] = r;
                }
            }
        }

        // A number written against '%', '$', ':', ',' or a decimal point is a number: "455%", "4:55", "1,455".
        private bool TouchesPunctuation(WordRecord record)
        {
            var start = atoms[wordAtoms[record.First]].Start;
            var end = atoms[wordAtoms[record.First + record.Count - 1]].End;
            var original = light.Original;
            var before = start > 0 ? original[start - 1] : ' ';
            var after = end < original.Length ? original[end] : ' ';
            return IsNumericNeighbour(before) || IsNumericNeighbour(after);

            static bool IsNumericNeighbour(char c) => c is '%' or '$' or '€' or '£' or '¥' or ':' or ',' or '#' or '+' or '±' or '=' or '×' or '/'
                || (c == '.' || char.IsAsciiDigit(c));
        }

        private AggressiveView Emit()
        {
            var capacity = wordAtomCount + records.Count;
            var chars = ArrayPool<char>.Shared.Rent(capacity + 1);
            var starts = new int[capacity];
            var ends = new int[capacity];
            var traits = new CharTraits[capacity];
            var masks = new ulong[capacity];
            var words = new ViewWord[records.Count];
            var n = 0;
            for (var r = 0; r < records.Count; r++)
            {
                var record = records[r];
                if (n > 0)
                {
                    chars[n] = ' ';
                    starts[n] = ends[n - 1];
                    ends[n] = ends[n - 1];
                    n++;
                }
                var wordStart = n;
                for (var k = record.First; k < record.First + record.Count; k++)
                {
                    ref var atom = ref atoms[wordAtoms[k]];
                    var c = record.Kind == WordKind.Letters ? atom.Primary : atom.Raw;
                    var mask = record.Kind switch
                    {
                        WordKind.Code => atom.Kind == AtomKind.Digit ? LetterMasks.Of(atom.Raw) : LetterMasks.Of(atom.Primary),
                        _ => atom.Mask,
                    };
                    var t = atom.Traits;
                    if (record.Kind != WordKind.Letters)
                    {
                        t &= ~CharTraits.Leet;
                    }
                    // Collapse runs of one letter to two: "fuuuuck" reads "fuuck", and "ass" stays "ass".
                    if (n - wordStart >= 2 && chars[n - 1] == c && chars[n - 2] == c && masks[n - 1] == mask)
                    {
                        ends[n - 1] = Math.Max(ends[n - 1], atom.End);
                        traits[n - 1] |= CharTraits.Repeated | t;
                        continue;
                    }
                    chars[n] = c;
                    starts[n] = atom.Start;
                    ends[n] = atom.End;
                    traits[n] = t;
                    masks[n] = mask;
                    n++;
                }
                words[r] = new ViewWord(wordStart, n - wordStart, record.Kind, record.Flags);
            }
            var text = new string(chars, 0, n);
            ArrayPool<char>.Shared.Return(chars);
            return new AggressiveView(light.Original, text, starts, ends, traits, masks, words);
        }
    }
}

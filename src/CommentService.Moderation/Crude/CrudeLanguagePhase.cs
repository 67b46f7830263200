using System.Text;
using CommentService.Moderation.Text;

namespace CommentService.Moderation.Crude;

/// <summary>One crude word found in a comment, with how much it weighs and why.</summary>
public sealed record CrudeHit(
    string Term,
    CrudeCategory Category,
    CrudeSeverity Severity,
    double Score,
    int Start,
    int Length,
    string Evidence,
    CharTraits Disguise,
    bool Directed,
    bool Digits);

/// <summary>The crude-language score of a comment (hits combined) and the hits behind it.</summary>
public sealed record CrudeAssessment(double Score, IReadOnlyList<CrudeHit> Hits)
{
    public static CrudeAssessment None { get; } = new(0, []);
}

/// <summary>
/// Sexual vulgarity, profanity, insults and slurs, disguised or not, read on the aggressive view.
/// <para>
/// Each crude word weighs by category and severity (mild words such as "damn", "hell", "crap" never
/// hold a comment on their own). Two things add weight: a disguise (look-alike letters, leet, masking,
/// spacing, invisible characters, entities) because people misspell a word on purpose when they expect
/// it to be filtered, and most for sexual and anatomical words; and aim, when the word is addressed to
/// a person ("you", "your", an @mention, the name of the author replied to, or "my" before a sexual
/// word). Clinical and topical words (sex, breast, rape) count only when disguised or aimed, so a sober
/// discussion passes. Whitelisted words (Scunthorpe, cocktail, Matsushita) and plain capitalised names
/// (Dick Cheney) never count. Hits combine as independent evidence: 1 - Π(1 - score).
/// </para>
/// <para>
/// At <see cref="ModerationPolicy.CrudeHoldThreshold"/> the comment is held (Pending), never rejected:
/// a word list cannot tell every quotation, joke or reclaimed word from abuse, and a moderator who sees
/// the evidence can reject in one step, while a wrongly rejected reader is lost silently. Sites that want
/// outright rejection of particular words list them as site terms with <see cref="TermAction.Reject"/>.
/// Trusted authors skip pre-moderation but not this phase: they are held only from
/// <see cref="TrustedHoldThreshold"/> up (severe words, or strong ones disguised or aimed at someone).
/// </para>
/// </summary>
public sealed class CrudeLanguagePhase : IModerationPhase
{
    public const string PhaseName = "crude-language";

    /// <summary>The score from which a trusted author's comment is held (when above the site's own threshold).</summary>
    public const double TrustedHoldThreshold = 0.75;

    private const int MaxHits = 20;

    // Matched as letter patterns on each word's plain reading, so "youuu" and "y0u" count and "v" does not.
    private static readonly LetterPattern[] SecondPerson =
        new[] { "you", "u", "ya", "yu", "ye", "your", "ur", "yours", "yourself", "yourselves", "youre", "thou", "thee", "yall", "youse" }
            .Select(p => LetterPattern.FromPlain(p)!).ToArray();

    private static readonly HashSet<string> FirstPersonPossessive = ["my", "mah", "me"];

    // Words that may stand between "you" and the word aimed at: "you are such a complete idiot",
    // "you look like a slut", "you piece of shit".
    private static readonly HashSet<string> FillersBefore =
    [
        "a", "an", "are", "r", "re", "is", "s", "was", "were", "be", "such", "total", "totally", "complete", "completely", "absolute", "absolutely",
        "utter", "real", "little", "lil", "big", "fat", "old", "stupid", "dumb", "ugly", "fucking", "fuckin", "effing",
        "bloody", "damn", "goddamn", "pathetic", "worthless", "sick", "filthy", "dirty", "piece", "of", "biggest",
        "just", "so", "being", "look", "looks", "like", "sound", "act", "ignorant", "disgusting", "sad", "lying",
        "lazy", "useless", "cheap", "nasty", "huge", "hard", "wet", "tiny", "sweet", "nice", "hot", "suck", "lick",
        "eat", "show", "shove", "at", "on", "in", "up", "kiss", "stick", "want", "wanna", "gonna", "go", "get",
        "have", "has", "got", "mom", "mum", "mother", "mama", "momma", "sister", "wife", "girlfriend", "gf", "dad",
        "father", "face", "body", "mouth",
    ];

    private static readonly HashSet<string> FillersAfter = ["on", "in", "with", "at", "to", "all", "over", "up", "and", "off"];

    // Words around a number that make it a number: "455 pages", "revision 80085", "in 455 AD".
    private static readonly HashSet<string> NumberWords =
    [
        "page", "pages", "p", "pp", "no", "number", "num", "nr", "room", "route", "rev", "revision", "revisions",
        "diff", "edit", "edits", "id", "oldid", "version", "v", "vol", "volume", "issue", "chapter", "ch", "section",
        "sec", "article", "articles", "episode", "episodes", "ep", "season", "year", "years", "ad", "bc", "bce", "ce",
        "in", "since", "from", "to", "until", "between", "and", "or", "of", "about", "around", "approximately",
        "circa", "ca", "over", "under", "than", "after", "before", "by", "times", "people", "votes", "views", "hits",
        "words", "bytes", "users", "comments", "points", "pts", "dollars", "euros", "pounds", "usd", "eur", "gbp",
        "percent", "km", "kg", "miles", "mi", "days", "hours", "minutes", "seconds", "months", "weeks", "cost",
        "costs", "paid", "scored", "score", "rank", "ranked", "top", "minus", "plus", "equals", "x", "phone", "call",
        "tel", "zip", "code", "postcode", "isbn", "issn", "doi", "line", "lines", "row", "rows", "item", "items",
    ];

    private static readonly HashSet<string> OffWords = ["off"];

    private static readonly HashSet<string> MentionWords =
    [
        "word", "words", "term", "terms", "called", "calling", "call", "calls", "say", "saying", "said", "says",
        "spelled", "spelt", "spell", "slur", "slurs", "quote", "quoted", "quoting",
    ];

    private static readonly HashSet<string> Copulas = ["are", "re", "r", "is", "s", "was", "were", "be", "being"];

    private static readonly HashSet<string> Articles = ["a", "an", "such", "one", "nothing", "the", "just", "so", "total", "complete"];

    private readonly CrudeLexicon lexicon;

    public CrudeLanguagePhase()
        : this(CrudeLexicon.Default)
    {
    }

    internal CrudeLanguagePhase(CrudeLexicon lexicon) => this.lexicon = lexicon;

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var assessment = Assess(context);
        if (assessment.Hits.Count == 0)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var flags = new ModerationFlag[assessment.Hits.Count];
        for (var i = 0; i < flags.Length; i++)
        {
            flags[i] = ToFlag(assessment.Hits[i]);
        }
        var policy = context.Request.Policy;
        var threshold = context.AuthorIsTrusted ? Math.Max(policy.CrudeHoldThreshold, TrustedHoldThreshold) : policy.CrudeHoldThreshold;
        ModerationOutcome? decision = assessment.Score >= threshold ? ModerationOutcome.Pending : null;
        return ValueTask.FromResult(new PhaseResult(flags, decision));
    }

    /// <summary>Every crude word in the comment and the combined score, without deciding anything.</summary>
    public CrudeAssessment Assess(ModerationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var view = context.Aggressive;
        var words = view.WordSpan;
        var parentName = ParentFirstName(context.Request.ParentAuthorName);
        List<CrudeHit>? hits = null;
        var candidates = new List<CrudeTerm>(16);
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w];
            if (word.Kind == WordKind.Code || word.Has(WordFlags.Link))
            {
                continue;
            }
            if (word.Kind == WordKind.Number && !NumberMayStandForLetters(view, w))
            {
                continue;
            }
            var best = FindBest(view, w, candidates, parentName, out var lastWord);
            if (best is null)
            {
                continue;
            }
            w = lastWord;
            hits ??= [];
            hits.Add(best);
            if (hits.Count == MaxHits)
            {
                break;
            }
        }
        if (SexualEmoji(context.Light) is { } emoji)
        {
            hits ??= [];
            hits.Add(emoji);
        }
        if (hits is null)
        {
            return CrudeAssessment.None;
        }
        var keep = 1.0;
        foreach (var hit in hits)
        {
            keep *= 1 - hit.Score;
        }
        return new CrudeAssessment(Math.Round(1 - keep, 4), hits);
    }

    private CrudeHit? FindBest(AggressiveView view, int w, List<CrudeTerm> candidates, string? parentName, out int lastWord)
    {
        lastWord = w;
        var words = view.WordSpan;
        var word = words[w];
        var all = view.Letters(word);
        ulong union = 0;
        foreach (var m in all)
        {
            union |= m;
        }
        CrudeTerm? bestTerm = null;
        var bestLast = w;
        var bestScore = 0.0;
        var bestDirected = false;
        var bestDisguise = CharTraits.None;
        var offsets = word.Has(WordFlags.AtPrefixed) && word.Length > 1 ? 2 : 1;
        for (var offset = 0; offset < offsets; offset++)
        {
            var letters = all[offset..];
            var first = letters[0] & (LetterMasks.AllLetters | LetterMasks.AllDigits);
            var multiple = System.Numerics.BitOperations.PopCount(first) > 1;
            candidates.Clear();
            while (first != 0)
            {
                var bit = System.Numerics.BitOperations.TrailingZeroCount(first);
                first &= first - 1;
                foreach (var term in lexicon.StartingWith(bit))
                {
                    if (term.Words.Length == 1 && (letters.Length < term.Words[0].MinLength || !term.Words[0].CouldOccurIn(union)))
                    {
                        continue;
                    }
                    if (multiple)
                    {
                        // '1' starts both i- and l-words: try each term once.
                        if (candidates.Contains(term))
                        {
                            continue;
                        }
                        candidates.Add(term);
                    }
                    var last = MatchAt(view, w, letters, term);
                    if (last >= 0)
                    {
                        Consider(term, last);
                    }
                }
            }
            foreach (var term in lexicon.SubTerms)
            {
                if (letters.Length >= term.Words[0].MinLength && term.Words[0].CouldOccurIn(union) && term.Words[0].OccursIn(letters))
                {
                    Consider(term, w);
                }
            }
        }
        if (bestTerm is null)
        {
            return null;
        }
        for (var k = w; k <= bestLast; k++)
        {
            if (lexicon.IsWhitelisted(view, k))
            {
                return null;
            }
        }
        if (bestDisguise == CharTraits.None && word.Kind == WordKind.Letters && IsName(view, w))
        {
            return null;
        }
        lastWord = bestLast;
        var (start, length) = view.ToOriginal(word.Start, words[bestLast].End - word.Start);
        return new CrudeHit(bestTerm.Text, bestTerm.Category, bestTerm.Severity, bestScore, start, length,
            view.Original.Substring(start, length), bestDisguise, bestDirected, word.Kind == WordKind.Number);

        void Consider(CrudeTerm term, int last)
        {
            var disguise = view.TraitsOf(word.Start, view.WordSpan[last].End - word.Start) & CharTraits.Disguise;
            if (disguise == CharTraits.None && word.Kind == WordKind.Letters && last == w && NeedsOtherReading(view, word, term))
            {
                disguise = CharTraits.Leet;
            }
            var digits = word.Kind == WordKind.Number;
            var directed = IsDirected(view, w, last, term.Category, parentName);
            var score = Weigh(term, disguise != CharTraits.None || digits, digits, directed);
            if (!directed && disguise == CharTraits.None && !digits && IsMention(view, w, last))
            {
                // Talking about a word ("he called them 'niggers'", "the word 'cunt'") is not using it.
                score /= 2;
            }
            if (score > bestScore)
            {
                (bestTerm, bestLast, bestScore, bestDirected, bestDisguise) = (term, last, score, directed, digits ? CharTraits.Leet : disguise);
            }
        }
    }

    // Innuendo written in emoji: the aubergine and the peach with droplets or a tongue ("🍆💦") is the
    // emoji spelling of a sexual act, a disguise in itself; one of them alone is usually about food.
    private static readonly int[] BodyEmoji = [0x1F346, 0x1F351];
    private static readonly int[] ActEmoji = [0x1F4A6, 0x1F445, 0x1F975];

    private static CrudeHit? SexualEmoji(TextView light)
    {
        var text = light.Text;
        if (text.Length < 4)
        {
            return null;
        }
        int body = 0, act = 0, first = -1, last = -1;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (!char.IsHighSurrogate(text[i]) || !char.IsLowSurrogate(text[i + 1]))
            {
                continue;
            }
            var cp = char.ConvertToUtf32(text[i], text[i + 1]);
            var isBody = Array.IndexOf(BodyEmoji, cp) >= 0;
            var isAct = Array.IndexOf(ActEmoji, cp) >= 0;
            if (isBody || isAct)
            {
                body += isBody ? 1 : 0;
                act += isAct ? 1 : 0;
                first = first < 0 ? i : first;
                last = i + 2;
            }
            i++;
        }
        if (body == 0 || body + act < 2)
        {
            return null;
        }
        var (start, length) = light.ToOriginal(first, last - first);
        var term = new CrudeTerm("sexual emoji", CrudeCategory.Sexual, CrudeSeverity.Strong, TermMode.Word, []);
        return new CrudeHit(term.Text, term.Category, term.Severity, Weigh(term, disguised: true, digits: false, directed: false),
            start, length, light.Original.Substring(start, length), CharTraits.Compat, false, false);
    }

    /// <summary>The index of the last view word of a match of <paramref name="term"/> starting at word <paramref name="w"/>, or -1.</summary>
    private static int MatchAt(AggressiveView view, int w, ReadOnlySpan<ulong> letters, CrudeTerm term)
    {
        var endings = term.Mode == TermMode.Stem ? CrudeLexicon.StemEndings : CrudeLexicon.PluralEndings;
        if (term.Words.Length == 1)
        {
            return term.Words[0].MatchesWithSuffix(letters, endings) ? w : -1;
        }
        var words = view.WordSpan;
        if (w + term.Words.Length > words.Length || !term.Words[0].MatchesWhole(letters))
        {
            return -1;
        }
        for (var k = 1; k < term.Words.Length; k++)
        {
            var next = words[w + k];
            if (next.Kind != WordKind.Letters || !term.Words[k].MatchesWithSuffix(view.Letters(next), k == term.Words.Length - 1 ? endings : [null]))
            {
                return -1;
            }
        }
        return w + term.Words.Length - 1;
    }

    // "Dlck" (l for i) or "fvck" (v for u): the word matches only through a second reading of a letter.
    private static bool NeedsOtherReading(AggressiveView view, ViewWord word, CrudeTerm term)
    {
        Span<ulong> primary = stackalloc ulong[Math.Min(word.Length, 64)];
        view.PrimaryLetters(word, primary);
        var endings = term.Mode == TermMode.Stem ? CrudeLexicon.StemEndings : CrudeLexicon.PluralEndings;
        return term.Mode == TermMode.Sub
            ? !term.Words[0].OccursIn(primary) && !(word.Has(WordFlags.AtPrefixed) && term.Words[0].OccursIn(primary[1..]))
            : !term.Words[0].MatchesWithSuffix(primary, endings) && !(word.Has(WordFlags.AtPrefixed) && primary.Length > 1 && term.Words[0].MatchesWithSuffix(primary[1..], endings));
    }

    /// <summary>How much one crude word weighs, in [0, 0.95].</summary>
    internal static double Weigh(CrudeTerm term, bool disguised, bool digits, bool directed)
    {
        var category = term.Category;
        var severity = term.Severity;
        var score = (category, severity) switch
        {
            (CrudeCategory.Clinical, CrudeSeverity.Severe) => 0.25,
            (CrudeCategory.Clinical, CrudeSeverity.Strong) => 0.2,
            (CrudeCategory.Clinical, _) => 0.15,
            (CrudeCategory.Insult, CrudeSeverity.Severe) => 0.35,
            (CrudeCategory.Insult, CrudeSeverity.Strong) => 0.2,
            (CrudeCategory.Insult, _) => 0.1,
            (CrudeCategory.Sexual, CrudeSeverity.Mild) => 0.15,
            (CrudeCategory.Slur, CrudeSeverity.Mild) => 0.2,
            (_, CrudeSeverity.Severe) => 0.6,
            (_, CrudeSeverity.Strong) => 0.35,
            _ => 0.1,
        };
        var sexual = category is CrudeCategory.Sexual or CrudeCategory.Clinical;
        if (category == CrudeCategory.Clinical && !disguised && !directed)
        {
            return 0;
        }
        if (disguised)
        {
            // Digits alone ("80085") are a weaker disguise: plenty of numbers read as words by accident.
            score += sexual ? (digits ? 0.2 : 0.35) : (digits ? 0.05 : 0.1);
        }
        if (directed)
        {
            score += category switch
            {
                CrudeCategory.Clinical => 0.35,
                CrudeCategory.Sexual => 0.3,
                CrudeCategory.Insult => 0.35,
                _ when severity == CrudeSeverity.Mild => 0.1,
                _ => 0.2,
            };
        }
        return Math.Min(score, 0.95);
    }

    // A name stands with another capitalised word: "Dick Cheney", "Philip K. Dick", "Alan Cumming". A lone
    // capital ("nice Dick") is not enough, or capitalising would be a way around the list.
    private bool IsName(AggressiveView view, int w)
    {
        var words = view.WordSpan;
        var word = words[w];
        if (!word.Has(WordFlags.Capitalised) || !lexicon.IsName(view.TextOf(word)))
        {
            return false;
        }
        var previous = w > 0 && !word.Has(WordFlags.SentenceStart) && words[w - 1].Has(WordFlags.Capitalised);
        var next = w + 1 < words.Length && words[w + 1].Has(WordFlags.Capitalised) && !words[w + 1].Has(WordFlags.SentenceStart);
        return previous || next;
    }

    private static bool IsDirected(AggressiveView view, int first, int last, CrudeCategory category, string? parentName)
    {
        var words = view.WordSpan;
        var sexual = category == CrudeCategory.Sexual;
        // A clinical word is aimed only as an act on someone ("rape you", "sex with me"): "your sex life"
        // and "your breast cancer" are ordinary.
        var lookBefore = category != CrudeCategory.Clinical;
        // Aim is read within the sentence: "... of the genitals. You also ..." is not aimed. Between "you"
        // and the word may stand fillers ("you are such a complete idiot"), one free word for an insult or
        // slur ("you arab fucker"), or anything after "you are a" ("you are a gay anti-hindu bastard").
        var freeWords = category is CrudeCategory.Insult or CrudeCategory.Slur ? 1 : 0;
        var others = 0;
        for (var k = first - 1; lookBefore && k >= 0 && k >= first - 6 && !words[k + 1].Has(WordFlags.SentenceStart); k--)
        {
            if (IsAddressee(view, words[k], parentName))
            {
                return others <= freeWords || StartsDescription(view, words, k);
            }
            var text = view.TextOf(words[k]);
            if (sexual && others == 0 && FirstPersonPossessive.Contains(text))
            {
                return true;
            }
            if (!FillersBefore.Contains(text))
            {
                others++;
            }
        }
        for (var k = last + 1; k < words.Length && k <= last + 2 && !words[k].Has(WordFlags.SentenceStart); k++)
        {
            if (IsAddressee(view, words[k], parentName))
            {
                return true;
            }
            var text = view.TextOf(words[k]);
            if (k == last + 1 && category == CrudeCategory.Profanity && OffWords.Contains(text))
            {
                return true;
            }
            if (category is CrudeCategory.Sexual or CrudeCategory.Clinical && text == "me")
            {
                // "sex with me", "blow me": a sexual proposition to the reader.
                return true;
            }
            if (!FillersAfter.Contains(text))
            {
                break;
            }
        }
        return false;
    }

    /// <summary>Whether the words are quoted or follow "the word", "called", "said" within their sentence.</summary>
    private static bool IsMention(AggressiveView view, int first, int last)
    {
        var words = view.WordSpan;
        var (start, length) = view.ToOriginal(words[first].Start, words[last].End - words[first].Start);
        var original = view.Original;
        if (start > 0 && start + length < original.Length && IsQuote(original[start - 1]) && IsQuote(original[start + length]))
        {
            return true;
        }
        for (var k = first - 1; k >= 0 && k >= first - 3 && !words[k + 1].Has(WordFlags.SentenceStart); k--)
        {
            if (MentionWords.Contains(view.TextOf(words[k])))
            {
                return true;
            }
        }
        return false;

        static bool IsQuote(char c) => c is '"' or '\'' or '`' or '‘' or '’' or '“' or '”' or '«' or '»';
    }

    // "you are a ...", "you're an ...", and the common misspelling "your a ...".
    private static bool StartsDescription(AggressiveView view, ReadOnlySpan<ViewWord> words, int pronoun)
    {
        if (pronoun + 2 >= words.Length)
        {
            return false;
        }
        var next = view.TextOf(words[pronoun + 1]);
        var after = view.TextOf(words[pronoun + 2]);
        return (Copulas.Contains(next) && Articles.Contains(after)) || (Articles.Contains(next) && view.TextOf(words[pronoun]) is "your" or "ur");
    }

    private static bool IsAddressee(AggressiveView view, ViewWord word, string? parentName)
    {
        if (word.Has(WordFlags.AtPrefixed) && word.Length > 2)
        {
            return true;
        }
        if (word.Kind != WordKind.Letters || word.Length > 10)
        {
            return false;
        }
        Span<ulong> plain = stackalloc ulong[word.Length];
        view.PrimaryLetters(word, plain);
        foreach (var pronoun in SecondPerson)
        {
            if (pronoun.MatchesWhole(plain))
            {
                return true;
            }
        }
        return parentName is not null && view.TextOf(word) == parentName;
    }

    private static string? ParentFirstName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        var view = TextViews.Aggressive(name);
        foreach (var word in view.Words)
        {
            if (word.Kind == WordKind.Letters && word.Length >= 3)
            {
                return view.TextOf(word);
            }
        }
        return null;
    }

    // A number stands for letters ("80085") only when nothing around it makes it a number.
    private static bool NumberMayStandForLetters(AggressiveView view, int w)
    {
        var words = view.WordSpan;
        var word = words[w];
        if (word.Length < 3 || word.Has(WordFlags.NumericContext))
        {
            return false;
        }
        if (w > 0 && NumberWords.Contains(view.TextOf(words[w - 1])))
        {
            return false;
        }
        return w + 1 >= words.Length || !NumberWords.Contains(view.TextOf(words[w + 1]));
    }

    private static ModerationFlag ToFlag(CrudeHit hit)
    {
        var reason = hit.Category switch
        {
            CrudeCategory.Sexual or CrudeCategory.Clinical => "crude.sexual",
            CrudeCategory.Profanity => "crude.profanity",
            CrudeCategory.Insult => "crude.insult",
            _ => "crude.slur",
        };
        return new ModerationFlag(reason, PhaseName, hit.Score, hit.Evidence, hit.Start, hit.Length, Describe(hit));
    }

    /// <summary>"obfuscated (leet, look-alike); aimed at a person; strong: cock".</summary>
    internal static string Describe(CrudeHit hit)
    {
        var sb = new StringBuilder();
        if (hit.Disguise != CharTraits.None)
        {
            sb.Append("obfuscated (").Append(DescribeDisguise(hit)).Append("); ");
        }
        if (hit.Directed)
        {
            sb.Append("aimed at a person; ");
        }
        sb.Append(hit.Category == CrudeCategory.Clinical ? "clinical" : hit.Severity.ToString().ToLowerInvariant());
        sb.Append(": ").Append(hit.Term);
        return sb.ToString();
    }

    private static string DescribeDisguise(CrudeHit hit)
    {
        var traits = hit.Disguise;
        if (hit.Digits)
        {
            return "digits";
        }
        var parts = new List<string>(4);
        if ((traits & CharTraits.LookAlike) != 0)
        {
            parts.Add("look-alike letters");
        }
        if ((traits & CharTraits.Compat) != 0)
        {
            parts.Add(hit.Term == "sexual emoji" ? "emoji" : "styled letters");
        }
        if ((traits & CharTraits.Leet) != 0)
        {
            parts.Add("leet");
        }
        if ((traits & CharTraits.Masked) != 0)
        {
            parts.Add("masked");
        }
        if ((traits & CharTraits.Separated) != 0)
        {
            parts.Add("separated letters");
        }
        if ((traits & CharTraits.Hidden) != 0)
        {
            parts.Add("invisible characters");
        }
        if ((traits & CharTraits.Entity) != 0)
        {
            parts.Add("HTML entities");
        }
        if ((traits & CharTraits.Diacritic) != 0)
        {
            parts.Add("accents");
        }
        return string.Join(", ", parts);
    }
}

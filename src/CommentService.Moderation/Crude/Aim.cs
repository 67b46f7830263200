using CommentService.Moderation.Text;

namespace CommentService.Moderation.Crude;

/// <summary>
/// Whether a crude word is aimed at a person ("you idiot", "suck my dick", "@Simone is a slut") or only
/// talked about ("he called them ...", "the word '...'"), read within its sentence on the aggressive view.
/// </summary>
internal static class Aim
{
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

    private static readonly HashSet<string> OffWords = ["off"];

    private static readonly HashSet<string> MentionWords =
    [
        "word", "words", "term", "terms", "called", "calling", "call", "calls", "say", "saying", "said", "says",
        "spelled", "spelt", "spell", "slur", "slurs", "quote", "quoted", "quoting",
    ];

    private static readonly HashSet<string> Copulas = ["are", "re", "r", "is", "s", "was", "were", "be", "being"];

    private static readonly HashSet<string> Articles = ["a", "an", "such", "one", "nothing", "the", "just", "so", "total", "complete"];

    public static bool IsDirected(AggressiveView view, int first, int last, CrudeCategory category, string? parentName)
    {
        var words = view.WordSpan;
        var sexual = category == CrudeCategory.Sexual;
        // A clinical word is aimed only as an act on someone ("rape you", "sex with me"): "your sex life"
        // and "your breast cancer" are ordinary.
        var lookBefore = category != CrudeCategory.Clinical;
        // Aim is read within the sentence: "... of the genitals. You also ..." is not aimed. Between "you"
        // and the word may stand fillers ("you are such a complete idiot"), one free word for an insult or
        // slur ("you arab idiot"), or anything after "you are a" ("you are a gay anti-hindu bastard").
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
    public static bool IsMention(AggressiveView view, int first, int last)
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

    public static string? ParentFirstName(string? name)
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
}

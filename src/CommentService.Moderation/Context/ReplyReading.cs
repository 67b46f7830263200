using CommentService.Moderation.Crude;
using CommentService.Moderation.Text;

namespace CommentService.Moderation.Context;

/// <summary>How reading a reply with its parent in view changed the weight of one thing it says.</summary>
public enum ContextEffect : byte
{
    None,

    /// <summary>
    /// Aimed at the author replied to: by name, by quoting their words to mock them, by an exclamation
    /// that can only mean them ("What an idiot."), by a hostile phrase ("nobody asked"), or by "you" in a reply.
    /// </summary>
    AimedAtParent,

    /// <summary>The parent's own words, quoted or repeated in order to object to them: not counted against the reply.</summary>
    QuotesParent,
}

/// <summary>
/// A reply read against the comment it answers (<see cref="ModerationRequest.ParentBody"/>,
/// <see cref="ModerationRequest.ParentAuthorName"/>): which of its words quote the parent, whether it objects
/// to or endorses what it quotes, whether it is friendly banter, and which hostile phrases in it are aimed at
/// the parent's author. Built once per run, only for replies judged in context.
/// </summary>
internal sealed class ReplyReading
{
    private static readonly HashSet<string> SecondPerson = ["you", "u", "ya", "yu", "your", "ur", "yours", "yourself", "youre", "thou", "thee", "yall"];

    private readonly AggressiveView view;
    private readonly string[] texts;
    private readonly int[] sentenceOf;
    private readonly string? parentBody;
    private readonly int[] quoteOf;
    private readonly List<string> quotes = [];
    private HashSet<string>? parentTerms;

    private ReplyReading(ModerationContext context)
    {
        var request = context.Request;
        view = context.Aggressive;
        parentBody = request.ParentBody;
        ParentName = Aim.ParentFirstName(request.ParentAuthorName);
        var display = request.ParentAuthorName?.Trim();
        ParentDisplayName = string.IsNullOrEmpty(display) ? null : display.Length > 40 ? display[..40] + "…" : display;

        var words = view.WordSpan;
        texts = new string[words.Length];
        sentenceOf = new int[words.Length];
        quoteOf = new int[words.Length];
        var sentence = 0;
        for (var i = 0; i < words.Length; i++)
        {
            texts[i] = view.TextOf(words[i]);
            sentence += i > 0 && words[i].Has(WordFlags.SentenceStart) ? 1 : 0;
            sentenceOf[i] = sentence;
            quoteOf[i] = -1;
        }
        if (!string.IsNullOrWhiteSpace(parentBody))
        {
            FindParentQuotes(request.Body);
        }
        Objects = AnyOutsideQuotes(ContextPhrases.Objection);
        Endorses = !Objects && (AnyOutsideQuotes(ContextPhrases.Endorsement) || HasEndorsingSentence());
        Friendly = HasFriendlyWord() || HasFriendlyEmoji(context.Light.Text);
    }

    /// <summary>The reading of the request's reply, or null when it is not a reply or is judged without context.</summary>
    public static ReplyReading? For(ModerationContext context)
    {
        var request = context.Request;
        return request.JudgeInContext && (!string.IsNullOrWhiteSpace(request.ParentBody) || !string.IsNullOrWhiteSpace(request.ParentAuthorName))
            ? new ReplyReading(context)
            : null;
    }

    /// <summary>The parent author's first name as the aggressive view spells it ("mark"), or null.</summary>
    public string? ParentName { get; }

    /// <summary>The parent author's display name as posted (public), for notes.</summary>
    public string? ParentDisplayName { get; }

    /// <summary>Who the parent's author is, in a note: "the author replied to (Mark)".</summary>
    public string ParentAuthor => ParentDisplayName is null ? "the author replied to" : $"the author replied to ({ParentDisplayName})";

    /// <summary>The reply objects to something ("that's uncalled for", "not ok", "reported").</summary>
    public bool Objects { get; }

    /// <summary>The reply approves what it quotes ("This.", "so true", "well said") and objects to nothing.</summary>
    public bool Endorses { get; }

    /// <summary>The reply is warm (laughter, praise): "you" and a name in it are banter, not hostility.</summary>
    public bool Friendly { get; }

    /// <summary>The reply quotes some words of the parent (in quotation marks or a '&gt;' line).</summary>
    public bool QuotesParent => quotes.Count > 0;

    /// <summary>Whether the reply's word <paramref name="w"/> stands in a quotation of the parent.</summary>
    public bool InParentQuote(int w) => quoteOf[w] >= 0;

    /// <summary>The quotation of the parent that word <paramref name="w"/> stands in, as written in the reply.</summary>
    public string QuoteAt(int w) => quotes[quoteOf[w]];

    /// <summary>Whether the parent itself uses the crude term (the reply repeats it rather than bringing it in).</summary>
    public bool ParentUses(CrudeLanguagePhase phase, string term)
    {
        if (string.IsNullOrWhiteSpace(parentBody))
        {
            return false;
        }
        if (parentTerms is null)
        {
            var parent = new ModerationContext(new ModerationRequest { Body = parentBody, AuthorName = "", JudgeInContext = false });
            parentTerms = phase.Assess(parent).Hits.Select(h => h.Term).ToHashSet(StringComparer.Ordinal);
        }
        return parentTerms.Contains(term);
    }

    /// <summary>
    /// An insult standing as an exclamation that, in a reply, can only mean the person replied to: "What an
    /// idiot.", "Idiot.", "Only a moron would think that.", "Spoken like a true clown." Not "What an idiot I
    /// was" nor "What an idiot the director is".
    /// </summary>
    public bool IsExclamation(int first, int last)
    {
        var words = view.WordSpan;
        var heads = 0;
        for (var k = first - 1; k >= 0 && sentenceOf[k] == sentenceOf[first]; k--)
        {
            if (!ContextPhrases.ExclamationHeads.Contains(texts[k]) || ++heads > 6)
            {
                return false;
            }
        }
        var next = last + 1;
        return next >= words.Length
            || sentenceOf[next] != sentenceOf[last]
            || ContextPhrases.ExclamationTails.Contains(texts[next])
            || texts[next] == ParentName;
    }

    /// <summary>Hostile phrases aimed at the parent's author ("shut up", "nobody asked you, Mark", "you're clueless").</summary>
    public List<CrudeHit>? HostileHits()
    {
        List<CrudeHit>? hits = null;
        var words = view.WordSpan;
        for (var i = 0; i < texts.Length; i++)
        {
            if (quoteOf[i] >= 0)
            {
                continue;
            }
            if (!ContextPhrases.HostileByFirstWord.TryGetValue(texts[i], out var phrases))
            {
                continue;
            }
            foreach (var phrase in phrases)
            {
                var n = phrase.Words.Length;
                if (!Matches(phrase.Words, i) || (Friendly && !phrase.Severe) || !Stands(phrase, i, n))
                {
                    continue;
                }
                var (start, length) = view.ToOriginal(words[i].Start, words[i + n - 1].End - words[i].Start);
                var score = phrase.Severe ? SevereHostility : Hostility;
                hits ??= [];
                hits.Add(new CrudeHit(string.Join(' ', phrase.Words), CrudeCategory.Hostility, phrase.Severe ? CrudeSeverity.Severe : CrudeSeverity.Strong,
                    score, start, length, view.Original.Substring(start, length), CharTraits.None, Directed: true, Digits: false,
                    PlainScore: 0, Context: ContextEffect.AimedAtParent, ContextNote: $"hostile phrase aimed at {ParentAuthor}"));
                i += n - 1;
                break;
            }
            if (hits is { Count: >= MaxHostileHits })
            {
                break;
            }
        }
        return hits;
    }

    /// <summary>The weight of a hostile phrase aimed at the parent's author: two of them, or one with an insult, hold a reply.</summary>
    public const double Hostility = 0.3;

    /// <summary>"Kill yourself", "drop dead": held on their own.</summary>
    public const double SevereHostility = 0.6;

    private const int MaxHostileHits = 5;

    private bool Stands(HostilePhrase phrase, int i, int n)
    {
        var next = i + n;
        var sameSentence = next < texts.Length && sentenceOf[next] == sentenceOf[i];
        if (sameSentence && Array.IndexOf(phrase.NotBefore, texts[next]) >= 0)
        {
            return false;
        }
        switch (phrase.Form)
        {
            case HostileForm.Imperative:
                return i == 0 || sentenceOf[i - 1] != sentenceOf[i] || ContextPhrases.ImperativeLeads.Contains(texts[i - 1]) || texts[i - 1] == ParentName;
            case HostileForm.Remark:
                return !sameSentence || ContextPhrases.ExclamationTails.Contains(texts[next]) || AddresseeInSentence(i, n);
            default:
                return AddresseeInSentence(i, n);
        }
    }

    // "you", "your", the parent's name or an @mention within the phrase's sentence.
    private bool AddresseeInSentence(int i, int n)
    {
        var words = view.WordSpan;
        for (var k = Math.Max(0, i - 6); k < Math.Min(texts.Length, i + n + 4); k++)
        {
            if (sentenceOf[k] != sentenceOf[i] || (k >= i && k < i + n))
            {
                continue;
            }
            if (SecondPerson.Contains(texts[k]) || (ParentName is not null && texts[k] == ParentName) || (words[k].Has(WordFlags.AtPrefixed) && words[k].Length > 2))
            {
                return true;
            }
        }
        return false;
    }

    private bool Matches(string[] phrase, int i)
    {
        if (i + phrase.Length > texts.Length)
        {
            return false;
        }
        for (var k = 0; k < phrase.Length; k++)
        {
            if (texts[i + k] != phrase[k] || quoteOf[i + k] >= 0)
            {
                return false;
            }
        }
        return true;
    }

    private bool AnyOutsideQuotes(Dictionary<string, string[][]> phrases)
    {
        for (var i = 0; i < texts.Length; i++)
        {
            if (!phrases.TryGetValue(texts[i], out var starting))
            {
                continue;
            }
            foreach (var phrase in starting)
            {
                if (Matches(phrase, i))
                {
                    return true;
                }
            }
        }
        return false;
    }

    // A sentence outside the quotes made only of approving words: "This.", "So true lol", "Exactly!".
    private bool HasEndorsingSentence()
    {
        var i = 0;
        while (i < texts.Length)
        {
            var sentence = sentenceOf[i];
            var all = true;
            var any = false;
            for (; i < texts.Length && sentenceOf[i] == sentence; i++)
            {
                if (quoteOf[i] >= 0)
                {
                    continue;
                }
                any = true;
                all &= ContextPhrases.EndorsementWords.Contains(texts[i]);
            }
            if (any && all)
            {
                return true;
            }
        }
        return false;
    }

    private bool HasFriendlyWord()
    {
        for (var i = 0; i < texts.Length; i++)
        {
            if (quoteOf[i] < 0 && ContextPhrases.FriendlyWords.Contains(texts[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasFriendlyEmoji(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int cp = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else if (c < 0x2000)
            {
                continue;
            }
            if (Array.IndexOf(ContextPhrases.FriendlyEmoji, cp) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    // Quotations in the reply (a '>' line, or text in quotation marks) whose words the parent holds, in order.
    private void FindParentQuotes(string body)
    {
        var spans = QuotedSpans(body);
        if (spans.Count == 0)
        {
            return;
        }
        var parentView = TextViews.Aggressive(parentBody!);
        var parentText = " " + parentView.Text + " ";
        HashSet<string>? parentWords = null;
        var words = view.WordSpan;
        var starts = new int[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            starts[i] = view.ToOriginal(words[i]).Start;
        }
        foreach (var (start, end) in spans)
        {
            int first = -1, last = -1;
            for (var i = 0; i < words.Length; i++)
            {
                var at = starts[i];
                if (at >= start && at < end)
                {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            if (first < 0)
            {
                continue;
            }
            var quoted = " " + string.Join(' ', texts[first..(last + 1)]) + " ";
            var found = parentText.Contains(quoted, StringComparison.Ordinal);
            if (!found && last - first + 1 >= 4)
            {
                // A long quotation with a word changed or dropped still quotes the parent.
                parentWords ??= parentView.Words.Select(parentView.TextOf).ToHashSet(StringComparer.Ordinal);
                var held = 0;
                for (var i = first; i <= last; i++)
                {
                    held += parentWords.Contains(texts[i]) ? 1 : 0;
                }
                found = held >= 0.8 * (last - first + 1);
            }
            if (!found)
            {
                continue;
            }
            var quote = body[start..end].Trim();
            quotes.Add(quote.Length > 80 ? quote[..80] + "…" : quote);
            for (var i = first; i <= last; i++)
            {
                quoteOf[i] = quotes.Count - 1;
            }
        }
    }

    /// <summary>Quotations read in one reply at most: a reply quoting its parent does it a few times, and a text of nothing but quotation marks should not cost more.</summary>
    internal const int MaxQuotations = 32;

    /// <summary>Spans of the original reply that are quotations: the text of '&gt;' lines, and text in quotation marks (at most <see cref="MaxQuotations"/>).</summary>
    internal static List<(int Start, int End)> QuotedSpans(string body)
    {
        var spans = new List<(int, int)>();
        var lineStart = 0;
        while (lineStart < body.Length && spans.Count < MaxQuotations)
        {
            var lineEnd = body.IndexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? body.Length : lineEnd;
            var i = lineStart;
            while (i < lineEnd && body[i] is ' ' or '\t')
            {
                i++;
            }
            if (i < lineEnd && body[i] == '>')
            {
                spans.Add((i + 1, lineEnd));
            }
            lineStart = lineEnd + 1;
        }
        for (var i = 0; i < body.Length && spans.Count < MaxQuotations; i++)
        {
            var open = body[i];
            var close = open switch
            {
                '"' => '"',
                '“' => '”',
                '„' => '“',
                '«' => '»',
                '\'' => '\'',
                '‘' => '’',
                _ => '\0',
            };
            if (close == '\0' || (i > 0 && char.IsLetterOrDigit(body[i - 1])))
            {
                continue;
            }
            var end = -1;
            for (var j = i + 1; j < body.Length && j - i <= 400; j++)
            {
                var c = body[j];
                var closes = c == close || (open == '“' && c == '"') || (open == '‘' && c == '\'');
                // An apostrophe inside a word ("you're") does not close a single quotation.
                if (closes && (close is not ('\'' or '’') || j + 1 >= body.Length || !char.IsLetter(body[j + 1])))
                {
                    end = j;
                    break;
                }
                if (c == '\n' && j + 1 < body.Length && body[j + 1] == '\n')
                {
                    break;
                }
            }
            if (end > i + 1)
            {
                spans.Add((i + 1, end));
                i = end;
            }
        }
        return spans;
    }
}

using System.Globalization;
using System.Text;
using CommentService.Moderation.Context;
using CommentService.Moderation.Text;

namespace CommentService.Moderation.Crude;

/// <summary>
/// One crude word found in a comment, with how much it weighs and why. In a reply judged in context,
/// <paramref name="PlainScore"/> is what it would weigh in a comment standing alone and <paramref name="Context"/>
/// says how the parent changed that (<paramref name="ContextNote"/> in words); elsewhere both scores are equal.
/// </summary>
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
    bool Digits,
    double PlainScore,
    ContextEffect Context = ContextEffect.None,
    string? ContextNote = null);

/// <summary>
/// The crude-language score of a comment (hits combined), the hits behind it, and the score the same text
/// gets without its parent in view (equal to <paramref name="Score"/> unless it is a reply judged in context).
/// </summary>
public sealed record CrudeAssessment(double Score, IReadOnlyList<CrudeHit> Hits, double ScoreWithoutContext)
{
    public static CrudeAssessment None { get; } = new(0, [], 0);
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
/// discussion passes. Whitelisted words (Scunthorpe, cocktail, Matsushita) and plain names standing with
/// another capitalised word (Dick Cheney) never count; a word only talked about (quoted, or after "the
/// word", "called", "said") weighs half; the aubergine or peach emoji with another of its kind ("🍆💦")
/// counts as a disguised sexual word. Hits combine as independent evidence: 1 - Π(1 - score).
/// </para>
/// <para>
/// At <see cref="ModerationPolicy.CrudeHoldThreshold"/> the comment is held (Pending), never rejected:
/// a word list cannot tell every quotation, joke or reclaimed word from abuse, and a moderator who sees
/// the evidence can reject in one step, while a wrongly rejected reader is lost silently. Sites that want
/// outright rejection of particular words list them as site terms with <see cref="TermAction.Reject"/>.
/// Trusted authors skip pre-moderation but not this phase: they are held only from
/// <see cref="TrustedHoldThreshold"/> up (severe words, or strong ones disguised or aimed at someone).
/// </para>
/// <para>
/// A reply is judged with its parent in view (<see cref="ReplyReading"/>; off with
/// <see cref="ModerationRequest.JudgeInContext"/>): a word aimed at the author replied to weighs as aimed (by
/// their name, by quoting them to mock them, by an exclamation such as "What an idiot." that can only mean
/// them; "you" in a reply that is not friendly banter adds <see cref="ReplyAimBonus"/>), hostile phrases
/// without a crude word ("nobody asked you, Mark", "go away") count, and the parent's own crude words quoted
/// or repeated to object to them ("calling her a 'slut' is not ok") do not count. Every such change is flagged
/// (<c>context.aimed_at_parent</c>, <c>context.quotes_parent</c>), and <c>context.changed_outcome</c> says when
/// it changed this phase's decision, with the score the reply gets standing alone.
/// </para>
/// </summary>
public sealed class CrudeLanguagePhase : IModerationPhase
{
    public const string PhaseName = "crude-language";

    /// <summary>The score from which a trusted author's comment is held (when above the site's own threshold).</summary>
    public const double TrustedHoldThreshold = 0.75;

    private const int MaxHits = 20;

    /// <summary>What "you" adds to a word aimed at a person when the comment is a reply (not banter): the person is there.</summary>
    public const double ReplyAimBonus = 0.1;

    // Words around a number that make it a number: "455 pages", "revision 80085", "in 455 AD".
    private static readonly HashSet<string> NumberWords =
    [
        "page", "pages", "p", "pp", "no", "number", "num", "nr", "room", "route", "rev", "revision", "revisions",
        "diff", "edit", "edits", "id", "oldid", "version", "v", "vol", "volume", "issue", "chapter", "ch", "section",
        "sec", "article", "articles", "episode", "episodes", "ep", "season", "year", "years", "ad", "bc", "bce", "ce",
        "in", "since", "from", "to", "until", "between", "and", "or", "of", "about", "around", "approximately",
        "circa", "ca", "over", "under", "than", "after", "before", "by", "times", "people", "votes", "views", "hits",
        "words", "bytes", "users", "comments", "points", "pts", "dollars", "euros", "pounds", "usd", "eur", "gbp",
        "percent", "yen", "cents", "bucks", "km", "kg", "miles", "mi", "days", "hours", "minutes", "seconds", "months", "weeks", "cost",
        "costs", "paid", "scored", "score", "rank", "ranked", "top", "minus", "plus", "equals", "x", "phone", "call",
        "tel", "zip", "code", "postcode", "isbn", "issn", "doi", "line", "lines", "row", "rows", "item", "items",
    ];

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
        var flags = new List<ModerationFlag>(assessment.Hits.Count);
        var changed = false;
        foreach (var hit in assessment.Hits)
        {
            if (hit.Score > 0)
            {
                flags.Add(ToFlag(hit));
            }
            if (hit.Context != ContextEffect.None)
            {
                changed = true;
                flags.Add(ContextFlag(hit));
            }
        }
        var policy = context.Request.Policy;
        var threshold = context.AuthorIsTrusted ? Math.Max(policy.CrudeHoldThreshold, TrustedHoldThreshold) : policy.CrudeHoldThreshold;
        var held = assessment.Score >= threshold;
        if (changed && held != assessment.ScoreWithoutContext >= threshold)
        {
            flags.Add(ChangedOutcome(assessment, held, context.Reply));
        }
        ModerationOutcome? decision = held ? ModerationOutcome.Pending : null;
        return ValueTask.FromResult(new PhaseResult(flags, decision));
    }

    /// <summary>Every crude word in the comment and the combined score, without deciding anything.</summary>
    public CrudeAssessment Assess(ModerationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var view = context.Aggressive;
        var words = view.WordSpan;
        var reply = context.Reply;
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
            var best = FindBest(view, w, candidates, reply, out var lastWord);
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
        if (reply?.HostileHits() is { } hostile)
        {
            hits ??= [];
            hits.AddRange(hostile);
        }
        if (hits is null)
        {
            return CrudeAssessment.None;
        }
        double keep = 1.0, keepPlain = 1.0;
        foreach (var hit in hits)
        {
            keep *= 1 - hit.Score;
            keepPlain *= 1 - hit.PlainScore;
        }
        return new CrudeAssessment(Math.Round(1 - keep, 4), hits, Math.Round(1 - keepPlain, 4));
    }

    private CrudeHit? FindBest(AggressiveView view, int w, List<CrudeTerm> candidates, ReplyReading? reply, out int lastWord)
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
        var bestPlain = 0.0;
        var bestDirected = false;
        var bestDisguise = CharTraits.None;
        var bestEffect = ContextEffect.None;
        string? bestHow = null;
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
                foreach (ref readonly var entry in lexicon.StartingWith(bit))
                {
                    if (entry.SingleWord && (letters.Length < entry.MinLength || !entry.CouldOccurIn(union)))
                    {
                        continue;
                    }
                    var term = entry.Term;
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
            if (letters.Length < lexicon.SubTermMinLength)
            {
                continue;
            }
            foreach (ref readonly var entry in lexicon.SubTerms)
            {
                if (letters.Length >= entry.MinLength && entry.CouldOccurIn(union) && entry.Term.Words[0].OccursIn(letters))
                {
                    Consider(entry.Term, w);
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
            view.Original.Substring(start, length), bestDisguise, bestDirected, word.Kind == WordKind.Number, bestPlain, bestEffect, bestHow);

        void Consider(CrudeTerm term, int last)
        {
            var disguise = view.TraitsOf(word.Start, view.WordSpan[last].End - word.Start) & CharTraits.Disguise;
            if (disguise == CharTraits.None && word.Kind == WordKind.Letters && last == w && NeedsOtherReading(view, word, term))
            {
                disguise = CharTraits.Leet;
            }
            var digits = word.Kind == WordKind.Number;
            var disguised = disguise != CharTraits.None || digits;
            var directed = Aim.IsDirected(view, w, last, term.Category, parentName: null);
            var score = Weigh(term, disguised, digits, directed);
            if (!directed && disguise == CharTraits.None && !digits && Aim.IsMention(view, w, last))
            {
                // Talking about a word ("he called them 'niggers'", "the word 'cunt'") is not using it.
                score /= 2;
            }
            var plain = score;
            var (effect, how) = (ContextEffect.None, (string?)null);
            if (reply is not null)
            {
                (score, effect, how) = InContext(reply, view, w, last, term, disguised, digits, directed, plain);
            }
            if (Math.Max(score, plain) > Math.Max(bestScore, bestPlain))
            {
                (bestTerm, bestLast, bestScore, bestPlain, bestDisguise) = (term, last, score, plain, digits ? CharTraits.Leet : disguise);
                (bestDirected, bestEffect, bestHow) = (directed || effect == ContextEffect.AimedAtParent, effect, how);
            }
        }
    }

    /// <summary>How a crude word of a reply weighs with the parent in view, and why it differs from <paramref name="plain"/>.</summary>
    private (double Score, ContextEffect Effect, string? How) InContext(ReplyReading reply, AggressiveView view, int w, int last, CrudeTerm term,
        bool disguised, bool digits, bool directed, double plain)
    {
        if (reply.InParentQuote(w) && !reply.Endorses)
        {
            // The parent's words were there already; quoting them to answer (or to object) adds nothing crude.
            var purpose = reply.Objects ? "to object" : "to answer them";
            return (0, ContextEffect.QuotesParent, $"quotes the parent's words \"{reply.QuoteAt(w)}\" {purpose}: not counted");
        }
        if (!directed && reply.Objects && !reply.Endorses && reply.ParentUses(this, term.Text))
        {
            return (0, ContextEffect.QuotesParent, $"repeats the parent's word \"{term.Text}\" to object: not counted");
        }
        if (directed)
        {
            return reply.Friendly
                ? (plain, ContextEffect.None, null)
                : (Math.Min(plain + ReplyAimBonus, 0.95), ContextEffect.AimedAtParent, $"\"you\" in a reply: aimed at {reply.ParentAuthor}");
        }
        string? how = null;
        if (reply.ParentName is not null && Aim.IsDirected(view, w, last, term.Category, reply.ParentName))
        {
            how = $"aimed at {reply.ParentAuthor} by name";
        }
        else if (term.Category != CrudeCategory.Clinical && reply.QuotesParent && !reply.InParentQuote(w))
        {
            how = $"quotes the parent to mock it: aimed at {reply.ParentAuthor}";
        }
        else if (term.Category != CrudeCategory.Clinical && !reply.Friendly && reply.IsExclamation(w, last))
        {
            how = $"an exclamation in a reply: aimed at {reply.ParentAuthor}";
        }
        if (how is null)
        {
            return (plain, ContextEffect.None, null);
        }
        // Aimed at the author replied to weighs as "you" does in a reply: aimed, plus the reply's bonus unless it is banter.
        var aimed = Weigh(term, disguised, digits, directed: true) + (reply.Friendly ? 0 : ReplyAimBonus);
        return (Math.Min(aimed, 0.95), ContextEffect.AimedAtParent, how);
    }

    // Scored with the word's weight as a reply (0 when not counted); the note gives both weights.
    private static ModerationFlag ContextFlag(CrudeHit hit)
    {
        var reason = hit.Context == ContextEffect.QuotesParent ? "context.quotes_parent" : "context.aimed_at_parent";
        var note = string.Create(CultureInfo.InvariantCulture, $"{hit.ContextNote} ({hit.PlainScore:0.00} standing alone, {hit.Score:0.00} as a reply)");
        return new ModerationFlag(reason, PhaseName, hit.Score, hit.Evidence, hit.Start, hit.Length, note);
    }

    private static ModerationFlag ChangedOutcome(CrudeAssessment assessment, bool held, ReplyReading? reply)
    {
        var who = reply?.ParentAuthor ?? "the author replied to";
        var note = held
            ? string.Create(CultureInfo.InvariantCulture, $"held because it is aimed at {who} (score {assessment.Score:0.00}); without context: {assessment.ScoreWithoutContext:0.00}, not held")
            : string.Create(CultureInfo.InvariantCulture, $"not held because the crude words quote the parent to answer or object (score {assessment.Score:0.00}); without context: {assessment.ScoreWithoutContext:0.00}, held");
        return new ModerationFlag("context.changed_outcome", PhaseName, assessment.Score, Note: note);
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
        var score = Weigh(term, disguised: true, digits: false, directed: false);
        return new CrudeHit(term.Text, term.Category, term.Severity, score,
            start, length, light.Original.Substring(start, length), CharTraits.Compat, false, false, score);
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
            CrudeCategory.Hostility => "crude.hostile",
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
        if (hit.Context == ContextEffect.AimedAtParent)
        {
            sb.Append(hit.ContextNote).Append("; ");
        }
        else if (hit.Directed)
        {
            sb.Append("aimed at a person; ");
        }
        sb.Append(hit.Category switch
        {
            CrudeCategory.Clinical => "clinical",
            CrudeCategory.Hostility => "hostile",
            _ => hit.Severity.ToString().ToLowerInvariant(),
        });
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

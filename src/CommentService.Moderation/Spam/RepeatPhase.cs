namespace CommentService.Moderation.Spam;

/// <summary>
/// Repeated posts: the same or nearly the same text posted again by the same author
/// (<see cref="ModerationRequest.RecentByAuthor"/>) or flooded across the site by anyone
/// (<see cref="ModerationRequest.RecentOnSite"/>). Texts are compared as sets of word pairs (shingles);
/// Jaccard similarity at or above <see cref="SimilarityThreshold"/> is a near-duplicate, so swapped words,
/// changed punctuation or an appended link do not hide a copy. Short stock phrases ("I love this song",
/// "Great review!") are what many real readers write, so texts need <see cref="MinimumWordsByAuthor"/>
/// words to count as an author's repeat and <see cref="MinimumWordsOnSite"/> as a site-wide flood.
/// </summary>
public sealed class RepeatPhase : IModerationPhase
{
    public const string PhaseName = "spam.repeat";

    public const double SimilarityThreshold = 0.6;
    public const int MinimumWordsByAuthor = 4;
    public const int MinimumWordsOnSite = 8;

    /// <summary>How many recent texts of each list are compared at most.</summary>
    public const int MaximumCompared = 200;

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var request = context.Request;
        if (request.RecentByAuthor.Count == 0 && request.RecentOnSite.Count == 0)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var signals = SpamSignals.Of(context);
        var words = WordsOutsideLinks(signals);
        if (words.Count < MinimumWordsByAuthor)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var shingles = Shingles(words);
        var flags = new List<ModerationFlag>();
        var (byAuthor, bestAuthor) = Copies(shingles, request.RecentByAuthor);
        if (byAuthor > 0)
        {
            flags.Add(Flag(signals, byAuthor >= 2 ? 0.6 : 0.4, $"posted {byAuthor} time(s) before by the same author (similarity {bestAuthor:0.00})"));
        }
        if (words.Count >= MinimumWordsOnSite)
        {
            var (onSite, bestSite) = Copies(shingles, request.RecentOnSite);
            if (onSite >= 2)
            {
                flags.Add(Flag(signals, onSite >= 4 ? 0.6 : 0.45, $"{onSite} near-identical recent comments on the site (similarity {bestSite:0.00})"));
            }
        }
        return ValueTask.FromResult(signals.Report(flags));
    }

    private static ModerationFlag Flag(SpamSignals signals, double score, string note) =>
        new("spam.repeat", PhaseName, score, signals.Request.Body.Length <= 200 ? signals.Request.Body : signals.Request.Body[..200],
            0, signals.Request.Body.Length, note);

    private static (int Copies, double Best) Copies(HashSet<ulong> shingles, IReadOnlyList<string> recent)
    {
        var copies = 0;
        var best = 0.0;
        var limit = Math.Min(recent.Count, MaximumCompared);
        for (var i = 0; i < limit; i++)
        {
            var other = SpamText.From(recent[i]).Words;
            if (other.Count < MinimumWordsByAuthor)
            {
                continue;
            }
            var similarity = Jaccard(shingles, Shingles(other));
            if (similarity >= SimilarityThreshold)
            {
                copies++;
                best = Math.Max(best, similarity);
            }
        }
        return (copies, best);
    }

    // A link is one token at most: "Song - Title (Official): youtu.be/xyz" is four words, not eight.
    private static List<SpamText.Token> WordsOutsideLinks(SpamSignals signals)
    {
        var links = signals.Links;
        var words = new List<SpamText.Token>(signals.Text.Words.Count);
        foreach (var w in signals.Text.Words)
        {
            if (!links.Any(l => w.Start >= l.Start && w.Start < l.Start + l.Length))
            {
                words.Add(w);
            }
        }
        return words;
    }

    /// <summary>Similarity of two texts, 0 to 1, as Jaccard similarity of their word-pair shingles.</summary>
    public static double Similarity(string a, string b) =>
        Jaccard(Shingles(SpamText.From(a).Words), Shingles(SpamText.From(b).Words));

    private static HashSet<ulong> Shingles(IReadOnlyList<SpamText.Token> words)
    {
        var set = new HashSet<ulong>();
        if (words.Count == 1)
        {
            set.Add(SpamFeatures.Hash('w', words[0].Value));
        }
        for (var i = 1; i < words.Count; i++)
        {
            set.Add(((ulong)SpamFeatures.Hash('w', words[i - 1].Value) << 32) | SpamFeatures.Hash('w', words[i].Value));
        }
        return set;
    }

    private static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var common = 0;
        foreach (var x in small)
        {
            if (large.Contains(x))
            {
                common++;
            }
        }
        return (double)common / (a.Count + b.Count - common);
    }
}

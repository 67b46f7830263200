namespace CommentService.Moderation.Spam;

/// <summary>
/// What the spam phases of one run share: the text view, the links found, and every spam flag raised so far,
/// which <see cref="SpamScoringPhase"/> combines into one score.
/// </summary>
public sealed class SpamSignals
{
    private readonly List<ModerationFlag> flags = [];
    private IReadOnlyList<FoundLink>? links;

    private SpamSignals(ModerationRequest request)
    {
        Request = request;
        Text = SpamText.From(request.Body);
    }

    public ModerationRequest Request { get; }

    public SpamText Text { get; }

    /// <summary>Links in the body (plain, bare-domain and spelled-out ones), in order.</summary>
    public IReadOnlyList<FoundLink> Links => links ??= SpamLinks.Find(Text);

    /// <summary>
    /// Engagement words (check out, subscribe, share, please …) the <see cref="SolicitationPhase"/> found used in a
    /// frame that asks nothing of the readers: the author reports what they did or will do ("I'll check it out",
    /// "I subscribed"), asks how to do it ("how do I subscribe?"), recommends someone else's work ("if you liked
    /// this, check out …") or points at the site itself ("subscribe to the newsletter"). Spans of <see cref="Text"/>;
    /// the classifier leaves these words out (<see cref="SpamFeatures.Extract(SpamText, IReadOnlyList{FoundLink}, IReadOnlyList{ValueTuple{int, int}}?, bool, string?)"/>).
    /// </summary>
    public List<(int Start, int Length)> NeutralWords { get; } = [];

    /// <summary>
    /// Whether the comment recommends someone else's work: the classifier then does not count the mere presence of
    /// a link (its host still counts), since "if you liked this, see …" with one link is what readers write.
    /// </summary>
    public bool Recommends { get; set; }

    /// <summary>Whether <see cref="NeutralWords"/> and <see cref="Recommends"/> have been worked out for this run.</summary>
    internal bool NeutralWordsFound { get; set; }

    /// <summary>Spam flags raised so far in this run.</summary>
    public IReadOnlyList<ModerationFlag> Flags => flags;

    /// <summary>The signals of this run, created on first use.</summary>
    public static SpamSignals Of(ModerationContext context) => context.Shared(c => new SpamSignals(c.Request));

    /// <summary>Records flags for the final spam score and returns them as a phase result (no decision).</summary>
    public PhaseResult Report(List<ModerationFlag> raised)
    {
        if (raised.Count == 0)
        {
            return PhaseResult.Nothing;
        }
        flags.AddRange(raised);
        return new PhaseResult(raised, null);
    }

    /// <summary>
    /// Combines independent pieces of evidence: 1 - Π(1 - score). Two weak signals together (praise and a
    /// link) reach what neither reaches alone, and no single weak one can.
    /// </summary>
    public static double NoisyOr(IEnumerable<double> scores)
    {
        var keep = 1.0;
        foreach (var s in scores)
        {
            keep *= 1 - Math.Clamp(s, 0, 1);
        }
        return 1 - keep;
    }
}

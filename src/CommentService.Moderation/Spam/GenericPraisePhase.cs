using System.Buffers;
using System.Text.RegularExpressions;

namespace CommentService.Moderation.Spam;

/// <summary>
/// Content-free praise and the templates spinning bots produce ("Thanks for the wonderful article",
/// "marvelous post, I have bookmarked your weblog"). Real readers praise too ("Great review, thanks!"), so
/// praise alone stays below the hold threshold: it needs company — the spun word choices of article
/// spinners ("fastidious", "weblog", "piece of writing"), several stock phrases, a link, a repeat, the
/// classifier — to hold a comment.
/// </summary>
public sealed partial class GenericPraisePhase : IModerationPhase
{
    public const string PhaseName = "spam.generic_praise";

    /// <summary>The first stock phrase.</summary>
    public const double PraiseScore = 0.3;

    /// <summary>Each further stock phrase.</summary>
    public const double ExtraPraiseScore = 0.07;

    /// <summary>Each spun word choice in a praising comment.</summary>
    public const double SpunScore = 0.3;

    public string Name => PhaseName;

    private const string Thing = @"(?:article|post|posting|blog|write-?up|information|info|content|piece(?:\s+of\s+writing)?|paragraph|site|website|web\s*site|weblog|web\s*log|webpage|web\s*page|blog\s+post|share|sharing|tips|details|data|topic|subject|article\s+post|text)";
    private const string Good = @"(?:great|nice|good|awesome|wonderful|excellent|fantastic|amazing|superb|marvel+ous|fastidious|pleasant|brilliant|informative|useful|helpful|impressive|magnificent|remarkable|outstanding|terrific|beneficial|valuable|fabulous|incredible|cool|interesting|perfect|lovely|splendid|exceptional|high\s+quality|good\s+quality|quality)";

    [GeneratedRegex(@"\b(?:thanks?|thank\s+you|thx|ty|many\s+thanks)\s+(?:a\s+lot\s+|so\s+much\s+|very\s+much\s+)?(?:for|on)\s+(?:the|this|your|that|such\s+(?:a|an)|a|an|sharing)\s+(?:\w+\s+){0,3}?" + Thing + @"\b", RegexOptions.CultureInvariant)]
    private static partial Regex ThanksFor();

    [GeneratedRegex(@"\b" + Good + @"\s+(?:\w+\s+)?" + Thing + @"\b", RegexOptions.CultureInvariant)]
    private static partial Regex GoodThing();

    [GeneratedRegex(@"\b(?:i\s+have|i've|i\s+had|i|have)\s+(?:just\s+|already\s+)?(?:bookmarked|book\s*marked|saved\s+(?:your|this)\s+(?:site|blog|web)|added\s+(?:your|this)\s+(?:site|blog|rss|feed))|\bbookmark(?:ed|ing)?\s+(?:your|this|it|the)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Bookmarked();

    [GeneratedRegex(@"\bkeep\s+(?:up\s+the\s+(?:\w+\s+)?(?:work|job|posts?|writing)|it\s+up|writing|posting|sharing|them\s+coming)\b", RegexOptions.CultureInvariant)]
    private static partial Regex KeepItUp();

    [GeneratedRegex(@"\b(?:i\s+will|i'll|i\s+am\s+going\s+to|i'm\s+going\s+to|will)\s+(?:definitely\s+|certainly\s+|surely\s+|right\s+away\s+|for\s+sure\s+)?(?:come\s+back|return|revisit|be\s+back|visit\s+(?:again|more|your|this)|be\s+coming\s+back|share\s+(?:this|it)\s+with)\b", RegexOptions.CultureInvariant)]
    private static partial Regex WillReturn();

    [GeneratedRegex(@"\b(?:i|we)\s+(?:really\s+|truly\s+|genuinely\s+|actually\s+|definitely\s+)?(?:like|love|enjoy|enjoyed|appreciate|appreciated)\s+(?:reading\s+)?(?:your|this|the)\s+(?:blog|site|website|web\s*site|weblog|post|article|writing|content|webpage|web\s*page|paragraph|piece\s+of\s+writing|information)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ILikeYourBlog();

    [GeneratedRegex(@"\b(?:this|your|the)\s+(?:blog|site|website|web\s*site|weblog|post|article|paragraph|piece\s+of\s+writing|webpage|web\s*page|post\s+post)\s+(?:is|was|has\s+been|really\s+is|are)\s+(?:\w+\s+){0,2}?" + Good + @"\b", RegexOptions.CultureInvariant)]
    private static partial Regex ThisPostIsGood();

    // Praise of the site as a site, or of the author's writing in general, and claims of loyal reading: what
    // template bots write because it fits any article ("couldn't be written any better", "I'm impressed with your
    // writing", "I read this webpage's articles daily").
    [GeneratedRegex(@"\b(?:couldn'?t|could\s+not|can'?t|cannot)\s+be\s+(?:written|put|explained)\s+(?:any\s+|much\s+)?better\b|\b(?:i'?m|i\s+am)\s+(?:really\s+|very\s+|truly\s+|extremely\s+|so\s+)?impressed\s+(?:with|by)\s+(?:your|this|the)\s+(?:writing|blog|site|website|post|article|content|web\s*page|webpage)|\b(?:read|reading|visit|visiting)\s+(?:this|your)\s+(?:web\s*page|weblog|blog|site|website|web\s*site)(?:'?s)?\s+(?:\w+\s+){0,2}?(?:daily|every\s*day|regularly|every\s+week|all\s+the\s+time)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SiteFlattery();

    // Spinner word choices: synonyms substituted into a praise template that people seldom write.
    [GeneratedRegex(@"\b(?:fastidious|weblog|web\s+log|blogosphere|piece\s+of\s+writing|paragraph\s+(?:is|are|has)|webpage|web\s+page|web\s+site|website\s+posts?|article\s+post|post\s+post|you\s*tube\s+clip|remarkable\s+(?:post|article|paragraph)|pleasant\s+(?:post|article|paragraph|piece|blog|site|data|for\s+me|designed)|marvel+ous\s+(?:post|article|blog|job|paragraph)|genuinely\s+(?:nice|good|useful|pleasant)|in\s+fact\s+(?:nice|good|pleasant|fastidious|a\s+good)|truly\s+(?:a\s+)?(?:nice|good|pleasant|fastidious)\s+(?:post|article|paragraph|piece)|unquestionably|undeniably\s+believe|excellent\s+items?|wonderful\s+(?:paragraph|piece\s+of)|good\s+quality\s+(?:post|article|content)|helpful\s+(?:data|info|information)\b|(?:extremely|very|quite|really)\s+(?:pleasant|fastidious)|this\s+site\s+are|hi\s+there\s+to\s+all|what'?s\s+up(?:\s+to\s+all|\s+it'?s\s+me|,?\s+after)|howdy|greetings\s+from|hello\s+to\s+every\s*(?:one|body)|i\s+every\s+time|everyday\s+i\s+used\s+to|rather\s+than\s+(?:that|this)\s+(?:it|i)|it'?s\s+an\s+remarkable|awesome\s+issues|amazing\s+issues|youre\s+so\s+cool|so\s+much\s+info|i\s+am\s+really\s+(?:impressed|glad|pleased|loving)|i\s+truly\s+(?:like|love|enjoy)|stay\s+up\s+the|keep\s+up\s+the\s+(?:superb|fabulous|nice)|nice\s+respond|gives\s+pleasant|i\s+could\s+not\s+resist\s+commenting|i\s+couldn'?t\s+refrain|feed\s+and\s+i\s+hope|rss\s+feed|google\s+(?:search|account)|my\s+(?:web\s*site|blog|site|homepage|web\s+page)|visit\s+my\s+(?:web|blog|site|homepage)|feel\s+free\s+to\s+(?:surf|visit)\s+to|look\s+at\s+my\s+(?:web|blog|site|homepage|page)|(?:layout|theme|design)\s+(?:of|on)\s+your\s+(?:blog|site|weblog|website|web\s*site)|(?:paid|custom)\s+theme|blog\s+platform|customi[sz]e\s+it\s+your\s*self|(?:previous|old)\s+room\s*mate|forward\s+this\s+(?:article|post|page|write-?up)\s+to|along\s+with\s+a\s+(?:cup|mug)\s+of\s+coffee|keen\s+of)", RegexOptions.CultureInvariant)]
    private static partial Regex Spun();

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var signals = SpamSignals.Of(context);
        var text = signals.Text;
        var lower = text.Lower;
        var flags = new List<ModerationFlag>();
        foreach (var (pattern, gate) in Patterns)
        {
            if (!MayMatch(lower, gate))
            {
                continue;
            }
            var m = pattern.Match(lower);
            if (m.Success && !Overlaps(flags, text, m))
            {
                var score = flags.Count == 0 ? PraiseScore : ExtraPraiseScore;
                flags.Add(text.Flag("spam.generic_praise", Name, score, m.Index, m.Length, "stock praise"));
            }
        }
        if (flags.Count == 0)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var spun = 0;
        foreach (Match m in Spun().Matches(lower))
        {
            // Odd wording counts only around praise: "a marvellous film" in a real review is just prose.
            flags.Add(text.Flag("spam.spun_praise", Name, spun == 0 ? SpunScore : SpunScore / 2, m.Index, m.Length, "spun template wording"));
            if (++spun == 4)
            {
                break;
            }
        }
        return ValueTask.FromResult(signals.Report(flags));
    }

    // Literals a match needs ("a|b & c": one of a, b and also c), so most comments skip most expressions unrun.
    private const string ThingGate = "article|post|blog|write|info|content|piece|paragraph|site|web|shar|tips|details|data|topic|subject|text";

    // Edged groups (see LiteralGate): the thing praised and the praising word as they stand in a match, after
    // whitespace and, for whole words, before a word edge. "rewrites" holds "write", "goodness" holds "good".
    private const string EdgedThing = @"\barticle|\bpost|\bblog|\bwrite|\binfo|\bcontent|\bpiece|\bparagraph|\bsite|\bweb|\bshar|\btips|\bdetails|\bdata|\btopic|\bsubject|\btext";

    private const string EdgedGood =
        @"\bgreat\b|\bnice\b|\bgood\b|\bawesome\b|\bwonderful\b|\bexcellent\b|\bfantastic\b|\bamazing\b|\bsuperb\b|\bmarvel|\bfastidious\b|\bpleasant\b"
        + @"|\bbrilliant\b|\binformative\b|\buseful\b|\bhelpful\b|\bimpressive\b|\bmagnificent\b|\bremarkable\b|\boutstanding\b|\bterrific\b|\bbeneficial\b"
        + @"|\bvaluable\b|\bfabulous\b|\bincredible\b|\bcool\b|\binteresting\b|\bperfect\b|\blovely\b|\bsplendid\b|\bexceptional\b|\bhigh\b|\bquality\b";

    internal static readonly (Regex Pattern, LiteralGate Gate)[] Patterns =
    [
        (ThanksFor(), CommercialPhase.Gates("thank|thx|ty & " + ThingGate + @" & \bthank|\bthx\b|\bty\b & " + EdgedThing)),
        (GoodThing(), CommercialPhase.Gates(ThingGate + " & " + EdgedGood + " & " + EdgedThing)),
        (Bookmarked(), CommercialPhase.Gates("book|saved|added")),
        (KeepItUp(), CommercialPhase.Gates("keep")),
        (WillReturn(), CommercialPhase.Gates("back|return|revisit|visit|share")),
        (ILikeYourBlog(), CommercialPhase.Gates("blog|site|web|post|article|writing|content|paragraph|piece|information"
            + @" & \blike\b|\blove\b|\benjoy\b|\benjoyed\b|\bappreciate\b|\bappreciated\b"
            + @" & \bblog\b|\bsite\b|\bwebsite\b|\bweb|\bweblog\b|\bpost\b|\barticle\b|\bwriting\b|\bcontent\b|\bwebpage\b|\bparagraph\b|\bpiece\b|\binformation\b")),
        (ThisPostIsGood(), CommercialPhase.Gates(@"blog|site|web|post|article|paragraph|piece & \bblog|\bsite|\bweb|\bpost|\barticle|\bparagraph|\bpiece & " + EdgedGood)),
        (SiteFlattery(), CommercialPhase.Gates("better|impressed|daily|every|regularly|time")),
    ];

    internal static bool MayMatch(string lower, IReadOnlyList<SearchValues<string>> gate) => LiteralGate.MayMatch(lower, gate);

    private static bool Overlaps(List<ModerationFlag> flags, SpamText text, Match m)
    {
        var (start, length) = text.ToOriginal(m.Index, m.Length);
        foreach (var f in flags)
        {
            if (f.Start < start + length && start < f.Start + f.Length)
            {
                return true;
            }
        }
        return false;
    }
}

using System.Runtime.CompilerServices;
using CommentService.Moderation.Text;

namespace CommentService.Moderation.Site;

/// <summary>
/// A site's own word list (<see cref="ModerationPolicy.Terms"/>): banned terms hold or reject the comment,
/// suspect terms only flag it. Terms match whole words of the aggressive view, so a disguised spelling
/// matches too ("c.a.s.i.n.o", "cаsino" with a Cyrillic а); a plural -s/-es is accepted, a trailing '*'
/// matches any ending ("casino*"), and several words match in sequence. Evidence points into the original.
/// Site terms apply to every author, trusted ones included: they are the site's explicit rules.
/// </summary>
public sealed class SiteTermsPhase : IModerationPhase
{
    public const string PhaseName = "site-terms";

    private const int MaxHitsPerTerm = 5;

    // Policies are long-lived per site; compile each term list once.
    private static readonly ConditionalWeakTable<IReadOnlyList<SiteTerm>, CompiledTerm[]> Compiled = new();

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var terms = context.Request.Policy.Terms;
        if (terms.Count == 0)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        var compiled = Compiled.GetValue(terms, Compile);
        var view = context.Aggressive;
        var words = view.WordSpan;
        List<ModerationFlag>? flags = null;
        var worst = (TermAction?)null;
        foreach (var term in compiled)
        {
            var hits = 0;
            for (var w = 0; w < words.Length && hits < MaxHitsPerTerm; w++)
            {
                var last = term.MatchAt(view, w);
                if (last < 0)
                {
                    continue;
                }
                hits++;
                var (start, length) = view.ToOriginal(words[w].Start, words[last].End - words[w].Start);
                var action = term.Source.Action;
                flags ??= [];
                flags.Add(new ModerationFlag(
                    action == TermAction.Flag ? "site.suspect_term" : "site.banned_term",
                    PhaseName,
                    action == TermAction.Flag ? 0.25 : 1.0,
                    view.Original.Substring(start, length),
                    start,
                    length,
                    $"{action.ToString().ToLowerInvariant()}: {term.Source.Term}"));
                if (worst is null || action > worst)
                {
                    worst = action;
                }
                w = last;
            }
        }
        if (flags is null)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        ModerationOutcome? decision = worst switch
        {
            TermAction.Reject => ModerationOutcome.Rejected,
            TermAction.Hold => ModerationOutcome.Pending,
            _ => null,
        };
        return ValueTask.FromResult(new PhaseResult(flags, decision));
    }

    private static CompiledTerm[] Compile(IReadOnlyList<SiteTerm> terms)
    {
        var compiled = new List<CompiledTerm>(terms.Count);
        foreach (var term in terms)
        {
            if (CompiledTerm.TryCreate(term) is { } c)
            {
                compiled.Add(c);
            }
        }
        return [.. compiled];
    }

    private sealed class CompiledTerm
    {
        private static readonly IReadOnlyList<LetterPattern?> Plural = [null, LetterPattern.FromPlain("s"), LetterPattern.FromPlain("es")];

        private readonly LetterPattern?[] patterns;
        private readonly string[] literals;
        private readonly bool prefix;

        private CompiledTerm(SiteTerm source, LetterPattern?[] patterns, string[] literals, bool prefix)
        {
            Source = source;
            this.patterns = patterns;
            this.literals = literals;
            this.prefix = prefix;
        }

        public SiteTerm Source { get; }

        public static CompiledTerm? TryCreate(SiteTerm term)
        {
            var text = term.Term.Trim();
            var prefix = text.EndsWith('*');
            var view = TextViews.Aggressive(text.TrimEnd('*'));
            if (view.Words.Count == 0)
            {
                return null;
            }
            var patterns = new LetterPattern?[view.Words.Count];
            var literals = new string[view.Words.Count];
            for (var i = 0; i < patterns.Length; i++)
            {
                var word = view.Words[i];
                literals[i] = view.TextOf(word);
                // Letters outside a-z (Chinese, Arabic, ...) cannot be matched by letter sets: such a word
                // is compared as written.
                patterns[i] = literals[i].All(c => c == '*' || LetterMasks.Of(c) != 0) ? LetterPattern.FromPlain(literals[i]) : null;
            }
            return new CompiledTerm(term, patterns, literals, prefix);
        }

        /// <summary>The last view word of a match starting at word <paramref name="w"/>, or -1.</summary>
        public int MatchAt(AggressiveView view, int w)
        {
            var words = view.WordSpan;
            if (w + patterns.Length > words.Length)
            {
                return -1;
            }
            for (var k = 0; k < patterns.Length; k++)
            {
                if (!WordMatches(view, words[w + k], k, k == patterns.Length - 1))
                {
                    return -1;
                }
            }
            return w + patterns.Length - 1;
        }

        private bool WordMatches(AggressiveView view, ViewWord word, int k, bool isLast)
        {
            var pattern = patterns[k];
            if (pattern is null)
            {
                var text = view.TextOf(word);
                return isLast && prefix ? text.StartsWith(literals[k], StringComparison.Ordinal) : text == literals[k];
            }
            ReadOnlySpan<ulong> letters = view.Letters(word);
            if (word.Kind == WordKind.Number)
            {
                // A number matches a term only digit for digit: a site banning "ass" does not ban "455 pages".
                var digits = new ulong[letters.Length];
                for (var i = 0; i < digits.Length; i++)
                {
                    digits[i] = letters[i] & LetterMasks.AllDigits;
                }
                letters = digits;
            }
            return isLast && prefix ? pattern.PrefixEnds(letters) != 0 : pattern.MatchesWithSuffix(letters, Plural);
        }
    }
}

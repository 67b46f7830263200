using System.Buffers;
using System.Collections;

namespace CommentService.Moderation.Spam;

/// <summary>
/// A rule's gate: groups of literal substrings, one of each group being necessary for the rule's expression to
/// match, so a comment without them is passed over without running the expression. Written "a|b &amp; c|d": '&amp;'
/// separates the groups, '|' the literals of a group. Literals are single words or parts of words: a space in one
/// would let "go  to" (two spaces) slip past.
/// <para>
/// A literal written with <c>\b</c> before or after it must also stand at a word edge there: "\bviews\b" is not
/// satisfied by "interviews" or "viewsheds". Write an edge only where the expression puts whitespace or <c>\b</c>
/// beside that word in every match, so that the group stays necessary; such groups are what keep the expressions
/// with common words ("views", "good", "need") from running on ordinary prose.
/// </para>
/// The gate is also the list of its literal groups (each a necessary condition on its own), as rules expose it.
/// </summary>
internal sealed class LiteralGate : IReadOnlyList<SearchValues<string>>
{
    private readonly SearchValues<string>[] groups;
    private readonly Group[] checks;

    private LiteralGate(SearchValues<string>[] groups, Group[] checks)
    {
        this.groups = groups;
        this.checks = checks;
    }

    private readonly record struct EdgedLiteral(string Text, bool Start, bool End);

    /// <summary>
    /// One group as it is searched: single characters with a vectorised character search, longer literals with a
    /// string search. Kept apart because a string search over a mix of them ("$|€|£|usd|dollar") falls back to a
    /// slow automaton, while each part alone is fast; the group holds when either part finds something.
    /// </summary>
    private sealed class Group
    {
        private readonly SearchValues<char>? characters;
        private readonly SearchValues<string>? strings;

        // The literals with their edges, when any literal of the group has one.
        private readonly EdgedLiteral[]? edged;

        public Group(EdgedLiteral[] literals)
        {
            var single = literals.Where(l => l.Text.Length == 1).Select(l => l.Text[0]).ToArray();
            var longer = literals.Where(l => l.Text.Length > 1).Select(l => l.Text).ToArray();
            characters = single.Length > 0 ? SearchValues.Create(single) : null;
            strings = longer.Length > 0 ? SearchValues.Create(longer, StringComparison.Ordinal) : null;
            edged = literals.Any(l => l.Start || l.End) ? literals : null;
        }

        public bool OccursIn(ReadOnlySpan<char> lower)
        {
            if (edged is null)
            {
                return (characters is not null && lower.IndexOfAny(characters) >= 0)
                    || (strings is not null && lower.IndexOfAny(strings) >= 0);
            }
            return (characters is not null && OccursAtEdges(lower, characters, edged))
                || (strings is not null && OccursAtEdges(lower, strings, edged));
        }
    }

    public static LiteralGate Parse(string gate)
    {
        var groupTexts = gate.Split('&', StringSplitOptions.TrimEntries);
        var groups = new SearchValues<string>[groupTexts.Length];
        var checks = new Group[groupTexts.Length];
        for (var g = 0; g < groupTexts.Length; g++)
        {
            var literals = groupTexts[g].Split('|', StringSplitOptions.TrimEntries)
                .Select(l =>
                {
                    var start = l.StartsWith(@"\b", StringComparison.Ordinal);
                    var end = l.Length > 2 && l.EndsWith(@"\b", StringComparison.Ordinal);
                    return new EdgedLiteral(l[(start ? 2 : 0)..(end ? l.Length - 2 : l.Length)], start, end);
                })
                .ToArray();
            if (literals.Any(l => l.Text.Length == 0 || l.Text.Contains('\\')))
            {
                throw new ArgumentException($"Bad literal in gate '{gate}'.", nameof(gate));
            }
            groups[g] = SearchValues.Create(literals.Select(l => l.Text).ToArray(), StringComparison.Ordinal);
            checks[g] = new Group(literals);
        }
        return new LiteralGate(groups, checks);
    }

    /// <summary>Whether the lower-cased text holds a literal of every group, at its word edges (a match is possible).</summary>
    public bool MayMatch(ReadOnlySpan<char> lower)
    {
        foreach (var group in checks)
        {
            if (!group.OccursIn(lower))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The gates' check for a rule built with a plain list of groups, or with a gate.</summary>
    public static bool MayMatch(ReadOnlySpan<char> lower, IReadOnlyList<SearchValues<string>> gate)
    {
        if (gate is LiteralGate literalGate)
        {
            return literalGate.MayMatch(lower);
        }
        foreach (var group in gate)
        {
            if (lower.IndexOfAny(group) < 0)
            {
                return false;
            }
        }
        return true;
    }

    // Every occurrence of a literal the search finds, leftmost first, until one stands at the edges it asks for.
    private static bool OccursAtEdges(ReadOnlySpan<char> lower, SearchValues<char> any, EdgedLiteral[] literals)
    {
        for (var at = lower.IndexOfAny(any); at >= 0; at = Next(lower, at, lower[(at + 1)..].IndexOfAny(any)))
        {
            if (AtEdges(lower, at, literals))
            {
                return true;
            }
        }
        return false;
    }

    private static bool OccursAtEdges(ReadOnlySpan<char> lower, SearchValues<string> any, EdgedLiteral[] literals)
    {
        for (var at = lower.IndexOfAny(any); at >= 0; at = Next(lower, at, lower[(at + 1)..].IndexOfAny(any)))
        {
            if (AtEdges(lower, at, literals))
            {
                return true;
            }
        }
        return false;
    }

    private static int Next(ReadOnlySpan<char> lower, int at, int found) => found < 0 ? -1 : at + 1 + found;

    // Whether a literal of the group starts at 'at' with the edges it asks for.
    private static bool AtEdges(ReadOnlySpan<char> lower, int at, EdgedLiteral[] literals)
    {
        foreach (var literal in literals)
        {
            var end = at + literal.Text.Length;
            if (literal.Text[0] == lower[at]
                && lower[at..].StartsWith(literal.Text, StringComparison.Ordinal)
                && (!literal.Start || at == 0 || !IsWordCharacter(lower[at - 1]))
                && (!literal.End || end == lower.Length || !IsWordCharacter(lower[end])))
            {
                return true;
            }
        }
        return false;
    }

    // Letters, digits and '_' are word characters to \b, which counts a few more (combining marks, joiners): a
    // literal this finds at no edge is at none for the expression either, so the gate never closes on a match.
    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

    public int Count => groups.Length;

    public SearchValues<string> this[int index] => groups[index];

    public IEnumerator<SearchValues<string>> GetEnumerator() => ((IEnumerable<SearchValues<string>>)groups).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

namespace CommentService.Moderation.Text;

/// <summary>
/// A word to look for in the aggressive view, as runs of letter sets: "ass" is one a, then at least two
/// s. A run matches one or more view positions whose masks share a letter with it, so repeated letters
/// ("fuuuck", "shiiit") and positions standing for several letters ('1' for i or l, '*' for any) match
/// without trying alternatives one by one. Matching simulates the pattern's small automaton over the
/// view positions with a 64-bit state set: linear in the word's length, no backtracking.
/// </summary>
internal sealed class LetterPattern
{
    private const int MaxStates = 63;

    private readonly ulong[] runMasks;
    private readonly int[] runMins;
    private readonly int[] offsets;
    private readonly byte[] runOfState;
    private readonly ulong accept;

    // For CouldOccurIn: the letters of the runs of one letter (all of which a match needs), and the runs of
    // several letters ('*'), each of which needs one of its letters.
    private readonly ulong requiredLetters;
    private readonly ulong[] choiceRuns;

    private LetterPattern(ulong[] runMasks, int[] runMins, string text)
    {
        this.runMasks = runMasks;
        this.runMins = runMins;
        offsets = new int[runMasks.Length];
        var offset = 0;
        for (var j = 0; j < runMasks.Length; j++)
        {
            offsets[j] = offset;
            offset += runMins[j];
        }
        MinLength = offset;
        accept = 1UL << (offset - 1);
        runOfState = new byte[offset];
        for (var j = 0; j < runMasks.Length; j++)
        {
            for (var c = 0; c < runMins[j]; c++)
            {
                runOfState[offsets[j] + c] = (byte)j;
            }
        }
        Text = text;
        var choices = new List<ulong>();
        foreach (var run in runMasks)
        {
            if (System.Numerics.BitOperations.IsPow2(run))
            {
                requiredLetters |= run;
            }
            else
            {
                choices.Add(run);
            }
        }
        choiceRuns = [.. choices];
    }

    /// <summary>The pattern as written (for messages and tests).</summary>
    public string Text { get; }

    /// <summary>The fewest view positions the pattern can match.</summary>
    public int MinLength { get; }

    /// <summary>The letters every match holds: those of the runs of one letter.</summary>
    public ulong RequiredLetters => requiredLetters;

    /// <summary>Whether some run allows several letters, so <see cref="CouldOccurIn"/> tests more than <see cref="RequiredLetters"/>.</summary>
    public bool HasChoiceRuns => choiceRuns.Length > 0;

    /// <summary>The letters the first position may hold.</summary>
    public ulong FirstMask => runMasks[0];

    /// <summary>
    /// A pattern for a plain word: lower-case letters and digits, '*' for any letter. Returns null for a
    /// word with nothing to match or too long to match (over 63 letters).
    /// </summary>
    public static LetterPattern? FromPlain(string word)
    {
        Span<ulong> masks = stackalloc ulong[Math.Min(word.Length, MaxStates + 1)];
        var n = 0;
        foreach (var c in word)
        {
            if (n > MaxStates)
            {
                return null;
            }
            var mask = c == '*' ? LetterMasks.AllLetters : LetterMasks.Of(char.ToLowerInvariant(c));
            if (mask == 0)
            {
                continue;
            }
            masks[n++] = mask;
        }
        return FromMasks(masks[..n], word);
    }

    /// <summary>A pattern from view masks (e.g. a site term put through the aggressive view); equal neighbours form one run.</summary>
    public static LetterPattern? FromMasks(ReadOnlySpan<ulong> masks, string text)
    {
        if (masks.IsEmpty || masks.Length > MaxStates)
        {
            return null;
        }
        var runMasks = new List<ulong>(masks.Length);
        var runMins = new List<int>(masks.Length);
        foreach (var mask in masks)
        {
            if (mask == 0)
            {
                return null;
            }
            if (runMasks.Count > 0 && runMasks[^1] == mask)
            {
                runMins[^1]++;
            }
            else
            {
                runMasks.Add(mask);
                runMins.Add(1);
            }
        }
        return new LetterPattern([.. runMasks], [.. runMins], text);
    }

    private ulong Step(ulong current, ulong position, bool start)
    {
        if (current == 0)
        {
            return start && (position & runMasks[0]) != 0 ? 1UL : 0;
        }
        ulong next = 0;
        // Only runs holding a live state, or the run right after one, can change.
        var from = start ? 0 : runOfState[System.Numerics.BitOperations.TrailingZeroCount(current)];
        var to = Math.Min(runMasks.Length - 1, runOfState[63 - System.Numerics.BitOperations.LeadingZeroCount(current)] + 1);
        for (var j = from; j <= to; j++)
        {
            if ((position & runMasks[j]) == 0)
            {
                continue;
            }
            var offset = offsets[j];
            var min = runMins[j];
            var runBits = ((1UL << min) - 1) << offset;
            var inRun = current & runBits;
            if (inRun != 0)
            {
                var last = 1UL << (offset + min - 1);
                next |= ((inRun << 1) & runBits) | (inRun & last);
            }
            var enter = j == 0 ? start : (current & (1UL << (offsets[j - 1] + runMins[j - 1] - 1))) != 0;
            if (enter)
            {
                next |= 1UL << offset;
            }
        }
        return next;
    }

    /// <summary>A cheap pre-check: whether a word whose positions together hold <paramref name="letters"/> could match at all.</summary>
    public bool CouldOccurIn(ulong letters)
    {
        // Every run needs one of its letters among them: one mask test for all the single-letter runs at once.
        if ((letters & requiredLetters) != requiredLetters)
        {
            return false;
        }
        foreach (var run in choiceRuns)
        {
            if ((letters & run) == 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the pattern matches all of <paramref name="view"/>.</summary>
    public bool MatchesWhole(ReadOnlySpan<ulong> view)
    {
        if (view.Length < MinLength)
        {
            return false;
        }
        ulong state = 0;
        for (var i = 0; i < view.Length; i++)
        {
            state = Step(state, view[i], i == 0);
            if (state == 0)
            {
                return false;
            }
        }
        return (state & accept) != 0;
    }

    /// <summary>
    /// Where a match starting at the first position can end: bit i set when view[..i] matches (i up to 63).
    /// </summary>
    public ulong PrefixEnds(ReadOnlySpan<ulong> view)
    {
        if (view.Length < MinLength)
        {
            return 0;
        }
        ulong state = 0;
        ulong ends = 0;
        var limit = Math.Min(view.Length, 63);
        for (var i = 0; i < limit; i++)
        {
            state = Step(state, view[i], i == 0);
            if (state == 0)
            {
                break;
            }
            if ((state & accept) != 0)
            {
                ends |= 1UL << (i + 1);
            }
        }
        return ends;
    }

    /// <summary>Whether the pattern matches somewhere inside <paramref name="view"/>.</summary>
    public bool OccursIn(ReadOnlySpan<ulong> view)
    {
        if (view.Length < MinLength)
        {
            return false;
        }
        ulong state = 0;
        for (var i = 0; i < view.Length; i++)
        {
            state = Step(state, view[i], true);
            if ((state & accept) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the pattern matches a tail of <paramref name="view"/> (a suffix of the word).</summary>
    public bool EndsIn(ReadOnlySpan<ulong> view)
    {
        if (view.Length < MinLength)
        {
            return false;
        }
        ulong state = 0;
        for (var i = 0; i < view.Length; i++)
        {
            state = Step(state, view[i], true);
        }
        return (state & accept) != 0;
    }

    /// <summary>Whether the pattern matches the start of <paramref name="view"/> followed by exactly one of <paramref name="suffixes"/> ("" for none).</summary>
    public bool MatchesWithSuffix(ReadOnlySpan<ulong> view, IReadOnlyList<LetterPattern?> suffixes)
    {
        var ends = PrefixEnds(view);
        while (ends != 0)
        {
            var end = System.Numerics.BitOperations.TrailingZeroCount(ends);
            ends &= ends - 1;
            var rest = view[end..];
            foreach (var suffix in suffixes)
            {
                if (suffix is null ? rest.IsEmpty : suffix.MatchesWhole(rest))
                {
                    return true;
                }
            }
        }
        return false;
    }

    public override string ToString() => Text;
}

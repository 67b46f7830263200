namespace CommentService.Moderation.Spam;

/// <summary>
/// Turns a comment into the hashed features the <see cref="SpamModel"/> counts: lower-case words and word
/// pairs, character 4-grams (which survive spelling tricks and inflections), link hosts, and a few shape
/// features (length, links, digits, capitals). Each feature is present or not (counted once per comment).
/// </summary>
public static class SpamFeatures
{
    /// <summary>Bumped whenever the features change; a model trained on other features is refused.</summary>
    public const int Version = 1;

    /// <summary>The distinct feature hashes of one comment.</summary>
    public static HashSet<uint> Extract(string body) => Extract(SpamText.From(body), null);

    /// <summary>The distinct feature hashes of one comment, reusing a view and links already built.</summary>
    public static HashSet<uint> Extract(SpamText text, IReadOnlyList<FoundLink>? links) => Extract(text, links, null, true, null);

    /// <summary>
    /// The distinct feature hashes of one comment, leaving out the words at <paramref name="neutral"/> (spans of
    /// <see cref="SpamText.Text"/>, in order) and, without <paramref name="linkShape"/>, the features that only say a
    /// link is there (its kind, the number of links, its top-level domain); link hosts always count, except links to
    /// <paramref name="siteHost"/> (the article's own site), which add no feature at all.
    /// </summary>
    public static HashSet<uint> Extract(SpamText text, IReadOnlyList<FoundLink>? links, IReadOnlyList<(int Start, int Length)>? neutral, bool linkShape, string? siteHost)
    {
        var features = FeatureSet.ForThread();
        Fill(features, text, links, neutral, linkShape, siteHost);
        return features.ToHashSet();
    }

    /// <summary>
    /// Adds the features of <see cref="Extract(SpamText, IReadOnlyList{FoundLink}?, IReadOnlyList{ValueTuple{int, int}}?, bool, string?)"/>
    /// to <paramref name="features"/>, in the same order: the classifier scores them from there without building a set.
    /// </summary>
    internal static void Fill(FeatureSet features, SpamText text, IReadOnlyList<FoundLink>? links, IReadOnlyList<(int Start, int Length)>? neutral, bool linkShape, string? siteHost)
    {
        links ??= SpamLinks.Find(text);
        var lower = text.Lower;
        string? previous = null;
        var linkIndex = 0;
        var neutralIndex = 0;
        var words = 0;
        foreach (var token in text.WordList)
        {
            while (linkIndex < links.Count && links[linkIndex].Start + links[linkIndex].Length <= token.Start)
            {
                linkIndex++;
            }
            if (linkIndex < links.Count && token.Start >= links[linkIndex].Start)
            {
                continue; // words inside a link are represented by its host
            }
            if (neutral is not null)
            {
                while (neutralIndex < neutral.Count && neutral[neutralIndex].Start + neutral[neutralIndex].Length <= token.Start)
                {
                    neutralIndex++;
                }
                if (neutralIndex < neutral.Count && token.Start >= neutral[neutralIndex].Start)
                {
                    previous = null;
                    continue;
                }
            }
            var word = Shape(token.Value);
            features.Add(Hash('w', word));
            if (previous is not null)
            {
                features.Add(Hash('b', previous, word));
            }
            previous = word;
            words++;
        }

        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (siteHost is not null && LinkPhase.SameSite(link.Host, siteHost))
            {
                continue; // a link to the article's own site is part of the conversation, not a link drop
            }
            features.Add(Hash('h', link.Host));
            if (!linkShape)
            {
                continue;
            }
            features.Add(Hash('u', link.Kind.ToString()));
            var dot = link.Host.LastIndexOf('.');
            if (dot >= 0)
            {
                features.Add(HashSpan('t', link.Host.AsSpan(dot)));
            }
        }

        AddCharGrams(lower, Skipped(links, neutral), features);

        features.Add(Hash('l', Bucket(words)));
        if (linkShape)
        {
            var offSite = 0;
            for (var i = 0; i < links.Count; i++)
            {
                var link = links[i];
                offSite += siteHost is not null && LinkPhase.SameSite(link.Host, siteHost) ? 0 : 1;
            }
            features.Add(Hash('n', Bucket(offSite)));
        }
        var letters = 0;
        var upper = 0;
        var digits = 0;
        foreach (var c in text.Text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (char.IsUpper(c))
                {
                    upper++;
                }
            }
            else if (char.IsDigit(c))
            {
                digits++;
            }
        }
        if (letters >= 12 && upper * 10 >= letters * 6)
        {
            features.Add(Hash('s', "caps"));
        }
        if (digits >= 6)
        {
            features.Add(Hash('s', "digits"));
        }
    }

    /// <summary>
    /// The comment-length features. In the training data spam is much longer than legitimate comments, which
    /// elsewhere is not true; the model learns length through these during training (so that ordinary words do
    /// not soak it up) and ignores them when scoring.
    /// </summary>
    public static IReadOnlySet<uint> LengthFeatures => LengthFeatureSet;

    // The concrete set, so that scoring looks a feature up without an interface call.
    internal static readonly HashSet<uint> LengthFeatureSet = [.. new[] { 0, 1, 2, 3, 5, 9, 17, 33 }.Select(n => Hash('l', Bucket(n)))];

    // Numbers keep only their shape, so "2014" and "2015" and prices share features.
    private static string Shape(string word)
    {
        var allDigits = true;
        foreach (var c in word)
        {
            if (!char.IsAsciiDigit(c))
            {
                allDigits = false;
                break;
            }
        }
        return allDigits ? "#" + Math.Min(word.Length, 5) : word;
    }

    private static string Bucket(int n) => n switch
    {
        0 => "0",
        1 => "1",
        2 => "2",
        <= 4 => "3-4",
        <= 8 => "5-8",
        <= 16 => "9-16",
        <= 32 => "17-32",
        _ => "33+",
    };

    // The spans the character grams leave out, in order: the links, and the neutral words when there are any.
    private static (int Start, int Length)[] Skipped(IReadOnlyList<FoundLink> links, IReadOnlyList<(int Start, int Length)>? neutral)
    {
        var extra = neutral?.Count ?? 0;
        if (links.Count + extra == 0)
        {
            return [];
        }
        var spans = new (int Start, int Length)[links.Count + extra];
        for (var i = 0; i < links.Count; i++)
        {
            spans[i] = (links[i].Start, links[i].Length);
        }
        for (var i = 0; i < extra; i++)
        {
            spans[links.Count + i] = neutral![i];
        }
        if (extra > 0)
        {
            // The links come in order already; with neutral words, sort by start (the same sort List.Sort runs).
            spans.AsSpan().Sort(static (a, b) => a.Start.CompareTo(b.Start));
        }
        return spans;
    }

    // 4-grams over letters and digits with every other run collapsed to one space, the skipped spans (links,
    // neutral words; in order, possibly overlapping) left out. The window of four characters is kept packed in
    // one 64-bit value, oldest character in the low bits.
    private static void AddCharGrams(string lower, ReadOnlySpan<(int Start, int Length)> skipped, FeatureSet features)
    {
        // The comment starts with a space: it sits in the window as if it were the last character to arrive.
        var window = (ulong)' ' << 48;
        var filled = 1;
        var lastWasSpace = true;
        var skipIndex = 0;
        for (var i = 0; i < lower.Length; i++)
        {
            while (skipIndex < skipped.Length && i >= skipped[skipIndex].Start + skipped[skipIndex].Length)
            {
                skipIndex++;
            }
            if (skipIndex < skipped.Length && i >= skipped[skipIndex].Start)
            {
                continue;
            }
            var c = lower[i];
            char mapped;
            if (char.IsLetterOrDigit(c))
            {
                mapped = c;
                lastWasSpace = false;
            }
            else
            {
                if (lastWasSpace)
                {
                    continue;
                }
                mapped = ' ';
                lastWasSpace = true;
            }
            window = (window >> 16) | ((ulong)mapped << 48);
            if (filled < 4)
            {
                filled++;
                if (filled < 4)
                {
                    continue;
                }
            }
            features.Add(HashGram(window));
        }
    }

    /// <summary>The hash <see cref="HashSpan"/> gives the four characters of a packed window (tag 'c').</summary>
    private static uint HashGram(ulong window)
    {
        var h = unchecked((FnvOffset ^ 'c') * FnvPrime);
        for (var k = 0; k < 4; k++)
        {
            h = Step(h, (char)(window >> (16 * k)));
        }
        return h;
    }

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;
    private const uint FnvPrimeSquared = unchecked(FnvPrime * FnvPrime);

    /// <summary>Stable 32-bit FNV-1a hash of a tagged string (string.GetHashCode is randomised per process).</summary>
    internal static uint Hash(char tag, string value) => HashSpan(tag, value);

    internal static uint Hash(char tag, string first, string second)
    {
        var h = Hash(tag, first);
        h = (h ^ ' ') * FnvPrime;
        foreach (var c in second)
        {
            h = Step(h, c);
        }
        return h;
    }

    private static uint HashSpan(char tag, ReadOnlySpan<char> value)
    {
        var h = (FnvOffset ^ tag) * FnvPrime;
        foreach (var c in value)
        {
            h = Step(h, c);
        }
        return h;
    }

    // One character: its low byte, then its high byte, each xored in and multiplied by the prime. Below 256 the
    // high byte is 0 and its step a bare multiplication, so both fold into one by the prime squared (modulo 2^32
    // the same value, in half the dependent multiplications).
    private static uint Step(uint h, char c) =>
        c < 256 ? (h ^ c) * FnvPrimeSquared : (((h ^ c) * FnvPrime) ^ (uint)(c >> 8)) * FnvPrime;
}

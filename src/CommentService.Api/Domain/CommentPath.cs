namespace CommentService.Api.Domain;

/// <summary>
/// A comment's place in its thread as a materialized path: one fixed-width segment per level,
/// each the base-36 sibling number assigned at creation. Fixed width and the digits-before-letters
/// alphabet make byte order (COLLATE "C") equal to depth-first order with siblings by creation,
/// so a subtree is the range [path, path + "~") and ancestors are the path's prefixes.
/// </summary>
public static class CommentPath
{
    public const int SegmentWidth = 6;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>Greater than every character of the alphabet, so path + UpperBound ends a subtree's range.</summary>
    public const char UpperBound = '~';

    public const long MaxSiblings = 2_176_782_335; // 36^6 - 1

    public static string Segment(long sequence)
    {
        if (sequence is < 1 or > MaxSiblings)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "sibling number out of range");
        }
        Span<char> chars = stackalloc char[SegmentWidth];
        for (var i = SegmentWidth - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(sequence % 36)];
            sequence /= 36;
        }
        return new string(chars);
    }

    public static string Child(string? parentPath, long sequence) => (parentPath ?? "") + Segment(sequence);

    public static int DepthOf(string path) => path.Length / SegmentWidth - 1;

    public static string SubtreeEnd(string path) => path + UpperBound;

    /// <summary>The paths of every proper ancestor, root first.</summary>
    public static string[] Ancestors(string path)
    {
        var depth = DepthOf(path);
        var result = new string[depth];
        for (var level = 0; level < depth; level++)
        {
            result[level] = path[..((level + 1) * SegmentWidth)];
        }
        return result;
    }

    public static bool IsWellFormed(string path) =>
        path.Length > 0 && path.Length % SegmentWidth == 0 && path.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'z');
}

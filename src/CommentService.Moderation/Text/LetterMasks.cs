namespace CommentService.Moderation.Text;

/// <summary>
/// Sets of letters and digits as bit masks: bits 0-25 are a-z, bits 26-35 the digits 0-9. A view
/// position whose character may stand for several letters ('1' for i or l) holds all of them.
/// </summary>
internal static class LetterMasks
{
    public const ulong AllLetters = (1UL << 26) - 1;
    public const ulong AllDigits = ((1UL << 10) - 1) << 26;

    public static ulong Of(char c) => c switch
    {
        >= 'a' and <= 'z' => 1UL << (c - 'a'),
        >= '0' and <= '9' => 1UL << (26 + c - '0'),
        _ => 0,
    };

    public static ulong Of(string letters)
    {
        ulong mask = 0;
        foreach (var c in letters)
        {
            mask |= Of(c);
        }
        return mask;
    }
}

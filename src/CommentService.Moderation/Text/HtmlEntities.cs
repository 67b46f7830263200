using System.Globalization;
using System.Net;

namespace CommentService.Moderation.Text;

/// <summary>Decodes one HTML character reference (&amp;#117; &amp;#x75; &amp;eacute;) where it starts.</summary>
internal static class HtmlEntities
{
    /// <summary>When text[index] starts a character reference, its decoded text and the reference's length.</summary>
    public static bool TryDecode(string text, int index, out string decoded, out int length)
    {
        decoded = "";
        length = 0;
        if (index + 2 >= text.Length || text[index] != '&')
        {
            return false;
        }
        if (text[index + 1] == '#')
        {
            var hex = text[index + 2] is 'x' or 'X';
            var i = index + (hex ? 3 : 2);
            var digitsStart = i;
            while (i < text.Length && i - digitsStart < 8 && (hex ? char.IsAsciiHexDigit(text[i]) : char.IsAsciiDigit(text[i])))
            {
                i++;
            }
            if (i == digitsStart
                || !int.TryParse(text.AsSpan(digitsStart, i - digitsStart), hex ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture, out var cp)
                || cp is <= 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
            {
                return false;
            }
            if (i < text.Length && text[i] == ';')
            {
                i++;
            }
            decoded = char.ConvertFromUtf32(cp);
            length = i - index;
            return true;
        }
        var end = index + 1;
        while (end < text.Length && end - index <= 32 && char.IsAsciiLetterOrDigit(text[end]))
        {
            end++;
        }
        if (end == index + 1 || end >= text.Length || text[end] != ';')
        {
            return false;
        }
        var reference = text.Substring(index, end - index + 1);
        var result = WebUtility.HtmlDecode(reference);
        if (result == reference)
        {
            return false;
        }
        decoded = result;
        length = reference.Length;
        return true;
    }
}

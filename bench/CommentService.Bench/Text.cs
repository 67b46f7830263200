namespace CommentService.Bench;

/// <summary>
/// Reader-like comment text from a seeded generator: sentences of common words with the length spread of
/// real threads (most comments a sentence or three, a long tail up to a few thousand characters).
/// </summary>
public sealed class TextGenerator(Random random)
{
    private static readonly string[] Words = (
        "the a an this that film movie story ending scene scenes actor actress director script plot character characters " +
        "music score camera light city night morning love friend friends family mother father brother sister life time " +
        "moment moments years day week reviewer review article point argument idea premise question answer reason detail " +
        "was is were be been seems felt feel think thought know knew liked loved hated enjoyed watched saw remember forgot " +
        "agree disagree wonder wish hope found made makes gives gave takes took works worked missed noticed kept keeps " +
        "really quite very rather still again never always often almost just only even maybe perhaps honestly clearly " +
        "good great slow quiet long short strange beautiful gentle sharp funny sad true odd fair wrong right better worse " +
        "of in on at with for about from after before during without through between under over into " +
        "and but or so because although while when if then yet " +
        "I you we they he she it my your our their his her its me us them " +
        "book books chapter author writer blog post series season episode performance dialogue pacing tone colour sound " +
        "beach train phone letter house street window rain summer winter road kitchen garden office school " +
        "second third last first final whole half most some many few every other another same different")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static readonly string[] FirstNames =
        ["Ada", "Ben", "Cleo", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Lars", "Mina", "Nora", "Omar", "Priya",
         "Quinn", "Rosa", "Sami", "Tess", "Umar", "Vera", "Wen", "Xavi", "Yara", "Zoe"];

    /// <summary>A comment of roughly log-normal length (median about 180 characters), at most <paramref name="max"/>.</summary>
    public string Comment(int max = 4000)
    {
        var target = (int)Math.Clamp(Math.Exp(5.2 + 0.8 * Gaussian()), 12, max);
        return Sentences(target);
    }

    /// <summary>Sentences of common words, about <paramref name="length"/> characters.</summary>
    public string Sentences(int length)
    {
        var text = new System.Text.StringBuilder(length + 80);
        while (text.Length < length)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            var words = random.Next(5, 18);
            for (var w = 0; w < words; w++)
            {
                var word = Words[random.Next(Words.Length)];
                if (w == 0)
                {
                    text.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
                }
                else
                {
                    text.Append(' ').Append(word);
                }
                if (w > 2 && w < words - 2 && random.Next(9) == 0)
                {
                    text.Append(',');
                }
            }
            text.Append(random.Next(10) switch { 0 => '?', 1 => '!', _ => '.' });
        }
        return text.ToString();
    }

    public string Name() => FirstNames[random.Next(FirstNames.Length)] + " " + (char)('A' + random.Next(26)) + ".";

    private double Gaussian()
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>Ordinary reader comments, distinct from one another, for tests that post many comments.</summary>
public static class SampleText
{
    private static readonly string[] Lines =
    [
        "The ending stayed with me for days; I keep thinking about that last phone call.",
        "I found the middle act slow, but the final scenes made up for it.",
        "Her performance carries the whole film, even when the script wanders.",
        "Saw it twice now and noticed the colour of the city changes with his mood.",
        "The score by Arcade Fire is what I remember most, honestly.",
        "It is a stupid premise on paper, and somehow it works on screen.",
        "My partner hated it and I loved it, which made for a long walk home.",
        "Loneliness in a crowded city has rarely been filmed this gently.",
        "The reviewer is right about the dialogue, it feels written for the stage.",
        "Does anyone know where the beach scene was shot?",
        "I would have cut twenty minutes, but I would not change the ending.",
        "Watched it on a plane, which in hindsight was the wrong choice.",
        "The way the camera lingers on faces reminded me of older films.",
        "Not for everyone, but it says something true about relationships.",
        "I disagree with the rating; this deserves more than three stars.",
        "The supporting cast gets too little to do, especially the ex-wife.",
    ];

    public static string Line(int i) => Lines[i % Lines.Length] + (i >= Lines.Length ? $" (again, {i / Lines.Length})" : "");

    /// <summary>
    /// Two different lines joined: 240 distinct texts that no two of share more than one line, for tests that
    /// post more comments than <see cref="Line"/> has without looking like repeats.
    /// </summary>
    public static string Varied(int i)
    {
        var first = i % Lines.Length;
        var second = (first + 1 + i / Lines.Length % (Lines.Length - 1)) % Lines.Length;
        return Lines[first] + " " + Lines[second];
    }
}

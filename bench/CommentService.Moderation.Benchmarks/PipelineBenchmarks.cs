using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CommentService.Moderation;

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);

/// <summary>
/// The default local pipeline on a realistic 1,000-character reader comment (with one link and an amount),
/// on the same kind of comment written with disguises (leet, look-alike letters, dotted and spaced letters,
/// styled letters, an invisible character, an entity), and on a short one. Target: at most 100 µs median
/// for 1,000 characters.
/// Run: dotnet run -c Release --project bench/CommentService.Moderation.Benchmarks -- --filter '*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PipelineBenchmarks
{
    private const string Long =
        "I went in expecting another glossy romance and came out thinking about it for days. The first hour is slow, "
        + "almost stubbornly so, but that is the point: the two of them keep circling the one conversation they need "
        + "to have, and the camera just waits with them. Some people in my screening walked out, and I get it, it's "
        + "not for everyone. I also think the review is a little too kind to the third act. The dinner scene works, "
        + "but the airport ending felt like the studio asked for something neater than the rest of the film. Still, "
        + "the performances carry it. She does more with a pause than most actors do with a monologue, and he finally "
        + "gets a part that uses his awkwardness instead of hiding it. If you liked this, the director talks about the "
        + "casting and the rewrites here: https://www.bfi.org.uk/interviews/director-on-casting - worth ten minutes. "
        + "Tickets were $12 at my local cinema, and I'd pay it again. Three and a half stars from me, maybe four on a "
        + "second viewing.";

    // About 1,000 characters. Disguises throughout, so the aggressive view's slow paths run: Cyrillic
    // look-alikes (\u0456 і, \u0430 а, \u0441 с, \u04BB һ), leet digits and symbols, dotted, dashed and spaced
    // letters, fullwidth and mathematical bold letters, a zero-width space and an HTML entity. Two mild words
    // in disguise ("cr@p", "d4mn") are flagged but stay below the hold threshold, so every phase runs.
    private const string Obfuscated =
        "Honestly this f\u0456lm is the b3st th1ng I've s33n all year, and I mean that. The f.i.r.s.t h-o-u-r dr@gs, "
        + "sure, but the l3ads are gr8 and the sc0re is ｂｅａｕｔｉｆｕｌ in a quiet way. Some reviewers called it cr@p "
        + "and w0rse, which is d4mn unfair: the d1rector clearly kn0ws what $he is doing with every sh0t. The s c e n e "
        + "at the \u0430irport (my keyboard is weird, sorry) felt rushed; the dinner \u0441onversation was the \u04BBeart "
        + "of it. I wrote my own notes: p.a.c.i.n.g 7/10, a.c.t.i.n.g 9/10, m u s i c 8/10, and the cin3matography is "
        + "\U0001D42C\U0001D42D\U0001D42E\U0001D427\U0001D427\U0001D422\U0001D427\U0001D420 in places. My friend "
        + "sa\u200Bid the ending was too n3at, and I half agree, but the fin&#97;l shot still w0rks. If you l0ved the "
        + "first act you'll l0ve the last one. Tickets were $12 and the popc0rn was st@le, but whatever. Thr33 and a "
        + "h@lf st@rs from me, m@ybe f0ur on a s3cond v1ewing, and I'm d3finitely r3commending it to my s1ster, who "
        + "h@tes romance but l0ves a g00d ending. S-e-r-i-o-u-s-l-y, go and see it on a b1g screen while y0u still can.";

    private readonly ModerationPipeline pipeline = ModerationPipeline.CreateDefault();
    private readonly ModerationRequest longComment = new() { Body = Long, AuthorName = "Reader" };
    private readonly ModerationRequest obfuscatedComment = new() { Body = Obfuscated, AuthorName = "Reader" };
    private readonly ModerationRequest shortComment = new() { Body = "Great review, thanks! Wow!!!", AuthorName = "S1mone" };

    [Benchmark]
    public ValueTask<ModerationVerdict> Comment_1000_characters() => pipeline.RunAsync(longComment);

    [Benchmark]
    public ValueTask<ModerationVerdict> Comment_1000_characters_obfuscated() => pipeline.RunAsync(obfuscatedComment);

    [Benchmark]
    public ValueTask<ModerationVerdict> Comment_short() => pipeline.RunAsync(shortComment);
}

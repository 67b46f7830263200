using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CommentService.Moderation;

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);

/// <summary>
/// The default local pipeline on a realistic 1,000-character reader comment (with one link and an amount)
/// and on a short one. Target: at most 100 µs median for 1,000 characters.
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

    private readonly ModerationPipeline pipeline = ModerationPipeline.CreateDefault();
    private readonly ModerationRequest longComment = new() { Body = Long, AuthorName = "Reader" };
    private readonly ModerationRequest shortComment = new() { Body = "Great review, thanks! Wow!!!", AuthorName = "S1mone" };

    [Benchmark]
    public ValueTask<ModerationVerdict> Comment_1000_characters() => pipeline.RunAsync(longComment);

    [Benchmark]
    public ValueTask<ModerationVerdict> Comment_short() => pipeline.RunAsync(shortComment);
}

using CommentService.Moderation;
using CommentService.Moderation.Spam;

namespace CommentService.Moderation.Tests.Spam;

/// <summary>Short helpers so each spam test reads as one request and one expectation.</summary>
internal static class SpamTestKit
{
    public static ModerationRequest Request(string body, string author = "Reader") => new() { Body = body, AuthorName = author };

    public static Task<ModerationVerdict> Moderate(string body) => Moderate(Request(body));

    public static async Task<ModerationVerdict> Moderate(ModerationRequest request) =>
        await ModerationPipeline.CreateDefault().RunAsync(request);

    /// <summary>Runs one phase alone and returns its flags.</summary>
    public static async Task<IReadOnlyList<ModerationFlag>> Flags(IModerationPhase phase, ModerationRequest request)
    {
        var result = await phase.RunAsync(new ModerationContext(request), CancellationToken.None);
        return result.Flags;
    }

    public static Task<IReadOnlyList<ModerationFlag>> Flags(IModerationPhase phase, string body) => Flags(phase, Request(body));

    /// <summary>Every flag's evidence is the original text at its offsets.</summary>
    public static void AssertEvidenceInOriginal(string body, IEnumerable<ModerationFlag> flags)
    {
        foreach (var f in flags.Where(f => f.Start is not null))
        {
            Assert.Equal(f.Evidence, body.Substring(f.Start!.Value, f.Length!.Value));
        }
    }

    public static bool Held(this ModerationVerdict verdict) => verdict.Outcome != ModerationOutcome.Approved;
}

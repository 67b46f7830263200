namespace CommentService.Moderation.Authors;

/// <summary>
/// What the site knows of the author. A banned author is rejected at once (author.banned). Otherwise the
/// phase only records what later phases act on: author.trusted (enough approved comments and none rejected
/// or spam: skips pre-moderation, still checked for content) and author.new (no approved comment yet: held
/// when the site pre-moderates new authors). It never approves early: a trusted account can be taken over
/// or turn abusive, so content checks still run for everyone.
/// </summary>
public sealed class AuthorPhase : IModerationPhase
{
    public const string PhaseName = "author";

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var author = context.Request.Author;
        if (author.Banned)
        {
            return ValueTask.FromResult(new PhaseResult(
                [new ModerationFlag("author.banned", PhaseName, 1.0, Note: "the author is banned on this site")],
                ModerationOutcome.Rejected));
        }
        if (context.AuthorIsTrusted)
        {
            return ValueTask.FromResult(new PhaseResult(
                [new ModerationFlag("author.trusted", PhaseName, 0, Note: $"{author.Approved} approved, none rejected or spam")],
                null));
        }
        if (context.AuthorIsNew)
        {
            return ValueTask.FromResult(new PhaseResult([new ModerationFlag("author.new", PhaseName, 0, Note: "no approved comment on this site yet")], null));
        }
        return ValueTask.FromResult(PhaseResult.Nothing);
    }
}

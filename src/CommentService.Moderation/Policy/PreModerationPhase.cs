namespace CommentService.Moderation.Policy;

/// <summary>
/// The site's pre-moderation choice, applied last, to comments no earlier phase held:
/// <see cref="PreModeration.All"/> holds every comment, <see cref="PreModeration.NewAuthors"/> those of
/// authors with no approved comment yet, <see cref="PreModeration.Links"/> those with a link.
/// Trusted authors skip pre-moderation in every mode: earning trust is what the count of approved
/// comments is for. A site that wants literally every comment reviewed sets TrustedAfterApproved to
/// int.MaxValue.
/// </summary>
public sealed class PreModerationPhase : IModerationPhase
{
    public const string PhaseName = "pre-moderation";

    public string Name => PhaseName;

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var mode = context.Request.Policy.PreModeration;
        if (mode == PreModeration.None || context.AuthorIsTrusted)
        {
            return ValueTask.FromResult(PhaseResult.Nothing);
        }
        ModerationFlag? flag = mode switch
        {
            PreModeration.All => new ModerationFlag("premoderation.all", PhaseName, 0, Note: "the site reviews every comment"),
            PreModeration.NewAuthors when context.AuthorIsNew =>
                new ModerationFlag("premoderation.new_author", PhaseName, 0, Note: "the site reviews comments by new authors"),
            PreModeration.Links => LinkFlag(context),
            _ => null,
        };
        return ValueTask.FromResult(flag is null ? PhaseResult.Nothing : new PhaseResult([flag], ModerationOutcome.Pending));
    }

    private static ModerationFlag? LinkFlag(ModerationContext context)
    {
        if (LinkFinder.Find(context.Light) is not var (start, length))
        {
            return null;
        }
        var (originalStart, originalLength) = context.Light.ToOriginal(start, length);
        return new ModerationFlag("premoderation.links", PhaseName, 0,
            context.Request.Body.Substring(originalStart, originalLength), originalStart, originalLength,
            "the site reviews comments with links");
    }
}

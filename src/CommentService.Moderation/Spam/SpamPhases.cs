namespace CommentService.Moderation.Spam;

/// <summary>The local spam phases in their order: signals first, the scoring phase that decides last.</summary>
public static class SpamPhases
{
    /// <summary>The spam phases, with the shipped base model unless another is given.</summary>
    public static IReadOnlyList<IModerationPhase> Create(SpamModel? baseModel = null) =>
    [
        new LinkPhase(),
        new CommercialPhase(),
        new GenericPraisePhase(),
        new SolicitationPhase(),
        new ShoutingPhase(),
        new RepeatPhase(),
        new HistoryPhase(),
        new ClassifierPhase(baseModel ?? SpamModel.Base),
        new SpamScoringPhase(),
    ];
}

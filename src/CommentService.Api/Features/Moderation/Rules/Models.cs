using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using CommentService.Moderation;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Moderation.Rules;

/// <summary>A moderation rule and its mode.</summary>
/// <param name="Id">The rule's id.</param>
/// <param name="Kind">term, threshold, classifier or phase.</param>
/// <param name="Mode">observe (recorded, not acted on) or enforce (promoted).</param>
/// <param name="Description">The rule in a few words, e.g. term "casino" → hold.</param>
/// <param name="Term">kind term: the word or phrase.</param>
/// <param name="Action">kind term: flag, hold or reject.</param>
/// <param name="Setting">kind threshold: the policy setting.</param>
/// <param name="Value">kind threshold: the candidate value of a numeric setting.</param>
/// <param name="PreModeration">kind threshold, setting preModeration: the candidate mode.</param>
/// <param name="Classifier">kind classifier: akismet or webhook.</param>
/// <param name="Phase">kind phase: the built-in phase observed instead of enforced.</param>
/// <param name="Note">Why the rule is tried.</param>
/// <param name="CreatedAt">When observing began.</param>
/// <param name="CreatedBy">operator or key:{id}, as in the audit log.</param>
/// <param name="PromotedAt">When it was promoted to enforce; null while observed.</param>
/// <param name="PromotedBy">Who promoted it.</param>
public sealed record RuleResponse(
    Guid Id,
    string Kind,
    string Mode,
    string Description,
    string? Term,
    string? Action,
    string? Setting,
    double? Value,
    string? PreModeration,
    string? Classifier,
    string? Phase,
    string? Note,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? PromotedAt,
    string? PromotedBy)
{
    public static RuleResponse From(ModerationRule r) => new(
        r.Id, r.Kind, r.Mode, RuleKinds.Describe(r), r.Term, r.TermAction, r.Setting, r.Value, r.PreModeration,
        r.Classifier, r.Phase, r.Note, r.CreatedAt, r.CreatedBy, r.PromotedAt, r.PromotedBy);
}

public sealed class CreateRequest
{
    public string SiteId { get; set; } = "";

    /// <summary>term, threshold, classifier or phase.</summary>
    public string Kind { get; set; } = "";

    /// <summary>kind term: a word or phrase, matched like the site's word list (also when disguised).</summary>
    public string? Term { get; set; }

    /// <summary>kind term: flag, hold or reject.</summary>
    public string? Action { get; set; }

    /// <summary>kind threshold: crudeHoldThreshold, spamThreshold, spamHoldThreshold (0–1), maxLinks (0–50),
    /// trustedAfterApproved (0–1000) or preModeration.</summary>
    public string? Setting { get; set; }

    /// <summary>kind threshold: the candidate value of a numeric setting.</summary>
    public double? Value { get; set; }

    /// <summary>kind threshold with setting preModeration: none, all, newAuthors or links.</summary>
    public string? PreModeration { get; set; }

    /// <summary>kind classifier: akismet or webhook, configured (key or URL) but not turned on. Needs the admin scope.</summary>
    public string? Classifier { get; set; }

    /// <summary>kind phase: a built-in phase to stop enforcing and only observe, e.g. spam.shouting or crude-language.</summary>
    public string? Phase { get; set; }

    /// <summary>Why the rule is tried, for other moderators.</summary>
    public string? Note { get; set; }
}

public sealed class CreateValidator : Validator<CreateRequest>
{
    public CreateValidator(ModerationPipeline defaults)
    {
        var phases = RuleKinds.ObservablePhases(defaults);
        RuleFor(r => r.Kind).Must(k => RuleKinds.All.Contains(k)).WithMessage("kind is term, threshold, classifier or phase.");
        When(r => r.Kind == RuleKinds.Term, () =>
        {
            RuleFor(r => r.Term).CleanText("term", Limits.TermLength);
            RuleFor(r => r.Action).Must(a => SitePolicies.TermActions.Contains(a)).WithMessage("action is flag, hold or reject.");
        });
        When(r => r.Kind == RuleKinds.Threshold, () =>
        {
            RuleFor(r => r.Setting).Must(s => RuleKinds.Settings.Contains(s))
                .WithMessage($"setting is one of {string.Join(", ", RuleKinds.Settings)}.");
            RuleFor(r => r.Value).NotNull().WithMessage("value is required for this setting.")
                .When(r => r.Setting is not null && r.Setting != "preModeration");
            RuleFor(r => r.Value).InclusiveBetween(0, 1).When(r => r.Setting is "crudeHoldThreshold" or "spamThreshold" or "spamHoldThreshold");
            RuleFor(r => r.Value).InclusiveBetween(0, 50).Must(v => v % 1 == 0).WithMessage("value is a whole number from 0 to 50.")
                .When(r => r.Setting == "maxLinks");
            RuleFor(r => r.Value).InclusiveBetween(0, 1000).Must(v => v % 1 == 0).WithMessage("value is a whole number from 0 to 1000.")
                .When(r => r.Setting == "trustedAfterApproved");
            RuleFor(r => r.PreModeration).Must(m => SitePolicies.PreModerationModes.Contains(m))
                .WithMessage("preModeration is none, all, newAuthors or links.").When(r => r.Setting == "preModeration");
        });
        When(r => r.Kind == RuleKinds.Classifier, () =>
            RuleFor(r => r.Classifier).Must(c => RuleKinds.Classifiers.Contains(c)).WithMessage("classifier is akismet or webhook."));
        When(r => r.Kind == RuleKinds.Phase, () =>
            RuleFor(r => r.Phase).Must(p => p is not null && phases.Contains(p)).WithMessage($"phase is one of {string.Join(", ", phases)}."));
        RuleFor(r => r.Note).CleanText("note", Limits.ReasonLength, multiline: true).When(r => r.Note is not null);
    }
}

public sealed class RuleRequest
{
    public string SiteId { get; set; } = "";
    public Guid RuleId { get; set; }
}

public sealed class ListRequest
{
    public string SiteId { get; set; } = "";

    /// <summary>observe or enforce; both when left out.</summary>
    [QueryParam]
    public string? Mode { get; set; }
}

public sealed class ListValidator : Validator<ListRequest>
{
    public ListValidator() =>
        RuleFor(r => r.Mode).Must(m => m is RuleKinds.Observe or RuleKinds.Enforce).WithMessage("mode is observe or enforce.")
            .When(r => r.Mode is not null);
}

public sealed record ListResponse(IReadOnlyList<RuleResponse> Items);

public sealed class PromoteRequest
{
    public string SiteId { get; set; } = "";
    public Guid RuleId { get; set; }

    /// <summary>Why, for the audit log.</summary>
    public string? Note { get; set; }
}

public sealed class PromoteValidator : Validator<PromoteRequest>
{
    public PromoteValidator() =>
        RuleFor(r => r.Note).CleanText("note", Limits.ReasonLength, multiline: true).When(r => r.Note is not null);
}

public sealed class ReportRequest
{
    public string SiteId { get; set; } = "";
    public Guid RuleId { get; set; }

    /// <summary>Start of the period (inclusive); default 30 days before <c>to</c>.</summary>
    [QueryParam]
    public DateTimeOffset? From { get; set; }

    /// <summary>End of the period (exclusive); default now.</summary>
    [QueryParam]
    public DateTimeOffset? To { get; set; }
}

public sealed class ReportValidator : Validator<ReportRequest>
{
    public ReportValidator()
    {
        RuleFor(r => r.From).LessThan(r => r.To!.Value).WithMessage("from must be before to.").When(r => r.From is not null && r.To is not null);
        // Dates near the ends of the calendar broke the 30-day default arithmetic (a 500, found by the hostile-input fuzz).
        RuleFor(r => r.From).Must(d => d!.Value.Year is >= 2000 and <= 9000).WithMessage("from must be a date between the years 2000 and 9000.").When(r => r.From is not null);
        RuleFor(r => r.To).Must(d => d!.Value.Year is >= 2000 and <= 9000).WithMessage("to must be a date between the years 2000 and 9000.").When(r => r.To is not null);
    }
}

/// <param name="Decided">Changed comments a moderator later approved, rejected or marked spam.</param>
/// <param name="Agree">Of those, the ones the moderator decided as the rule would have (held back and rejected or marked spam; let through and approved).</param>
/// <param name="Disagree">Of those, the ones decided the other way.</param>
/// <param name="Rate">Agree / decided; null when none was decided.</param>
public sealed record Agreement(int Decided, int Agree, int Disagree, double? Rate);

/// <param name="Approved">Changed comments whose latest moderator decision is approve.</param>
/// <param name="Rejected">Changed comments whose latest moderator decision is reject.</param>
/// <param name="Spam">Changed comments whose latest moderator decision is spam.</param>
/// <param name="Undecided">Changed comments no moderator decided.</param>
public sealed record ModeratorOutcomes(int Approved, int Rejected, int Spam, int Undecided);

/// <param name="CommentId">The comment.</param>
/// <param name="Excerpt">The start of its text.</param>
/// <param name="LiveStatus">The status the pipeline gave the comment.</param>
/// <param name="WouldBeStatus">The status it would have had with the rule enforced.</param>
/// <param name="CurrentStatus">Its status now, after any moderator.</param>
/// <param name="DecidedBy">The phase that would have decided; null when none would have.</param>
/// <param name="Flags">What the rule raised that the live run did not.</param>
/// <param name="At">When the comment was judged.</param>
public sealed record RuleExample(
    Guid CommentId, string Excerpt, string LiveStatus, string WouldBeStatus, string CurrentStatus, string? DecidedBy,
    IReadOnlyList<StoredFlag> Flags, DateTimeOffset At);

/// <param name="Rule">The rule.</param>
/// <param name="From">Start of the period (inclusive).</param>
/// <param name="To">End of the period (exclusive).</param>
/// <param name="Seen">Comments posted on the site in the period while the rule was observed.</param>
/// <param name="Fired">Comments the rule raised a flag on or would have decided differently.</param>
/// <param name="Changed">Comments the rule would have given another status than they got.</param>
/// <param name="WouldHold">Changed comments the rule would have held for a moderator (pending).</param>
/// <param name="WouldReject">Changed comments the rule would have rejected.</param>
/// <param name="WouldSpam">Changed comments the rule would have marked spam.</param>
/// <param name="WouldApprove">Changed comments the rule would have let through although the live rules held them.</param>
/// <param name="Moderators">How moderators finally decided the changed comments.</param>
/// <param name="Agreement">How often moderators decided as the rule would have.</param>
/// <param name="Examples">Up to five changed comments (else fired ones), newest first.</param>
public sealed record ReportResponse(
    RuleResponse Rule,
    DateTimeOffset From,
    DateTimeOffset To,
    int Seen,
    int Fired,
    int Changed,
    int WouldHold,
    int WouldReject,
    int WouldSpam,
    int WouldApprove,
    ModeratorOutcomes Moderators,
    Agreement Agreement,
    IReadOnlyList<RuleExample> Examples);

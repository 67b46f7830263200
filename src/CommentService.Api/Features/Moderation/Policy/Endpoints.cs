using CommentService.Api.Data;
using CommentService.Api.Features.Sites;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Moderation.Policy;

public sealed class GetRequest
{
    public string SiteId { get; set; } = "";
}

public sealed class GetEndpoint(CommentsDb db) : Endpoint<GetRequest, SitePolicy>
{
    public override void Configure()
    {
        Get("policy");
        Group<ModerationGroup>();
        Description(b => b.WithName("getModerationPolicy").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "The site's moderation policy";
            s.Description = "Pre-moderation mode (none, all, newAuthors, links), when authors become trusted, and the score thresholds.";
        });
    }

    public override async Task HandleAsync(GetRequest req, CancellationToken ct) =>
        await Send.OkAsync((await db.RequireAsync(req.SiteId, ct)).Policy, ct);
}

public sealed class UpdateRequest
{
    public string SiteId { get; set; } = "";

    /// <summary>none (post-moderation: clean comments appear at once), all, newAuthors or links.</summary>
    public string PreModeration { get; set; } = "none";

    /// <summary>Approved comments (and none rejected or spam) after which an author is trusted.</summary>
    public int TrustedAfterApproved { get; set; } = 3;

    /// <summary>Crude-language score (0 to 1) from which a comment is held.</summary>
    public double CrudeHoldThreshold { get; set; } = 0.5;

    /// <summary>Spam score (0 to 1) from which a comment is marked spam.</summary>
    public double SpamThreshold { get; set; } = 0.8;

    /// <summary>Spam score (0 to 1) from which a comment is held for review.</summary>
    public double SpamHoldThreshold { get; set; } = 0.5;

    /// <summary>Links allowed in one comment before it is held.</summary>
    public int MaxLinks { get; set; } = 2;

    /// <summary>Readers' reports after which an approved comment goes back to the queue; 0 never.</summary>
    public int ReportThreshold { get; set; } = 3;
}

public sealed class UpdateValidator : Validator<UpdateRequest>
{
    public UpdateValidator()
    {
        RuleFor(r => r.PreModeration).Must(m => SitePolicies.PreModerationModes.Contains(m))
            .WithMessage("preModeration is none, all, newAuthors or links.");
        RuleFor(r => r.TrustedAfterApproved).InclusiveBetween(0, 1000);
        RuleFor(r => r.CrudeHoldThreshold).InclusiveBetween(0, 1);
        RuleFor(r => r.SpamThreshold).InclusiveBetween(0, 1);
        RuleFor(r => r.SpamHoldThreshold).InclusiveBetween(0, 1)
            .LessThanOrEqualTo(r => r.SpamThreshold).WithMessage("spamHoldThreshold must not exceed spamThreshold.");
        RuleFor(r => r.MaxLinks).InclusiveBetween(0, 50);
        RuleFor(r => r.ReportThreshold).InclusiveBetween(0, 1000);
    }
}

public sealed class UpdateEndpoint(CommentsDb db, TimeProvider clock) : Endpoint<UpdateRequest, SitePolicy>
{
    public override void Configure()
    {
        Put("policy");
        Group<ModerationGroup>();
        Description(b => b.WithName("updateModerationPolicy").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Replace the site's moderation policy";
            s.Description = "Applies to comments posted from now on; fields left out take their defaults.";
            s.ExampleRequest = new UpdateRequest { SiteId = "film-blog", PreModeration = "newAuthors" };
        });
    }

    public override async Task HandleAsync(UpdateRequest req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct, track: true);
        site.Policy = new SitePolicy
        {
            PreModeration = req.PreModeration,
            TrustedAfterApproved = req.TrustedAfterApproved,
            CrudeHoldThreshold = req.CrudeHoldThreshold,
            SpamThreshold = req.SpamThreshold,
            SpamHoldThreshold = req.SpamHoldThreshold,
            MaxLinks = req.MaxLinks,
            ReportThreshold = req.ReportThreshold,
        };
        site.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await Send.OkAsync(site.Policy, ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Rules;

public sealed class ListEndpoint(CommentsDb db) : Endpoint<ListRequest, ListResponse>
{
    public override void Configure()
    {
        Get("rules");
        Group<ModerationGroup>();
        Description(b => b.WithName("listModerationRules").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "The site's observed and promoted moderation rules";
            s.Description = "Oldest first; mode=observe lists the rules being tried out.";
        });
    }

    public override async Task HandleAsync(ListRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var query = db.ModerationRules.AsNoTracking().Where(r => r.SiteId == req.SiteId);
        if (req.Mode is not null)
        {
            query = query.Where(r => r.Mode == req.Mode);
        }
        var rules = await query.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        await Send.OkAsync(new ListResponse(rules.Select(RuleResponse.From).ToList()), ct);
    }
}

public sealed class GetEndpoint(CommentsDb db) : Endpoint<RuleRequest, RuleResponse>
{
    public override void Configure()
    {
        Get("rules/{ruleId}");
        Group<ModerationGroup>();
        Description(b => b.WithName("getModerationRule").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "One moderation rule";
            s.Description = "The rule with its kind, mode (observe or enforce), what it would change, and who created and promoted it. Operator key, or a site key with the moderate scope.";
        });
    }

    public override async Task HandleAsync(RuleRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        await Send.OkAsync(RuleResponse.From(await RuleChanges.RequireAsync(db, req.SiteId, req.RuleId, ct, track: false)), ct);
    }
}

public sealed class CreateEndpoint(CommentsDb db, RuleChanges changes) : Endpoint<CreateRequest, RuleResponse>
{
    public override void Configure()
    {
        Post("rules");
        Group<ModerationGroup>();
        Description(b => b.WithName("createModerationRule").Produces<RuleResponse>(201).ProducesProblems(400, 401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "Observe a moderation rule without enforcing it";
            s.Description = "A word-list entry, a policy setting's candidate value, a configured but disabled external classifier "
                + "(admin scope), or a built-in phase to stop enforcing. From now on every comment is also judged as if the rule "
                + $"were enforced, and what it would have changed is recorded for the rule's report; up to {ObservedRules.MaxObserved} "
                + "observed rules per site. 409 when the rule is already what the site enforces, or already observed.";
            s.ExampleRequest = new CreateRequest { SiteId = "film-blog", Kind = "term", Term = "casino", Action = "hold", Note = "casino spam wave" };
        });
    }

    public override async Task HandleAsync(CreateRequest req, CancellationToken ct)
    {
        if (req.Kind == RuleKinds.Classifier && !User.Can(req.SiteId, ApiScopes.Admin))
        {
            await db.RequireAsync(req.SiteId, ct);
            throw ApiProblemException.Forbidden("Observing an external classifier needs the admin scope.");
        }
        var rule = await changes.CreateAsync(req, Decisions.ActorOf(User), ct);
        await Send.ResponseAsync(RuleResponse.From(rule), 201, ct);
    }
}

public sealed class PromoteEndpoint(RuleChanges changes) : Endpoint<PromoteRequest, RuleResponse>
{
    public override void Configure()
    {
        Post("rules/{ruleId}/promote");
        Group<ModerationGroup>();
        Description(b => b.WithName("promoteModerationRule").ProducesProblems(400, 401, 403, 404, 409));
        Summary(s =>
        {
            s.Summary = "Enforce an observed rule";
            s.Description = "In one transaction: the term joins the site's word list with its action, the setting takes the candidate value "
                + "in the site's policy, the classifier is turned on (admin scope), or the phase is enforced again; the rule's mode becomes "
                + "enforce and the audit log records rule.promoted. 409 when the rule is already enforced or can no longer be applied.";
            s.ExampleRequest = new PromoteRequest { SiteId = "film-blog", RuleId = Guid.Empty, Note = "held only casino spam in two weeks" };
        });
    }

    public override async Task HandleAsync(PromoteRequest req, CancellationToken ct)
    {
        var rule = await changes.PromoteAsync(req.SiteId, req.RuleId, req.Note, User, ct);
        await Send.OkAsync(RuleResponse.From(rule), ct);
    }
}

public sealed class DeleteEndpoint(RuleChanges changes) : Endpoint<RuleRequest>
{
    public override void Configure()
    {
        Delete("rules/{ruleId}");
        Group<ModerationGroup>();
        Description(b => b.WithName("deleteModerationRule").Produces(204).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Stop observing a rule, or forget a promoted one";
            s.Description = "Removes the rule and its shadow verdicts; a promoted rule's effect on the site's settings stays. Recorded in the audit log.";
        });
    }

    public override async Task HandleAsync(RuleRequest req, CancellationToken ct)
    {
        await changes.DeleteAsync(req.SiteId, req.RuleId, Decisions.ActorOf(User), ct);
        await Send.NoContentAsync(ct);
    }
}

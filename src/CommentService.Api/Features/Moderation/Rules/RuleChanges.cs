using System.Security.Claims;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Rules;

/// <summary>
/// Creating, promoting and deleting a site's moderation rules. Each change locks the site's row, so the
/// rule count and <see cref="Site.HasObservedRules"/> stay true under concurrent changes, and is recorded
/// in the audit log in the same transaction.
/// </summary>
public sealed class RuleChanges(CommentsDb db, TimeProvider clock)
{
    public static async Task<ModerationRule> RequireAsync(CommentsDb db, string siteId, Guid ruleId, CancellationToken ct, bool track = true)
    {
        var query = track ? db.ModerationRules : db.ModerationRules.AsNoTracking();
        return await query.SingleOrDefaultAsync(r => r.Id == ruleId && r.SiteId == siteId, ct)
               ?? throw ApiProblemException.NotFound($"Rule '{ruleId}' of site '{siteId}'");
    }

    public async Task<ModerationRule> CreateAsync(CreateRequest req, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var site = await LockSiteAsync(req.SiteId, ct);
        var now = clock.GetUtcNow();
        var rule = new ModerationRule
        {
            Id = Guid.CreateVersion7(now),
            SiteId = site.Id,
            Kind = req.Kind,
            Mode = RuleKinds.Observe,
            Term = req.Kind == RuleKinds.Term ? req.Term!.Trim().ToLowerInvariant() : null,
            TermAction = req.Kind == RuleKinds.Term ? req.Action : null,
            Setting = req.Kind == RuleKinds.Threshold ? req.Setting : null,
            Value = req.Kind == RuleKinds.Threshold && req.Setting != "preModeration" ? req.Value : null,
            PreModeration = req.Kind == RuleKinds.Threshold && req.Setting == "preModeration" ? req.PreModeration : null,
            Classifier = req.Kind == RuleKinds.Classifier ? req.Classifier : null,
            Phase = req.Kind == RuleKinds.Phase ? req.Phase : null,
            Note = req.Note?.Trim(),
            CreatedAt = now,
            CreatedBy = actor,
        };
        await RequireNotEnforcedAsync(site, rule, ct);

        var observed = await db.ModerationRules.AsNoTracking().Where(r => r.SiteId == site.Id && r.Mode == RuleKinds.Observe).ToListAsync(ct);
        if (observed.Any(r => RuleKinds.Describe(r) == RuleKinds.Describe(rule)))
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The site already observes {RuleKinds.Describe(rule)}.");
        }
        if (observed.Count >= ObservedRules.MaxObserved)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The site already observes {ObservedRules.MaxObserved} rules; promote or delete one first.");
        }

        db.ModerationRules.Add(rule);
        site.HasObservedRules = true;
        db.ModerationDecisions.Add(Audit(rule, actor, "rule.created", "none", RuleKinds.Observe, rule.Note, now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rule;
    }

    public async Task<ModerationRule> PromoteAsync(string siteId, Guid ruleId, string? note, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var site = await LockSiteAsync(siteId, ct);
        var rule = await RequireAsync(db, siteId, ruleId, ct);
        if (rule.Kind == RuleKinds.Classifier && !user.Can(siteId, ApiScopes.Admin))
        {
            throw ApiProblemException.Forbidden("Turning on an external classifier needs the admin scope.");
        }
        if (rule.Mode == RuleKinds.Enforce)
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The rule ({RuleKinds.Describe(rule)}) is already enforced.");
        }

        var now = clock.GetUtcNow();
        switch (rule.Kind)
        {
            case RuleKinds.Term:
                var entry = await db.SiteTerms.SingleOrDefaultAsync(t => t.SiteId == siteId && t.Term == rule.Term, ct);
                if (entry is null)
                {
                    if (await db.SiteTerms.CountAsync(t => t.SiteId == siteId, ct) >= Limits.MaxSiteTerms)
                    {
                        throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The site already has {Limits.MaxSiteTerms} terms.");
                    }
                    db.SiteTerms.Add(new SiteTermEntry { SiteId = siteId, Term = rule.Term!, Action = rule.TermAction!, CreatedAt = now });
                }
                else
                {
                    entry.Action = rule.TermAction!;
                }
                break;
            case RuleKinds.Threshold:
                var policy = RuleKinds.Apply(site.Policy, rule);
                if (!RuleKinds.IsCoherent(policy))
                {
                    throw ApiProblemException.Conflict(ProblemTypes.Conflict,
                        $"With {RuleKinds.Describe(rule)} the spam hold threshold would exceed the spam threshold; change the policy first.");
                }
                site.Policy = policy;
                site.UpdatedAt = now;
                break;
            case RuleKinds.Classifier:
                var settings = await db.SiteClassifiers.SingleOrDefaultAsync(c => c.SiteId == siteId, ct);
                if (settings is null || !ExternalClassifiers.IsConfigured(settings, rule.Classifier!))
                {
                    throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The {rule.Classifier} classifier is no longer configured.");
                }
                if (rule.Classifier == ExternalClassifiers.Akismet)
                {
                    settings.AkismetEnabled = true;
                }
                else
                {
                    settings.WebhookEnabled = true;
                }
                settings.UpdatedAt = now;
                break;
            // A phase rule kept the phase out of the live run; enforcing it is leaving it in again.
        }

        rule.Mode = RuleKinds.Enforce;
        rule.PromotedAt = now;
        rule.PromotedBy = Decisions.ActorOf(user);
        site.HasObservedRules = await db.ModerationRules.AnyAsync(r => r.SiteId == siteId && r.Mode == RuleKinds.Observe && r.Id != rule.Id, ct);
        db.ModerationDecisions.Add(Audit(rule, rule.PromotedBy, "rule.promoted", RuleKinds.Observe, RuleKinds.Enforce, note?.Trim(), now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rule;
    }

    public async Task DeleteAsync(string siteId, Guid ruleId, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var site = await LockSiteAsync(siteId, ct);
        var rule = await RequireAsync(db, siteId, ruleId, ct);
        db.ModerationRules.Remove(rule);
        site.HasObservedRules = await db.ModerationRules.AnyAsync(r => r.SiteId == siteId && r.Mode == RuleKinds.Observe && r.Id != rule.Id, ct);
        db.ModerationDecisions.Add(Audit(rule, actor, "rule.deleted", rule.Mode, "deleted", null, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A rule that is already what the site enforces cannot be observed (409); one that can never be enforced is refused (400).</summary>
    private async Task RequireNotEnforcedAsync(Site site, ModerationRule rule, CancellationToken ct)
    {
        switch (rule.Kind)
        {
            case RuleKinds.Term:
                var action = await db.SiteTerms.AsNoTracking().Where(t => t.SiteId == site.Id && t.Term == rule.Term).Select(t => t.Action).SingleOrDefaultAsync(ct);
                if (action == rule.TermAction)
                {
                    throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The site's word list already has {RuleKinds.Describe(rule)}.");
                }
                break;
            case RuleKinds.Threshold:
                var policy = RuleKinds.Apply(site.Policy, rule);
                if (policy == site.Policy)
                {
                    throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The site's policy already has {RuleKinds.Describe(rule)}.");
                }
                if (!RuleKinds.IsCoherent(policy))
                {
                    throw ApiProblemException.Field("value", "spamHoldThreshold must not exceed spamThreshold (with the site's current policy).");
                }
                break;
            case RuleKinds.Classifier:
                var settings = await db.SiteClassifiers.AsNoTracking().SingleOrDefaultAsync(c => c.SiteId == site.Id, ct);
                if (settings is null || !ExternalClassifiers.IsConfigured(settings, rule.Classifier!))
                {
                    throw ApiProblemException.Field("classifier",
                        $"Configure the {rule.Classifier} classifier first (PUT …/classifiers with enabled false), then observe it.");
                }
                if (rule.Classifier == ExternalClassifiers.Akismet ? settings.AkismetEnabled : settings.WebhookEnabled)
                {
                    throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"The {rule.Classifier} classifier is already on.");
                }
                break;
        }
    }

    private async Task<Site> LockSiteAsync(string siteId, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM sites WHERE id = {siteId} FOR UPDATE", ct);
        return await db.RequireAsync(siteId, ct, track: true);
    }

    private static ModerationDecision Audit(ModerationRule rule, string actor, string action, string from, string to, string? note, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        SiteId = rule.SiteId,
        RuleId = rule.Id,
        Actor = actor,
        Action = action,
        FromStatus = from,
        ToStatus = to,
        Reason = RuleKinds.Describe(rule),
        Note = note,
        At = at,
    };
}

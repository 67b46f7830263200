using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Data;

/// <summary>
/// A moderation rule a site tries out before relying on it: a word-list entry, a policy setting, an
/// external classifier or a built-in phase. In <c>observe</c> mode the pipeline records what the rule
/// would have decided (<see cref="ShadowVerdict"/>) without acting on it; promoting it makes it
/// <c>enforce</c> and applies it to the site's live settings.
/// </summary>
public sealed class ModerationRule
{
    public Guid Id { get; init; }
    public required string SiteId { get; init; }

    /// <summary>term, threshold, classifier or phase.</summary>
    public required string Kind { get; init; }

    /// <summary>observe or enforce.</summary>
    public required string Mode { get; set; }

    /// <summary>kind term: the word or phrase (lower case) and its action (flag, hold, reject).</summary>
    public string? Term { get; init; }
    public string? TermAction { get; init; }

    /// <summary>kind threshold: the policy setting and its candidate value (a number, or a pre-moderation mode).</summary>
    public string? Setting { get; init; }
    public double? Value { get; init; }
    public string? PreModeration { get; init; }

    /// <summary>kind classifier: akismet or webhook.</summary>
    public string? Classifier { get; init; }

    /// <summary>kind phase: a built-in phase's name (e.g. spam.shouting).</summary>
    public string? Phase { get; init; }

    public string? Note { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? PromotedAt { get; set; }
    public string? PromotedBy { get; set; }
}

/// <summary>
/// What an observed rule would have done to one comment, stored when it would have changed the outcome
/// or added a flag the live run did not raise. One row per comment and rule (an edit replaces it).
/// </summary>
public sealed class ShadowVerdict
{
    public Guid CommentId { get; init; }
    public Guid RuleId { get; init; }
    public required string SiteId { get; init; }

    /// <summary>The status the comment would have had with the rule enforced.</summary>
    public required string WouldStatus { get; set; }

    /// <summary>The status the pipeline actually gave it (before any moderator).</summary>
    public required string LiveStatus { get; set; }

    /// <summary>The phase that would have decided; null when nothing would have.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>The flags the shadow run raised that the live run did not.</summary>
    public List<StoredFlag> Flags { get; set; } = [];
    public DateTimeOffset At { get; set; }
}

public static class ModerationRulesModel
{
    public static void ConfigureModerationRules(this ModelBuilder b)
    {
        b.Entity<ModerationRule>(e =>
        {
            e.ToTable("moderation_rules", t =>
            {
                t.HasCheckConstraint("ck_moderation_rules_kind", "kind IN ('term','threshold','classifier','phase')");
                t.HasCheckConstraint("ck_moderation_rules_mode", "mode IN ('observe','enforce')");
            });
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Kind).HasMaxLength(16);
            e.Property(r => r.Mode).HasMaxLength(16);
            e.Property(r => r.Term).HasMaxLength(Domain.Limits.TermLength);
            e.Property(r => r.TermAction).HasMaxLength(16);
            e.Property(r => r.Setting).HasMaxLength(32);
            e.Property(r => r.PreModeration).HasMaxLength(16);
            e.Property(r => r.Classifier).HasMaxLength(16);
            e.Property(r => r.Phase).HasMaxLength(64);
            e.Property(r => r.Note).HasMaxLength(Domain.Limits.ReasonLength);
            e.HasIndex(r => new { r.SiteId, r.Mode });
            e.HasOne<Site>().WithMany().HasForeignKey(r => r.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ShadowVerdict>(e =>
        {
            e.ToTable("shadow_verdicts");
            e.HasKey(s => new { s.CommentId, s.RuleId });
            e.Property(s => s.WouldStatus).HasMaxLength(16);
            e.Property(s => s.LiveStatus).HasMaxLength(16);
            e.Property(s => s.Flags).HasColumnType("jsonb").HasConversion(CommentsDb.Json<List<StoredFlag>>());
            // A rule's report: its shadow verdicts over a period.
            e.HasIndex(s => new { s.RuleId, s.At });
            e.HasOne<Comment>().WithMany().HasForeignKey(s => s.CommentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ModerationRule>().WithMany().HasForeignKey(s => s.RuleId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

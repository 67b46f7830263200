using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Data;

/// <summary>
/// An author's one appeal against the hold or rejection of their comment: open until a moderator
/// decides the comment, then upheld (rejected or spam) or overturned (approved).
/// </summary>
public sealed class Appeal
{
    /// <summary>One appeal per comment: the comment's id is the key.</summary>
    public Guid CommentId { get; init; }
    public required string SiteId { get; init; }

    /// <summary>The author's message to the moderators, trimmed.</summary>
    public required string Message { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The comment's status when the author appealed.</summary>
    public required string StatusAtAppeal { get; init; }

    /// <summary>open, upheld or overturned (<see cref="AppealState"/>).</summary>
    public required string State { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Who decided: "operator" or "key:{id}", as in the audit log.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>The moderator's note with the decision, for other moderators (never shown to the author).</summary>
    public string? DecisionNote { get; set; }
}

public static class AppealState
{
    public const string Open = "open";
    public const string Upheld = "upheld";
    public const string Overturned = "overturned";
}

/// <summary>The mapping of the appeals table, applied by <see cref="CommentsDb"/>.</summary>
public static class AppealsModel
{
    public const int MessageLength = 500;

    public static void ConfigureAppeals(this ModelBuilder b) =>
        b.Entity<Appeal>(e =>
        {
            e.ToTable("appeals", t => t.HasCheckConstraint("ck_appeals_state", "state IN ('open','upheld','overturned')"));
            e.HasKey(a => a.CommentId);
            e.Property(a => a.Message).HasMaxLength(MessageLength);
            e.Property(a => a.State).HasMaxLength(16);
            e.Property(a => a.StatusAtAppeal).HasMaxLength(16);
            e.Property(a => a.DecidedBy).HasMaxLength(64);
            e.Property(a => a.DecisionNote).HasMaxLength(Domain.Limits.ReasonLength);
            // A site's open appeals, oldest first.
            e.HasIndex(a => new { a.SiteId, a.State, a.CreatedAt });
            e.HasOne<Comment>().WithOne().HasForeignKey<Appeal>(a => a.CommentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Site>().WithMany().HasForeignKey(a => a.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
}

using CommentService.Api.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CommentService.Api.Data;

public sealed class CommentsDb(DbContextOptions<CommentsDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<ArticleThread> Threads => Set<ArticleThread>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<ModerationDecision> ModerationDecisions => Set<ModerationDecision>();
    public DbSet<SiteTermEntry> SiteTerms => Set<SiteTermEntry>();
    public DbSet<AuthorBan> AuthorBans => Set<AuthorBan>();
    public DbSet<SiteSpamModel> SiteSpamModels => Set<SiteSpamModel>();
    public DbSet<CommentVote> CommentVotes => Set<CommentVote>();
    public DbSet<SiteClassifiers> SiteClassifiers => Set<SiteClassifiers>();
    public DbSet<CommentReport> CommentReports => Set<CommentReport>();
    public DbSet<ModerationRule> ModerationRules => Set<ModerationRule>();
    public DbSet<ShadowVerdict> ShadowVerdicts => Set<ShadowVerdict>();
    public DbSet<Appeal> Appeals => Set<Appeal>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Site>(e =>
        {
            e.ToTable("sites");
            e.Property(s => s.Id).HasMaxLength(Limits.SiteIdLength);
            e.Property(s => s.Name).HasMaxLength(Limits.SiteNameLength);
            e.Property(s => s.Policy).HasColumnType("jsonb").HasConversion(Json<SitePolicy>())
                .HasDefaultValueSql("'{}'::jsonb");
        });

        b.Entity<ArticleThread>(e =>
        {
            e.ToTable("threads");
            e.Property(t => t.Id).UseIdentityAlwaysColumn();
            e.Property(t => t.ArticleId).HasMaxLength(Limits.ArticleIdLength);
            e.HasIndex(t => new { t.SiteId, t.ArticleId }).IsUnique();
            e.HasOne<Site>().WithMany().HasForeignKey(t => t.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Comment>(e =>
        {
            e.ToTable("comments", t => t.HasCheckConstraint("ck_comments_status",
                "status IN ('pending','approved','rejected','spam','deleted')"));
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Path).UseCollation("C");
            e.Property(c => c.Status).HasConversion(s => s.ToWire(), s => CommentStatusNames.FromWire(s)).HasMaxLength(16);
            e.Property(c => c.AuthorName).HasMaxLength(Limits.AuthorNameLength);
            e.Property(c => c.AuthorUrl).HasMaxLength(Limits.AuthorUrlLength);
            // One btree serves a whole thread or subtree in depth-first order (ORDER BY path, path range scans).
            e.HasIndex(c => new { c.ThreadId, c.Path }).IsUnique();
            // Pages of siblings: top-level comments (parent_id IS NULL) or the replies of one comment.
            e.HasIndex(c => new { c.ThreadId, c.ParentId, c.Path });
            e.HasOne<ArticleThread>().WithMany().HasForeignKey(c => c.ThreadId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Comment>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.Property(c => c.Verdict).HasColumnType("jsonb").HasConversion(Json<StoredVerdict?>());
            e.Property(c => c.AuthorKey).HasDefaultValue("");
            // Author history, repeats and bans: an author's recent comments on a site.
            e.HasIndex(c => new { c.SiteId, c.AuthorKey, c.CreatedAt });
            // The moderation queue and site-wide repeat detection: a site's comments by status and time.
            e.HasIndex(c => new { c.SiteId, c.Status, c.CreatedAt });
            // sort=top pages of siblings.
            e.HasIndex(c => new { c.ThreadId, c.ParentId, c.Score, c.Path }).IsDescending(false, false, true, false);
            // Pages of top-level comments and the pinned ones, exactly: without them the planner walks the whole
            // (thread, path) range and filters out every reply (measured in bench/: 36 ms at 50,000 comments).
            e.HasIndex(c => new { c.ThreadId, c.Path }, "ix_comments_top_level").HasDatabaseName("ix_comments_top_level").HasFilter("parent_id IS NULL AND NOT pinned").IsCreatedConcurrently();
            e.HasIndex(c => new { c.ThreadId, c.Path }, "ix_comments_pinned").HasDatabaseName("ix_comments_pinned").HasFilter("parent_id IS NULL AND pinned").IsCreatedConcurrently();
            // The moderation gate's recent comments on a site (any status but deleted) and by one address.
            e.HasIndex(c => new { c.SiteId, c.CreatedAt }).IsCreatedConcurrently();
            e.HasIndex(c => new { c.SiteId, c.IpHash, c.CreatedAt }).IsCreatedConcurrently();
            // Imports skip what an earlier run of the same file already wrote.
            e.HasIndex(c => new { c.SiteId, c.SourceId }).IsUnique().HasFilter("source_id IS NOT NULL");
        });

        b.Entity<ImportJob>(e =>
        {
            e.ToTable("import_jobs");
            e.Property(j => j.Id).ValueGeneratedNever();
            e.Property(j => j.Format).HasMaxLength(16);
            e.Property(j => j.ArticleIdFrom).HasMaxLength(32);
            e.Property(j => j.State).HasMaxLength(16);
            e.Property(j => j.Issues).HasColumnType("jsonb").HasConversion(Json<List<ImportIssue>>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<ImportIssue>>(
                    (a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
            e.HasIndex(j => new { j.SiteId, j.CreatedAt });
            e.HasOne<Site>().WithMany().HasForeignKey(j => j.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<SiteClassifiers>(e =>
        {
            e.ToTable("site_classifiers");
            e.HasKey(c => c.SiteId);
            e.HasOne<Site>().WithOne().HasForeignKey<SiteClassifiers>(c => c.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<CommentVote>(e =>
        {
            e.ToTable("comment_votes");
            e.HasKey(v => new { v.CommentId, v.VoterKey });
            e.HasOne<Comment>().WithMany().HasForeignKey(v => v.CommentId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<CommentReport>(e =>
        {
            e.ToTable("comment_reports");
            e.HasKey(r => new { r.CommentId, r.ReporterKey });
            e.HasOne<Comment>().WithMany().HasForeignKey(r => r.CommentId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ModerationDecision>(e =>
        {
            e.ToTable("moderation_decisions");
            e.Property(d => d.Id).ValueGeneratedNever();
            e.HasIndex(d => new { d.SiteId, d.At });
            e.HasIndex(d => d.CommentId);
            e.HasIndex(d => d.RuleId);
            e.HasOne<Site>().WithMany().HasForeignKey(d => d.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<SiteTermEntry>(e =>
        {
            e.ToTable("site_terms");
            e.HasKey(t => new { t.SiteId, t.Term });
            e.Property(t => t.Term).HasMaxLength(Limits.TermLength);
            e.HasOne<Site>().WithMany().HasForeignKey(t => t.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<AuthorBan>(e =>
        {
            e.ToTable("author_bans");
            e.Property(a => a.Id).ValueGeneratedNever();
            e.HasIndex(a => new { a.SiteId, a.AuthorKey });
            e.HasOne<Site>().WithMany().HasForeignKey(a => a.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<SiteSpamModel>(e =>
        {
            e.ToTable("site_spam_models");
            e.HasKey(m => m.SiteId);
            e.HasOne<Site>().WithMany().HasForeignKey(m => m.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.Property(k => k.Id).ValueGeneratedNever();
            e.Property(k => k.Name).HasMaxLength(Limits.KeyNameLength);
            e.HasIndex(k => k.KeyHash).IsUnique();
            e.HasIndex(k => k.SiteId);
            e.HasOne<Site>().WithMany().HasForeignKey(k => k.SiteId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ServerSecret>(e =>
        {
            e.ToTable("server_secrets");
            e.HasKey(s => s.Name);
        });

        b.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        b.ConfigureLimitsAndEvents();
        b.ConfigureModerationRules();
        b.ConfigureAppeals();
        b.ConfigureIdempotency();
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);

    internal static ValueConverter<T, string> Json<T>() where T : class? =>
        new(v => System.Text.Json.JsonSerializer.Serialize(v, JsonOptions),
            s => System.Text.Json.JsonSerializer.Deserialize<T>(s, JsonOptions)!);
}

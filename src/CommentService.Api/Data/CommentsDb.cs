using CommentService.Api.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Data;

public sealed class CommentsDb(DbContextOptions<CommentsDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<ArticleThread> Threads => Set<ArticleThread>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Site>(e =>
        {
            e.ToTable("sites");
            e.Property(s => s.Id).HasMaxLength(Limits.SiteIdLength);
            e.Property(s => s.Name).HasMaxLength(Limits.SiteNameLength);
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
    }
}

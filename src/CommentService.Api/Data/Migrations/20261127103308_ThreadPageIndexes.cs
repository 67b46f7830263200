using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    // Built CONCURRENTLY (outside a transaction): comments is the largest table, and a plain CREATE INDEX would
    // block every write while it builds during a rolling update.
    public partial class ThreadPageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_comments_site_id_created_at",
                table: "comments",
                columns: new[] { "site_id", "created_at" })
                .Annotation("Npgsql:CreatedConcurrently", true);

            migrationBuilder.CreateIndex(
                name: "ix_comments_site_id_ip_hash_created_at",
                table: "comments",
                columns: new[] { "site_id", "ip_hash", "created_at" })
                .Annotation("Npgsql:CreatedConcurrently", true);

            migrationBuilder.CreateIndex(
                name: "ix_comments_pinned",
                table: "comments",
                columns: new[] { "thread_id", "path" },
                filter: "parent_id IS NULL AND pinned")
                .Annotation("Npgsql:CreatedConcurrently", true);

            migrationBuilder.CreateIndex(
                name: "ix_comments_top_level",
                table: "comments",
                columns: new[] { "thread_id", "path" },
                filter: "parent_id IS NULL AND NOT pinned")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_comments_site_id_created_at",
                table: "comments");

            migrationBuilder.DropIndex(
                name: "ix_comments_site_id_ip_hash_created_at",
                table: "comments");

            migrationBuilder.DropIndex(
                name: "ix_comments_pinned",
                table: "comments");

            migrationBuilder.DropIndex(
                name: "ix_comments_top_level",
                table: "comments");
        }
    }
}

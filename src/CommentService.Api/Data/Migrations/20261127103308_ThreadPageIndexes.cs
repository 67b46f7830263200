using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ThreadPageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_comments_site_id_created_at",
                table: "comments",
                columns: new[] { "site_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_comments_site_id_ip_hash_created_at",
                table: "comments",
                columns: new[] { "site_id", "ip_hash", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_comments_pinned",
                table: "comments",
                columns: new[] { "thread_id", "path" },
                filter: "parent_id IS NULL AND pinned");

            migrationBuilder.CreateIndex(
                name: "ix_comments_top_level",
                table: "comments",
                columns: new[] { "thread_id", "path" },
                filter: "parent_id IS NULL AND NOT pinned");
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

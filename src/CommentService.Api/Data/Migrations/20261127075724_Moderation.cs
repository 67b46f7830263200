using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Moderation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "policy",
                table: "sites",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'{}'::jsonb");

            migrationBuilder.AddColumn<string>(
                name: "author_key",
                table: "comments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "moderated_at",
                table: "comments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "verdict",
                table: "comments",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "author_bans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    site_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    author_key = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_author_bans", x => x.id);
                    table.ForeignKey(
                        name: "fk_author_bans_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "moderation_decisions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    site_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    comment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    from_status = table.Column<string>(type: "text", nullable: false),
                    to_status = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    note = table.Column<string>(type: "text", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_moderation_decisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_moderation_decisions_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "site_spam_models",
                columns: table => new
                {
                    site_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    model = table.Column<byte[]>(type: "bytea", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_spam_models", x => x.site_id);
                    table.ForeignKey(
                        name: "fk_site_spam_models_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "site_terms",
                columns: table => new
                {
                    site_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    term = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_terms", x => new { x.site_id, x.term });
                    table.ForeignKey(
                        name: "fk_site_terms_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_comments_site_id_author_key_created_at",
                table: "comments",
                columns: new[] { "site_id", "author_key", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_comments_site_id_status_created_at",
                table: "comments",
                columns: new[] { "site_id", "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_author_bans_site_id_author_key",
                table: "author_bans",
                columns: new[] { "site_id", "author_key" });

            migrationBuilder.CreateIndex(
                name: "ix_moderation_decisions_comment_id",
                table: "moderation_decisions",
                column: "comment_id");

            migrationBuilder.CreateIndex(
                name: "ix_moderation_decisions_site_id_at",
                table: "moderation_decisions",
                columns: new[] { "site_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "author_bans");

            migrationBuilder.DropTable(
                name: "moderation_decisions");

            migrationBuilder.DropTable(
                name: "site_spam_models");

            migrationBuilder.DropTable(
                name: "site_terms");

            migrationBuilder.DropIndex(
                name: "ix_comments_site_id_author_key_created_at",
                table: "comments");

            migrationBuilder.DropIndex(
                name: "ix_comments_site_id_status_created_at",
                table: "comments");

            migrationBuilder.DropColumn(
                name: "policy",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "author_key",
                table: "comments");

            migrationBuilder.DropColumn(
                name: "moderated_at",
                table: "comments");

            migrationBuilder.DropColumn(
                name: "verdict",
                table: "comments");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ObserveOnlyRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "has_observed_rules",
                table: "sites",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AlterColumn<Guid>(
                name: "comment_id",
                table: "moderation_decisions",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "rule_id",
                table: "moderation_decisions",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "moderation_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    site_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    term = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    term_action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    setting = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    value = table.Column<double>(type: "double precision", nullable: true),
                    pre_moderation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    classifier = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    phase = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    promoted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    promoted_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_moderation_rules", x => x.id);
                    table.CheckConstraint("ck_moderation_rules_kind", "kind IN ('term','threshold','classifier','phase')");
                    table.CheckConstraint("ck_moderation_rules_mode", "mode IN ('observe','enforce')");
                    table.ForeignKey(
                        name: "fk_moderation_rules_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "shadow_verdicts",
                columns: table => new
                {
                    comment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rule_id = table.Column<Guid>(type: "uuid", nullable: false),
                    site_id = table.Column<string>(type: "text", nullable: false),
                    would_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    live_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    decided_by = table.Column<string>(type: "text", nullable: true),
                    flags = table.Column<string>(type: "jsonb", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shadow_verdicts", x => new { x.comment_id, x.rule_id });
                    table.ForeignKey(
                        name: "fk_shadow_verdicts_comments_comment_id",
                        column: x => x.comment_id,
                        principalTable: "comments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_shadow_verdicts_moderation_rules_rule_id",
                        column: x => x.rule_id,
                        principalTable: "moderation_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_moderation_decisions_rule_id",
                table: "moderation_decisions",
                column: "rule_id");

            migrationBuilder.CreateIndex(
                name: "ix_moderation_rules_site_id_mode",
                table: "moderation_rules",
                columns: new[] { "site_id", "mode" });

            migrationBuilder.CreateIndex(
                name: "ix_shadow_verdicts_rule_id_at",
                table: "shadow_verdicts",
                columns: new[] { "rule_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "shadow_verdicts");

            migrationBuilder.DropTable(
                name: "moderation_rules");

            migrationBuilder.DropIndex(
                name: "ix_moderation_decisions_rule_id",
                table: "moderation_decisions");

            migrationBuilder.DropColumn(
                name: "has_observed_rules",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "rule_id",
                table: "moderation_decisions");

            migrationBuilder.AlterColumn<Guid>(
                name: "comment_id",
                table: "moderation_decisions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}

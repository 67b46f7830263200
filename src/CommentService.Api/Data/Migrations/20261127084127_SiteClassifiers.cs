using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SiteClassifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "site_classifiers",
                columns: table => new
                {
                    site_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    akismet_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    akismet_base_url = table.Column<string>(type: "text", nullable: true),
                    akismet_key_protected = table.Column<string>(type: "text", nullable: true),
                    akismet_blog = table.Column<string>(type: "text", nullable: true),
                    webhook_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    webhook_url = table.Column<string>(type: "text", nullable: true),
                    webhook_secret_protected = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_classifiers", x => x.site_id);
                    table.ForeignKey(
                        name: "fk_site_classifiers_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "site_classifiers");
        }
    }
}

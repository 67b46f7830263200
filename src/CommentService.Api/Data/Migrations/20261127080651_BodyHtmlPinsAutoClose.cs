using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class BodyHtmlPinsAutoClose : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "auto_close_after_days",
                table: "sites",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "body_html",
                table: "comments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "pinned",
                table: "comments",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "auto_close_after_days",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "body_html",
                table: "comments");

            migrationBuilder.DropColumn(
                name: "pinned",
                table: "comments");
        }
    }
}

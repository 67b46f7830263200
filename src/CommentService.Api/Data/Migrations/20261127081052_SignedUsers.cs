using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SignedUsers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "user_token_secret_protected",
                table: "sites",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "author_avatar_url",
                table: "comments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "author_verified",
                table: "comments",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "user_token_secret_protected",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "author_avatar_url",
                table: "comments");

            migrationBuilder.DropColumn(
                name: "author_verified",
                table: "comments");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ThreadVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "threads",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Statement-level triggers: one UPDATE of each touched thread per statement (not per row),
            // skipped when this transaction already set it. Writers lock the thread row first anyway.
            migrationBuilder.Sql("""
                CREATE FUNCTION bump_thread_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        UPDATE threads t SET version = txid_current()
                        FROM (SELECT DISTINCT thread_id FROM old_rows) c
                        WHERE t.id = c.thread_id AND t.version <> txid_current();
                    ELSE
                        UPDATE threads t SET version = txid_current()
                        FROM (SELECT DISTINCT thread_id FROM new_rows) c
                        WHERE t.id = c.thread_id AND t.version <> txid_current();
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER comments_bump_version_insert AFTER INSERT ON comments
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_thread_version();
                CREATE TRIGGER comments_bump_version_update AFTER UPDATE ON comments
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_thread_version();
                CREATE TRIGGER comments_bump_version_delete AFTER DELETE ON comments
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_thread_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER comments_bump_version_insert ON comments;
                DROP TRIGGER comments_bump_version_update ON comments;
                DROP TRIGGER comments_bump_version_delete ON comments;
                DROP FUNCTION bump_thread_version();
                """);
            migrationBuilder.DropColumn(
                name: "version",
                table: "threads");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommentService.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SiteTermsVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // sites.terms_version: the id of the last transaction that changed the site's word list, set by a
            // trigger (no write path can forget it). The moderation gate keeps each site's terms in memory and
            // reads them again only when this differs: correct across replicas. Not in the EF model: only the
            // gate's raw statement reads it.
            migrationBuilder.Sql("""
                ALTER TABLE sites ADD COLUMN terms_version bigint NOT NULL DEFAULT 0;
                CREATE FUNCTION bump_site_terms_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        UPDATE sites s SET terms_version = txid_current()
                        FROM (SELECT DISTINCT site_id FROM old_rows) t
                        WHERE s.id = t.site_id AND s.terms_version <> txid_current();
                    ELSE
                        UPDATE sites s SET terms_version = txid_current()
                        FROM (SELECT DISTINCT site_id FROM new_rows) t
                        WHERE s.id = t.site_id AND s.terms_version <> txid_current();
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER site_terms_bump_version_insert AFTER INSERT ON site_terms
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_site_terms_version();
                CREATE TRIGGER site_terms_bump_version_update AFTER UPDATE ON site_terms
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_site_terms_version();
                CREATE TRIGGER site_terms_bump_version_delete AFTER DELETE ON site_terms
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_site_terms_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER site_terms_bump_version_insert ON site_terms;
                DROP TRIGGER site_terms_bump_version_update ON site_terms;
                DROP TRIGGER site_terms_bump_version_delete ON site_terms;
                DROP FUNCTION bump_site_terms_version();
                ALTER TABLE sites DROP COLUMN terms_version;
                """);
        }
    }
}

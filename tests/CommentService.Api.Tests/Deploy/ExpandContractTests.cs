using System.Text.RegularExpressions;
using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace CommentService.Api.Tests.Deploy;

/// <summary>
/// During a rolling update pods of the previous release run against the schema of the new one, so a
/// release's migrations may only expand the schema: new tables, nullable columns (or NOT NULL with a
/// default), indexes built concurrently. Dropping, renaming or tightening happens a release later (the
/// contract step), once no running code reads the old shape, and such a migration is listed in
/// <see cref="ContractSteps"/> with its justification. Migrations up to <see cref="Baseline"/> predate
/// the rule and are grandfathered (no release with them ever ran beside an older one).
/// </summary>
public sealed class ExpandContractTests
{
    public const string Baseline = "20261127102256_Imports";

    /// <summary>Migration id → why contracting is safe now (which release stopped reading what).</summary>
    public static readonly IReadOnlyDictionary<string, string> ContractSteps = new Dictionary<string, string>
    {
        // ["20270201090000_DropCommentsLegacyColumn"] = "contract of 20270105…: no release since 2027.01 reads comments.legacy",
    };

    private const string ConcurrentIndex = "Npgsql:CreatedConcurrently";
    private static readonly Regex RiskySql = new(@"\b(DROP\s+(TABLE|COLUMN)|RENAME|SET\s+NOT\s+NULL|ALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>What in these operations would break the previous release's code, or lock a busy table for a rebuild.</summary>
    public static List<string> Violations(IReadOnlyList<MigrationOperation> operations)
    {
        var created = operations.OfType<CreateTableOperation>().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var op in operations)
        {
            switch (op)
            {
                case DropTableOperation drop:
                    found.Add($"drops table {drop.Name}");
                    break;
                case DropColumnOperation drop:
                    found.Add($"drops column {drop.Table}.{drop.Name}");
                    break;
                case RenameTableOperation rename:
                    found.Add($"renames table {rename.Name} to {rename.NewName}");
                    break;
                case RenameColumnOperation rename:
                    found.Add($"renames column {rename.Table}.{rename.Name} to {rename.NewName}");
                    break;
                case AlterColumnOperation alter when !alter.IsNullable && alter.OldColumn.IsNullable:
                    found.Add($"makes {alter.Table}.{alter.Name} NOT NULL");
                    break;
                case AlterColumnOperation alter when alter.ClrType != alter.OldColumn.ClrType
                    || (alter.ColumnType is not null && alter.OldColumn.ColumnType is not null && !string.Equals(alter.ColumnType, alter.OldColumn.ColumnType, StringComparison.OrdinalIgnoreCase)):
                    found.Add($"changes the type of {alter.Table}.{alter.Name}");
                    break;
                case AddColumnOperation add when !created.Contains(add.Table) && !add.IsNullable
                    && add.DefaultValue is null && add.DefaultValueSql is null && add.ComputedColumnSql is null:
                    found.Add($"adds NOT NULL column {add.Table}.{add.Name} without a default (the previous release's inserts fail)");
                    break;
                case CreateIndexOperation index when !created.Contains(index.Table) && index[ConcurrentIndex] is not true:
                    found.Add($"builds index {index.Name} on existing table {index.Table} without CONCURRENTLY (blocks writes while it builds)");
                    break;
                case SqlOperation sql when RiskySql.IsMatch(sql.Sql):
                    found.Add($"runs SQL that drops, renames or tightens: {RiskySql.Match(sql.Sql).Value}");
                    break;
            }
        }
        return found;
    }

    private static CommentsDb Offline() => new(new DbContextOptionsBuilder<CommentsDb>()
        .UseNpgsql("Host=unused", o => o.MigrationsHistoryTable("__ef_migrations_history"))
        .UseSnakeCaseNamingConvention()
        .Options);

    [Fact]
    public void Migrations_after_the_baseline_only_expand_the_schema_unless_listed_as_a_contract_step()
    {
        using var db = Offline();
        var assembly = db.GetService<IMigrationsAssembly>();
        var provider = db.Database.ProviderName!;
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var (id, type) in assembly.Migrations.Where(m => string.CompareOrdinal(m.Key, Baseline) > 0))
        {
            checkedCount++;
            var violations = Violations(assembly.CreateMigration(type, provider).UpOperations);
            if (violations.Count > 0 && !ContractSteps.ContainsKey(id))
            {
                problems.AddRange(violations.Select(v => $"{id} {v}"));
            }
        }
        Assert.True(problems.Count == 0,
            $"Of {checkedCount} migrations after {Baseline}, these steps break a rolling update (the previous release still runs): "
            + string.Join("; ", problems)
            + ". Expand now and contract a release later; a deliberate contract step goes in ExpandContractTests.ContractSteps with its reason.");
    }

    [Fact]
    public void The_baseline_and_every_contract_step_are_migrations_of_this_build()
    {
        using var db = Offline();
        var ids = db.Database.GetMigrations().ToList();
        Assert.Contains(Baseline, ids);
        foreach (var (id, reason) in ContractSteps)
        {
            Assert.Contains(id, ids);
            Assert.True(string.CompareOrdinal(id, Baseline) > 0, $"{id} is before the baseline and needs no listing");
            Assert.False(string.IsNullOrWhiteSpace(reason), $"{id} has no justification");
        }
    }

    public static TheoryData<string> ContractingSteps() => new(
        "drop table", "drop column", "rename table", "rename column", "not null", "type change",
        "not null column without default", "blocking index", "raw drop");

    private static MigrationBuilder Contracting(string step)
    {
        var b = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        switch (step)
        {
            case "drop table": b.DropTable("webhook_events"); break;
            case "drop column": b.DropColumn("author_url", "comments"); break;
            case "rename table": b.RenameTable("threads", newName: "article_threads"); break;
            case "rename column": b.RenameColumn("body", "comments", "text"); break;
            case "not null": b.AlterColumn<string>("author_url", "comments", type: "text", nullable: false, oldClrType: typeof(string), oldType: "text", oldNullable: true); break;
            case "type change": b.AlterColumn<long>("depth", "comments", type: "bigint", oldClrType: typeof(int), oldType: "integer"); break;
            case "not null column without default": b.AddColumn<string>("locale", "comments", type: "text", nullable: false); break;
            case "blocking index": b.CreateIndex("ix_comments_author_name", "comments", "author_name"); break;
            case "raw drop": b.Sql("ALTER TABLE comments DROP COLUMN author_url;"); break;
            default: throw new ArgumentOutOfRangeException(nameof(step), step, null);
        }
        return b;
    }

    [Theory]
    [MemberData(nameof(ContractingSteps))]
    public void A_step_that_breaks_the_previous_release_is_reported(string step)
    {
        var violations = Violations(Contracting(step).Operations);
        Assert.Single(violations);
    }

    [Fact]
    public void Expanding_steps_pass()
    {
        var b = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        b.AddColumn<string>("locale", "comments", type: "text", nullable: true);
        b.AddColumn<bool>("archived", "threads", type: "boolean", nullable: false, defaultValue: false);
        b.AlterColumn<string>("author_url", "comments", type: "text", nullable: true, oldClrType: typeof(string), oldType: "text", oldNullable: false);
        b.CreateTable("thread_tags", t => new { thread_id = t.Column<Guid>(type: "uuid", nullable: false), tag = t.Column<string>(type: "text", nullable: false) },
            constraints: t => t.PrimaryKey("pk_thread_tags", x => new { x.thread_id, x.tag }));
        b.CreateIndex("ix_thread_tags_tag", "thread_tags", "tag");
        b.CreateIndex("ix_comments_author_name", "comments", "author_name").Annotation(ConcurrentIndex, true);
        b.Sql("UPDATE comments SET locale = 'en' WHERE locale IS NULL;");

        Assert.Empty(Violations(b.Operations));
    }
}

using System.Collections.Concurrent;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Moderation;
using CommentService.Moderation.Spam;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CommentService.Api.Features.Moderation;

/// <summary>
/// What the moderation gate reads for one comment, in one round trip: an <see cref="NpgsqlBatch"/> of the author's
/// counts by status, an active ban, recent texts by the author or address and on the site, the site's word list,
/// classifier settings and spam model, and the parent's text. The word list and the spam model are kept per site
/// in this process with the version they were read at (the word list's <c>sites.terms_version</c>, set by a trigger
/// in every transaction that changes it; the model row's <c>xmin</c>): the batch returns their rows only when the
/// version in the database differs, so the cache is correct on every replica without any invalidation message.
/// </summary>
public sealed class GateReads
{
    private readonly ConcurrentDictionary<string, (long Version, IReadOnlyList<SiteTerm> Terms)> terms = new();
    private readonly ConcurrentDictionary<string, (long Version, SpamModel Model)> spamModels = new();

    public sealed record Result(
        Dictionary<CommentStatus, int> Counts,
        bool Banned,
        List<string> RecentByAuthor,
        List<string> RecentOnSite,
        IReadOnlyList<SiteTerm> Terms,
        SiteClassifiers? Classifiers,
        SpamModel? SpamModel,
        (string Body, string AuthorName)? Parent);

    public async Task<Result> ReadAsync(CommentsDb db, CommentDraft draft, DateTimeOffset now, CancellationToken ct)
    {
        var siteId = draft.Site.Id;
        var knownTerms = terms.TryGetValue(siteId, out var t) ? t : ((long Version, IReadOnlyList<SiteTerm> Terms)?)null;
        var knownModel = spamModels.TryGetValue(siteId, out var m) ? m : ((long Version, SpamModel Model)?)null;
        var edited = draft.EditedCommentId;

        await db.Database.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
        {
            Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
        };
        // The author's comments by status over the history window.
        Add(batch, """
            SELECT status, count(*)::int FROM comments
            WHERE site_id = $1 AND author_key = $2 AND id IS DISTINCT FROM $3 AND created_at >= $4
            GROUP BY status
            """, siteId, draft.AuthorKey, Uuid(edited), now - ModerationGate.HistoryWindow);
        Add(batch, """
            SELECT EXISTS (SELECT 1 FROM author_bans WHERE site_id = $1 AND author_key = $2 AND (expires_at IS NULL OR expires_at > $3))
            """, siteId, draft.AuthorKey, now);
        // Recent texts by the author or from the same address: each arm walks its own index.
        Add(batch, """
            SELECT body FROM (
                (SELECT id, body, created_at FROM comments
                 WHERE site_id = $1 AND author_key = $2 AND created_at >= $3 AND status <> 'deleted' AND id IS DISTINCT FROM $4
                 ORDER BY created_at DESC LIMIT 20)
                UNION
                (SELECT id, body, created_at FROM comments
                 WHERE site_id = $1 AND ip_hash = $5 AND created_at >= $3 AND status <> 'deleted' AND id IS DISTINCT FROM $4
                 ORDER BY created_at DESC LIMIT 20)
            ) recent ORDER BY created_at DESC LIMIT 20
            """, siteId, draft.AuthorKey, now - ModerationGate.RepeatWindow, Uuid(edited),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = (object?)draft.IpHash ?? DBNull.Value });
        Add(batch, """
            SELECT body FROM comments
            WHERE site_id = $1 AND created_at >= $2 AND status <> 'deleted' AND id IS DISTINCT FROM $3
            ORDER BY created_at DESC LIMIT 50
            """, siteId, now.AddDays(-1), Uuid(edited));
        // The word list's version, with its terms only when that is not the version held here.
        Add(batch, """
            SELECT s.terms_version, t.term, t.action FROM sites s
            LEFT JOIN site_terms t ON t.site_id = s.id AND s.terms_version <> $2
            WHERE s.id = $1
            """, siteId, knownTerms?.Version ?? -1L);
        Add(batch, """
            SELECT akismet_enabled, akismet_base_url, akismet_key_protected, akismet_blog, webhook_enabled, webhook_url, webhook_secret_protected
            FROM site_classifiers WHERE site_id = $1
            """, siteId);
        Add(batch, """
            SELECT xmin::text::bigint, CASE WHEN xmin::text::bigint = $2 THEN NULL ELSE model END FROM site_spam_models WHERE site_id = $1
            """, siteId, knownModel?.Version ?? -1L);
        if (draft.ParentId is { } parentId)
        {
            Add(batch, "SELECT body, author_name FROM comments WHERE id = $1 AND site_id = $2", parentId, siteId);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var counts = new Dictionary<CommentStatus, int>();
        while (await reader.ReadAsync(ct))
        {
            counts[CommentStatusNames.FromWire(reader.GetString(0))] = reader.GetInt32(1);
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        var banned = reader.GetBoolean(0);
        await reader.NextResultAsync(ct);
        var recentByAuthor = await BodiesAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var recentOnSite = await BodiesAsync(reader, ct);

        await reader.NextResultAsync(ct);
        IReadOnlyList<SiteTerm> siteTerms = [];
        var fresh = new List<SiteTerm>();
        long? termsVersion = null;
        while (await reader.ReadAsync(ct))
        {
            termsVersion = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                fresh.Add(new SiteTerm(reader.GetString(1), SitePolicies.ParseAction(reader.GetString(2))));
            }
        }
        if (termsVersion is { } termsAt)
        {
            if (knownTerms is { } held && held.Version == termsAt)
            {
                siteTerms = held.Terms;
            }
            else
            {
                siteTerms = fresh;
                terms[siteId] = (termsAt, fresh);
            }
        }

        await reader.NextResultAsync(ct);
        SiteClassifiers? classifiers = null;
        if (await reader.ReadAsync(ct))
        {
            classifiers = new SiteClassifiers
            {
                SiteId = siteId,
                AkismetEnabled = reader.GetBoolean(0),
                AkismetBaseUrl = NullableString(reader, 1),
                AkismetKeyProtected = NullableString(reader, 2),
                AkismetBlog = NullableString(reader, 3),
                WebhookEnabled = reader.GetBoolean(4),
                WebhookUrl = NullableString(reader, 5),
                WebhookSecretProtected = NullableString(reader, 6),
            };
        }

        await reader.NextResultAsync(ct);
        SpamModel? spamModel = null;
        if (await reader.ReadAsync(ct))
        {
            var version = reader.GetInt64(0);
            if (reader.IsDBNull(1) && knownModel is { } held && held.Version == version)
            {
                spamModel = held.Model;
            }
            else
            {
                spamModel = SpamModel.FromBytes(reader.GetFieldValue<byte[]>(1));
                spamModels[siteId] = (version, spamModel);
            }
        }

        (string, string)? parent = null;
        if (draft.ParentId is not null)
        {
            await reader.NextResultAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                parent = (reader.GetString(0), reader.GetString(1));
            }
        }
        return new Result(counts, banned, recentByAuthor, recentOnSite, siteTerms, classifiers, spamModel, parent);
    }

    private static void Add(NpgsqlBatch batch, string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }
        batch.BatchCommands.Add(command);
    }

    private static NpgsqlParameter Uuid(Guid? value) => new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)value ?? DBNull.Value };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<List<string>> BodiesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var bodies = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            bodies.Add(reader.GetString(0));
        }
        return bodies;
    }
}

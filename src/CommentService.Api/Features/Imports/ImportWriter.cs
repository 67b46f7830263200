using System.Security.Cryptography;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Imports.Readers;
using CommentService.Api.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CommentService.Api.Features.Imports;

/// <summary>What an import wrote.</summary>
public sealed record ImportOutcome(int ThreadsCreated, int Imported, int Duplicates, int Orphans, IReadOnlyList<ImportIssue> Issues);

/// <summary>
/// Writes a read import file into a site in ONE transaction, so a failure leaves nothing behind.
/// Imports of one site run one at a time (an advisory lock), comments already imported (same source
/// id) are skipped, and every touched thread is locked like a live write before its tree is extended.
/// Rows go in with binary COPY in batches; the counters live writes maintain are set from the plan.
/// Imported comments do not pass the moderation pipeline (they were moderated where they came from)
/// and send no webhook events.
/// </summary>
public sealed class ImportWriter(
    CommentsDb db,
    KeyedHashes hashes,
    BodyRenderer renderer,
    IDataProtectionProvider protection,
    IOptions<ServiceOptions> options)
{
    private const int BatchSize = 1000;

    public async Task<ImportOutcome> WriteAsync(string siteId, ParsedImport file, Func<int, Task> progress, Func<ImportOutcome, Task> finish, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", ct, ("key", "import:" + siteId));

        var known = await KnownAsync(siteId, file.Comments, ct);
        var issues = new List<ImportIssue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<ImportedComment>();
        var duplicates = 0;
        foreach (var comment in file.Comments)
        {
            if (known.ContainsKey(comment.SourceId) || !seen.Add(comment.SourceId))
            {
                duplicates++;
                continue;
            }
            fresh.Add(comment);
        }
        await progress(duplicates);

        var threadsCreated = 0;
        var orphans = 0;
        var plans = new List<(long ThreadId, ThreadPlan Plan)>();
        // One lock order for every import: fewer waits, and no deadlock between two of them.
        foreach (var group in fresh.GroupBy(c => c.ThreadKey).OrderBy(g => file.Threads[g.Key].ArticleId, StringComparer.Ordinal))
        {
            var thread = file.Threads[group.Key];
            var (threadId, rootSequence, created) = await LockOrCreateThreadAsync(siteId, thread, group.Min(c => c.CreatedAt), ct);
            threadsCreated += created ? 1 : 0;
            var plan = ImportTree.Plan(threadId, rootSequence, group.ToList(), known, options.Value.MaxDepth);
            orphans += plan.Orphans;
            issues.AddRange(plan.Issues);
            plans.Add((threadId, plan));
        }

        var written = 0;
        var protector = protection.AuthorEmails();
        foreach (var batch in plans.SelectMany(p => p.Plan.Comments.Select(c => (p.ThreadId, Comment: c))).Chunk(BatchSize))
        {
            var rows = new List<Comment>(batch.Length);
            foreach (var (threadId, planned) in batch)
            {
                rows.Add(await RowAsync(siteId, threadId, planned, protector, ct));
            }
            await CopyAsync(rows, ct);
            written += rows.Count;
            await progress(duplicates + written);
        }
        await UpdateCountersAsync(plans, ct);

        var outcome = new ImportOutcome(threadsCreated, written, duplicates, orphans, issues);
        await finish(outcome);
        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>Comments of the site that the file's items or their parents already are: by source id, or by id for this service's own exports.</summary>
    private async Task<Dictionary<string, KnownComment>> KnownAsync(string siteId, List<ImportedComment> comments, CancellationToken ct)
    {
        var keys = comments.Select(c => c.SourceId).Concat(comments.Select(c => c.ParentSourceId).OfType<string>()).Distinct(StringComparer.Ordinal).ToArray();
        var ownIds = keys.Where(k => k.StartsWith(JsonLinesReader.SourcePrefix, StringComparison.Ordinal))
            .Select(k => Guid.TryParse(k.AsSpan(JsonLinesReader.SourcePrefix.Length), out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).ToArray();
        var known = new Dictionary<string, KnownComment>(StringComparer.Ordinal);
        await using (var cmd = Command("""
            SELECT source_id, id, thread_id, path, depth, child_sequence FROM comments WHERE site_id = @site AND source_id = ANY(@keys)
            UNION ALL
            SELECT @prefix || id::text, id, thread_id, path, depth, child_sequence FROM comments WHERE site_id = @site AND id = ANY(@ids)
            """, ("site", siteId), ("keys", keys), ("ids", ownIds), ("prefix", JsonLinesReader.SourcePrefix)))
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                known.TryAdd(reader.GetString(0), new KnownComment(reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt64(5)));
            }
        }
        return known;
    }

    /// <summary>Finds or creates the article's thread (title and URL fill in what is missing) and locks it until commit.</summary>
    private async Task<(long Id, long RootSequence, bool Created)> LockOrCreateThreadAsync(string siteId, ImportedThread thread, DateTimeOffset firstComment, CancellationToken ct)
    {
        await using var cmd = Command("""
            INSERT INTO threads (site_id, article_id, title, url, closed, created_at, approved_count, root_sequence)
            VALUES (@site, @article, @title, @url, @closed, @created, 0, 0)
            ON CONFLICT (site_id, article_id) DO UPDATE
                SET title = coalesce(threads.title, excluded.title), url = coalesce(threads.url, excluded.url)
            RETURNING id, root_sequence, xmax = 0
            """, ("site", siteId), ("article", thread.ArticleId), ("title", (object?)thread.Title ?? DBNull.Value),
            ("url", (object?)thread.Url ?? DBNull.Value), ("closed", thread.Closed), ("created", firstComment.ToUniversalTime()));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(2));
    }

    private async Task<Comment> RowAsync(string siteId, long threadId, PlannedComment planned, IDataProtector protector, CancellationToken ct)
    {
        var c = planned.Source;
        var ipHash = await hashes.AddressAsync(c.Address, ct);
        var authorKey = c.AuthorKey
                        ?? (c.SiteUserId is { } userId
                            ? await AuthorIdentity.KeyAsync(hashes, siteId, new SiteUser(userId, c.AuthorName, null, null), ct)
                            : await AuthorIdentity.KeyAsync(hashes, c.AuthorEmail, c.AuthorName, ipHash, ct));
        return new Comment
        {
            Id = planned.Id,
            SiteId = siteId,
            ThreadId = threadId,
            ParentId = planned.ParentId,
            Path = planned.Path,
            Depth = planned.Depth,
            Status = c.Status,
            AuthorName = c.AuthorName,
            AuthorEmailProtected = c.AuthorEmail is null ? null : protector.Protect(c.AuthorEmail),
            AuthorUrl = c.AuthorUrl,
            AuthorVerified = c.AuthorVerified,
            AuthorAvatarUrl = c.AuthorAvatarUrl,
            Body = c.Body,
            BodyHtml = c.Body.Length == 0 ? "" : renderer.ToHtml(c.Body),
            CreatedAt = c.CreatedAt.ToUniversalTime(),
            EditedAt = c.EditedAt?.ToUniversalTime(),
            // Nobody holds an edit token for an imported comment: a random hash no token matches.
            EditTokenHash = RandomNumberGenerator.GetBytes(32),
            IpHash = ipHash,
            AuthorKey = authorKey,
            Upvotes = c.Upvotes,
            Downvotes = c.Downvotes,
            Score = c.Upvotes - c.Downvotes,
            Pinned = planned.Pinned,
            ChildSequence = planned.ChildSequence,
            ReplyCount = planned.ReplyCount,
            VisibleDescendants = planned.VisibleDescendants,
            SourceId = c.SourceId,
        };
    }

    private async Task CopyAsync(List<Comment> rows, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY comments (id, site_id, thread_id, parent_id, path, depth, status, author_name, author_email_protected, author_url,
                           author_verified, author_avatar_url, body, body_html, created_at, edited_at, edit_token_hash, ip_hash,
                           author_key, upvotes, downvotes, score, report_count, pinned, child_sequence, reply_count,
                           visible_descendants, source_id)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var c in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(c.SiteId, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.ThreadId, NpgsqlDbType.Bigint, ct);
            await WriteNullableAsync(copy, c.ParentId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(c.Path, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Depth, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(c.Status.ToWire(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.AuthorName, NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(copy, c.AuthorEmailProtected, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, c.AuthorUrl, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.AuthorVerified, NpgsqlDbType.Boolean, ct);
            await WriteNullableAsync(copy, c.AuthorAvatarUrl, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Body, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.BodyHtml, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.CreatedAt, NpgsqlDbType.TimestampTz, ct);
            await WriteNullableAsync(copy, c.EditedAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(c.EditTokenHash, NpgsqlDbType.Bytea, ct);
            await WriteNullableAsync(copy, c.IpHash, NpgsqlDbType.Bytea, ct);
            await copy.WriteAsync(c.AuthorKey, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.Upvotes, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(c.Downvotes, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(c.Score, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(0, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(c.Pinned, NpgsqlDbType.Boolean, ct);
            await copy.WriteAsync(c.ChildSequence, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(c.ReplyCount, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(c.VisibleDescendants, NpgsqlDbType.Integer, ct);
            await WriteNullableAsync(copy, c.SourceId, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    /// <summary>The counters of the threads and of the comments that were there before, in three statements.</summary>
    private async Task UpdateCountersAsync(List<(long ThreadId, ThreadPlan Plan)> plans, CancellationToken ct)
    {
        if (plans.Count == 0)
        {
            return;
        }
        await ExecuteAsync("""
            UPDATE threads t SET root_sequence = u.root_sequence, approved_count = t.approved_count + u.approved
            FROM unnest(@ids, @sequences, @approved) AS u(id, root_sequence, approved) WHERE t.id = u.id
            """, ct, ("ids", plans.Select(p => p.ThreadId).ToArray()), ("sequences", plans.Select(p => p.Plan.RootSequence).ToArray()),
            ("approved", plans.Select(p => p.Plan.ApprovedAdded).ToArray()));

        var parents = plans.SelectMany(p => p.Plan.KnownParents).ToList();
        if (parents.Count > 0)
        {
            await ExecuteAsync("""
                UPDATE comments c SET child_sequence = u.child_sequence, reply_count = c.reply_count + u.replies
                FROM unnest(@ids, @sequences, @replies) AS u(id, child_sequence, replies) WHERE c.id = u.id
                """, ct, ("ids", parents.Select(p => p.Key).ToArray()), ("sequences", parents.Select(p => p.Value.ChildSequence).ToArray()),
                ("replies", parents.Select(p => p.Value.RepliesAdded).ToArray()));
        }

        var ancestors = plans.SelectMany(p => p.Plan.KnownDescendantsAdded.Select(d => (p.ThreadId, Path: d.Key, Added: d.Value))).ToList();
        if (ancestors.Count > 0)
        {
            await ExecuteAsync("""
                UPDATE comments c SET visible_descendants = c.visible_descendants + u.added
                FROM unnest(@threads, @paths, @added) AS u(thread_id, path, added) WHERE c.thread_id = u.thread_id AND c.path = u.path
                """, ct, ("threads", ancestors.Select(a => a.ThreadId).ToArray()), ("paths", ancestors.Select(a => a.Path).ToArray()),
                ("added", ancestors.Select(a => a.Added).ToArray()));
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private NpgsqlCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return cmd;
    }
}

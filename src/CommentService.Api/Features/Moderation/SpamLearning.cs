using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Moderation.Spam;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CommentService.Api.Features.Moderation;

/// <summary>
/// Moderators' decisions teach the site's own spam classifier, on top of the shipped base model:
/// marking a comment spam is a spam example; approving a comment the pipeline held is a legitimate
/// one. Runs in the decision's transaction, with the site's model row locked so concurrent decisions
/// do not lose each other's lessons.
/// </summary>
public sealed class SpamLearning(CommentsDb db, TimeProvider clock, SiteSpamModelCache cache)
{
    public async Task LearnAsync(string siteId, string body, CommentStatus from, CommentStatus to, CancellationToken ct)
    {
        bool? isSpam = to switch
        {
            CommentStatus.Spam => true,
            CommentStatus.Approved when from is CommentStatus.Pending or CommentStatus.Spam => false,
            _ => null,
        };
        if (isSpam is null || string.IsNullOrWhiteSpace(body))
        {
            return;
        }
        var row = (await db.SiteSpamModels.FromSql($"SELECT * FROM site_spam_models WHERE site_id = {siteId} FOR UPDATE").ToListAsync(ct)).SingleOrDefault();
        var model = row is null ? new SpamModel() : SpamModel.FromBytes(row.Model);
        model.Learn(body, isSpam.Value, SpamModel.Base);
        if (row is null)
        {
            db.SiteSpamModels.Add(new SiteSpamModel { SiteId = siteId, Model = model.ToBytes(), UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            row.Model = model.ToBytes();
            row.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The site's model, or null while its moderators have taught it nothing. Deserialised once per change:
    /// one statement reads the row's xmin (which every update changes, on whichever replica it ran) and the
    /// model's bytes only when that differs from the version this process has parsed.
    /// </summary>
    public async Task<SpamModel?> LoadAsync(string siteId, CancellationToken ct)
    {
        var cached = cache.TryGet(siteId);
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT xmin::text::bigint, CASE WHEN xmin::text::bigint = @known THEN NULL ELSE model END FROM site_spam_models WHERE site_id = @s",
            (Npgsql.NpgsqlConnection)db.Database.GetDbConnection(),
            (Npgsql.NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        cmd.Parameters.AddWithValue("s", siteId);
        cmd.Parameters.AddWithValue("known", cached?.Version ?? -1L);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        var version = reader.GetInt64(0);
        if (reader.IsDBNull(1) && cached is { } hit && hit.Version == version)
        {
            return hit.Model;
        }
        var model = SpamModel.FromBytes(reader.GetFieldValue<byte[]>(1));
        cache.Set(siteId, version, model);
        return model;
    }
}

/// <summary>Parsed site spam models with the row version (xmin) they were read at; shared by the process's requests.</summary>
public sealed class SiteSpamModelCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Version, SpamModel Model)> models = new();

    public (long Version, SpamModel Model)? TryGet(string siteId) => models.TryGetValue(siteId, out var entry) ? entry : null;

    public void Set(string siteId, long version, SpamModel model) => models[siteId] = (version, model);
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Moderation.Spam;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation;

/// <summary>
/// Moderators' decisions teach the site's own spam classifier, on top of the shipped base model:
/// marking a comment spam is a spam example; approving a comment the pipeline held is a legitimate
/// one. Runs in the decision's transaction, with the site's model row locked so concurrent decisions
/// do not lose each other's lessons.
/// </summary>
public sealed class SpamLearning(CommentsDb db, TimeProvider clock)
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
}

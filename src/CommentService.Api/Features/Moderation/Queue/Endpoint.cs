using System.Text.Json;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Queue;

public sealed class Endpoint(CommentsDb db) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("queue");
        Group<ModerationGroup>();
        Description(b => b.WithName("listModerationQueue").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "The moderation queue";
            s.Description = "Held and spam comments (or any statuses asked for) with their verdicts, flags and evidence, "
                + "filterable by reason, appeal (appeal=open: the appeals to decide), article and time, oldest first by default, cursor-paged.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var statuses = (req.Status is { Count: > 0 } ? req.Status : req.Appeal is null or "none" ? ["pending", "spam"] : ["pending", "spam", "rejected", "approved"])
            .Select(CommentStatusNames.FromWire).ToList();
        var newestFirst = req.Sort == "newest";
        var limit = req.Limit ?? Limits.DefaultPageSize;

        var comments = req.Reason is null
            ? db.Comments.AsNoTracking()
            : db.Comments.FromSql($"SELECT * FROM comments WHERE verdict -> 'flags' @> {JsonSerializer.Serialize(new[] { new { reason = req.Reason } })}::jsonb").AsNoTracking();
        var query = from c in comments
                    join t in db.Threads on c.ThreadId equals t.Id
                    where c.SiteId == req.SiteId && statuses.Contains(c.Status)
                    select new { Comment = c, t.ArticleId };
        query = req.Appeal switch
        {
            null => query,
            "none" => query.Where(x => !db.Appeals.Any(a => a.CommentId == x.Comment.Id)),
            "any" => query.Where(x => db.Appeals.Any(a => a.CommentId == x.Comment.Id)),
            var state => query.Where(x => db.Appeals.Any(a => a.CommentId == x.Comment.Id && a.State == state)),
        };
        if (req.ArticleId is not null)
        {
            query = query.Where(x => x.ArticleId == req.ArticleId);
        }
        if (req.Since is { } since)
        {
            query = query.Where(x => x.Comment.CreatedAt >= since.ToUniversalTime());
        }
        if (req.Until is { } until)
        {
            query = query.Where(x => x.Comment.CreatedAt < until.ToUniversalTime());
        }
        if (req.Cursor is not null && KeysetCursor.TryDecode(req.Cursor, out var at, out var id))
        {
            query = newestFirst
                ? query.Where(x => x.Comment.CreatedAt < at || (x.Comment.CreatedAt == at && x.Comment.Id.CompareTo(id) < 0))
                : query.Where(x => x.Comment.CreatedAt > at || (x.Comment.CreatedAt == at && x.Comment.Id.CompareTo(id) > 0));
        }
        query = newestFirst
            ? query.OrderByDescending(x => x.Comment.CreatedAt).ThenByDescending(x => x.Comment.Id)
            : query.OrderBy(x => x.Comment.CreatedAt).ThenBy(x => x.Comment.Id);

        var rows = await query.Take(limit + 1).ToListAsync(ct);
        var next = rows.Count > limit ? KeysetCursor.Encode(rows[limit - 1].Comment.CreatedAt, rows[limit - 1].Comment.Id) : null;
        var page = rows.Take(limit).ToList();
        var ids = page.Select(x => x.Comment.Id).ToList();
        var appeals = await db.Appeals.AsNoTracking().Where(a => ids.Contains(a.CommentId)).ToDictionaryAsync(a => a.CommentId, ct);
        var items = page.Select(x => ModeratedComment.From(x.Comment, x.ArticleId, appeals.GetValueOrDefault(x.Comment.Id))).ToList();
        await Send.OkAsync(new Response(items, next), ct);
    }
}

using System.Data.Common;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Rules;

public sealed class ReportEndpoint(CommentsDb db, TimeProvider clock) : Endpoint<ReportRequest, ReportResponse>
{
    public const int ExampleCount = 5;
    public const int ExcerptLength = 160;

    public override void Configure()
    {
        Get("rules/{ruleId}/report");
        Group<ModerationGroup>();
        Description(b => b.WithName("getModerationRuleReport").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "What an observed rule would have done, and whether moderators agree";
            s.Description = "Over [from, to) (default the last 30 days): comments seen while the rule was observed, those it fired on, "
                + "those it would have held, rejected, marked spam or approved unlike the live rules, how moderators finally decided those, "
                + "the agreement rate, and a few examples.";
        });
    }

    public override async Task HandleAsync(ReportRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var rule = await RuleChanges.RequireAsync(db, req.SiteId, req.RuleId, ct, track: false);
        var to = (req.To ?? clock.GetUtcNow()).ToUniversalTime();
        var from = req.From?.ToUniversalTime() ?? to.AddDays(-30);

        // Seen: comments posted while the rule was observed, within the period.
        var seenFrom = from > rule.CreatedAt ? from : rule.CreatedAt;
        var seenTo = rule.PromotedAt is { } promoted && promoted < to ? promoted : to;
        var seen = seenFrom < seenTo
            ? await db.Comments.CountAsync(c => c.SiteId == req.SiteId && c.CreatedAt >= seenFrom && c.CreatedAt < seenTo, ct)
            : 0;

        int fired = 0, changed = 0, hold = 0, reject = 0, spam = 0, approve = 0;
        int approved = 0, rejected = 0, markedSpam = 0, undecided = 0, agree = 0, disagree = 0;
        foreach (var (would, live, decided, count) in await TallyAsync(rule.Id, from, to, ct))
        {
            fired += count;
            if (would == live)
            {
                continue;
            }
            changed += count;
            switch (would)
            {
                case "pending": hold += count; break;
                case "rejected": reject += count; break;
                case "spam": spam += count; break;
                default: approve += count; break;
            }
            switch (decided)
            {
                case "approved": approved += count; break;
                case "rejected": rejected += count; break;
                case "spam": markedSpam += count; break;
                default: undecided += count; continue;
            }
            // Held back (pending, rejected, spam) agrees with a rejection or spam; let through agrees with an approval.
            if ((would == "approved") == (decided == "approved"))
            {
                agree += count;
            }
            else
            {
                disagree += count;
            }
        }
        var decidedCount = agree + disagree;

        var examples = await db.ShadowVerdicts.AsNoTracking()
            .Where(s => s.RuleId == rule.Id && s.At >= from && s.At < to)
            .Join(db.Comments, s => s.CommentId, c => c.Id, (s, c) => new { s, c.Body, c.Status })
            .OrderByDescending(x => x.s.WouldStatus != x.s.LiveStatus).ThenByDescending(x => x.s.At)
            .Take(ExampleCount)
            .ToListAsync(ct);

        await Send.OkAsync(new ReportResponse(
            RuleResponse.From(rule), from, to, seen, fired, changed, hold, reject, spam, approve,
            new ModeratorOutcomes(approved, rejected, markedSpam, undecided),
            new Agreement(decidedCount, agree, disagree, decidedCount == 0 ? null : Math.Round((double)agree / decidedCount, 4)),
            examples.Select(x => new RuleExample(
                x.s.CommentId, Excerpt(x.Body), x.s.LiveStatus, x.s.WouldStatus, x.Status.ToWire(), x.s.DecidedBy, x.s.Flags, x.s.At)).ToList()), ct);
    }

    private static string Excerpt(string body) =>
        body.Length <= ExcerptLength ? body : string.Concat(body.AsSpan(0, ExcerptLength - 1).TrimEnd(), "…");

    /// <summary>
    /// The rule's shadow verdicts in the period, counted by would-be status, live status and the latest
    /// moderator decision (approve, reject or spam; null when none), in one grouped query.
    /// </summary>
    private async Task<List<(string Would, string Live, string? Decided, int Count)>> TallyAsync(Guid ruleId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                SELECT s.would_status, s.live_status, d.to_status, count(*)::int
                FROM shadow_verdicts s
                LEFT JOIN LATERAL (
                    SELECT m.to_status FROM moderation_decisions m
                    WHERE m.comment_id = s.comment_id AND m.to_status IN ('approved', 'rejected', 'spam')
                    ORDER BY m.at DESC LIMIT 1) d ON true
                WHERE s.rule_id = @rule AND s.at >= @from AND s.at < @to
                GROUP BY 1, 2, 3
                """;
            Add(cmd, "rule", ruleId);
            Add(cmd, "from", from);
            Add(cmd, "to", to);
            var rows = new List<(string, string, string?, int)>();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3)));
            }
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}

using CommentService.Api.Tests.Infrastructure;
using CommentService.Client;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>Observe-only moderation rules and authors' appeals, through the generated client against the running service.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RulesAndAppealsClientTests(ServiceFixture service) : IDisposable
{
    private readonly ClientSession session = new(service);

    public void Dispose() => session.Dispose();

    [Fact]
    public async Task An_observe_rule_is_created_listed_reported_promoted_and_another_deleted()
    {
        var site = await session.NewSiteAsync();
        var moderator = await session.KeyAsync(site, "moderate");
        var reader = session.Reader;

        var rule = await moderator.CreateModerationRuleAsync(site, new CreateRuleRequest { Kind = "term", Term = "Popcorn", Action = "hold" });
        Assert.Equal("observe", rule.Mode);
        Assert.Equal("popcorn", rule.Term);
        Assert.Equal("hold", rule.Action);
        Assert.Equal(rule.Id, Assert.Single((await moderator.ListModerationRulesAsync(site)).Items!).Id);
        Assert.Equal(rule.Id, Assert.Single((await moderator.ListModerationRulesAsync(site, mode: "observe")).Items!).Id);
        Assert.Empty((await moderator.ListModerationRulesAsync(site, mode: "enforce")).Items!);
        Assert.Equal("popcorn", (await moderator.GetModerationRuleAsync(site, rule.Id!.Value)).Term);

        // Observed only: the comment is shown, and the report says what the rule would have done.
        var hit = await reader.CreateCommentAsync(site, "her", new CreateCommentRequest
        {
            AuthorName = "Ines",
            Body = "The popcorn at the cinema was stale, but the last scene made up for it.",
        });
        await reader.CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Omar", Body = SampleText.Line(20) });
        Assert.Equal("approved", hit.Status);
        var report = await moderator.GetModerationRuleReportAsync(site, rule.Id.Value);
        Assert.Equal(rule.Id, report.Rule!.Id);
        Assert.Equal(2, report.Seen);
        Assert.Equal(1, report.Fired);
        Assert.Equal(1, report.WouldHold);
        Assert.Equal(hit.Id, Assert.Single(report.Examples!).CommentId);
        var before = await moderator.GetModerationRuleReportAsync(site, rule.Id.Value,
            from: DateTimeOffset.UtcNow.AddDays(-3), to: DateTimeOffset.UtcNow.AddDays(-2));
        Assert.Equal(0, before.Seen);

        var promoted = await moderator.PromoteModerationRuleAsync(site, rule.Id.Value, new PromoteRequest { Note = "only ads so far" });
        Assert.Equal("enforce", promoted.Mode);
        Assert.Contains((await moderator.ListSiteTermsAsync(site)).Items!, t => t.Term == "popcorn" && t.Action == "hold");
        var held = await reader.CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Tomas", Body = "Bring popcorn, the second hour is slow but worth it." });
        Assert.Equal("pending", held.Status);
        await ClientSession.ProblemAsync(409, "conflict", () => moderator.PromoteModerationRuleAsync(site, rule.Id.Value, new PromoteRequest()));
        var audit = await moderator.ListModerationAuditAsync(site, ruleId: rule.Id);
        Assert.Equal(["rule.promoted", "rule.created"], audit.Items!.Select(e => e.Action));

        var threshold = await moderator.CreateModerationRuleAsync(site, new CreateRuleRequest { Kind = "threshold", Setting = "maxLinks", Value = 0 });
        Assert.Equal("observe", threshold.Mode);
        await moderator.DeleteModerationRuleAsync(site, threshold.Id!.Value);
        await ClientSession.ProblemAsync(404, "not-found", () => moderator.GetModerationRuleAsync(site, threshold.Id.Value));
        Assert.DoesNotContain((await moderator.ListModerationRulesAsync(site)).Items!, r => r.Id == threshold.Id);

        var invalid = await ClientSession.ProblemAsync(400, "validation",
            () => moderator.CreateModerationRuleAsync(site, new CreateRuleRequest { Kind = "term", Term = "popcorn", Action = "delete" }));
        Assert.Contains(invalid.Result.Errors!, e => e.Name == "action");
        await ClientSession.ProblemAsync(401, "unauthorized", () => session.Reader.ListModerationRulesAsync(site));
    }

    [Fact]
    public async Task An_author_reads_why_a_comment_is_held_appeals_once_and_the_decision_closes_the_appeal()
    {
        var site = await session.NewSiteAsync();
        var moderator = await session.KeyAsync(site, "moderate");
        await moderator.UpdateModerationPolicyAsync(site, new UpdatePolicyRequest { PreModeration = "all" });
        var author = session.Reader;
        var comment = await author.CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Ada", Body = SampleText.Line(21) });
        Assert.Equal("pending", comment.Status);
        var id = comment.Id!.Value;

        var status = await author.GetCommentModerationStatusAsync(site, id, editToken: comment.EditToken);
        Assert.Equal(id, status.CommentId);
        Assert.Equal("pending", status.Status);
        Assert.Equal(["site-reviews-all"], status.Reasons!.Select(r => r.Code));
        Assert.True(status.CanAppeal);
        Assert.Null(status.Appeal);
        // Without the author's edit token the held comment does not exist.
        await ClientSession.ProblemAsync(404, "not-found", () => author.GetCommentModerationStatusAsync(site, id));
        await ClientSession.ProblemAsync(404, "not-found", () => author.AppealCommentAsync(site, id, new AppealRequest { Message = "Please look again." }));

        var appeal = await author.AppealCommentAsync(site, id, new AppealRequest { Message = "  I was quoting the film's title.  " }, editToken: comment.EditToken);
        Assert.Equal("open", appeal.State);
        Assert.Equal("I was quoting the film's title.", appeal.Message);
        await ClientSession.ProblemAsync(409, "appeal-exists",
            () => author.AppealCommentAsync(site, id, new AppealRequest { Message = "Again, please." }, editToken: comment.EditToken));
        var appealed = await author.GetCommentModerationStatusAsync(site, id, editToken: comment.EditToken);
        Assert.False(appealed.CanAppeal);
        Assert.Equal("open", appealed.Appeal!.State);

        // A second held comment without an appeal stays out of the appeals queue.
        var quiet = await author.CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Ben", Body = SampleText.Line(22) });
        var open = Assert.Single((await moderator.ListModerationQueueAsync(site, appeal: "open")).Items!);
        Assert.Equal(id, open.Id);
        Assert.Equal("I was quoting the film's title.", open.Appeal!.Message);
        Assert.Equal("pending", open.Appeal.StatusAtAppeal);
        Assert.Equal([quiet.Id], (await moderator.ListModerationQueueAsync(site, appeal: "none")).Items!.Select(c => c.Id));

        var decided = await moderator.DecideCommentAsync(site, id, new DecideModerationRequest { Action = "approve", Note = "Fine on second look." });
        Assert.Equal("approved", decided.Status);
        Assert.Equal("overturned", decided.Appeal!.State);
        Assert.Empty((await moderator.ListModerationQueueAsync(site, appeal: "open")).Items!);
        Assert.Equal([id], (await moderator.ListModerationQueueAsync(site, appeal: "overturned")).Items!.Select(c => c.Id!.Value));
        var closed = await author.GetCommentModerationStatusAsync(site, id, editToken: comment.EditToken);
        Assert.Equal("approved", closed.Status);
        Assert.Equal("overturned", closed.Appeal!.State);
        Assert.NotNull(closed.Appeal.DecidedAt);
        Assert.Empty(closed.Reasons!);

        // Moderators decide instead of appealing.
        await ClientSession.ProblemAsync(403, "forbidden", () => moderator.AppealCommentAsync(site, quiet.Id!.Value, new AppealRequest { Message = "Mine." }));
    }
}

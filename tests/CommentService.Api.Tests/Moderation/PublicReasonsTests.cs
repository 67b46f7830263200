using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Comments.Appeals;
using CommentService.Moderation;

namespace CommentService.Api.Tests.Moderation;

/// <summary>The mapping from the pipeline's reason codes to what an author is told.</summary>
public sealed class PublicReasonsTests
{
    /// <summary>Flags that describe the author, a classifier's state or how a reply's parent was read, and never hold a comment on their own.</summary>
    private static readonly string[] Informational =
    [
        "author.new", "author.trusted", "external.unavailable", "external.akismet.clean", "external.webhook.approved",
        "context.aimed_at_parent", "context.quotes_parent", "context.changed_outcome",
    ];

    public static TheoryData<string> DeclaredCodes() => new(ReasonCodes.All);

    [Theory]
    [MemberData(nameof(DeclaredCodes))]
    public void Every_reason_code_the_library_declares_has_its_own_public_reason(string code)
    {
        Assert.True(PublicReasons.IsMapped(code), $"{code} has no entry in PublicReasons");
        var reason = PublicReasons.ForCode(code);
        if (Informational.Contains(code))
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.NotNull(reason);
            Assert.Contains(reason, PublicReasons.AllReasons);
        }
    }

    [Fact]
    public void Public_texts_name_no_code_phase_or_number()
    {
        var phases = new[] { "crude-language", "site-terms", "pre-moderation", "spam.", "external.", "score", "threshold" };
        foreach (var reason in PublicReasons.AllReasons)
        {
            Assert.DoesNotContain(reason.Text, ReasonCodes.All);
            Assert.All(ReasonCodes.All, code => Assert.DoesNotContain(code, reason.Text, StringComparison.Ordinal));
            Assert.All(phases, phase => Assert.DoesNotContain(phase, reason.Text, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotMatch("[0-9]", reason.Text);
            Assert.Matches("^[a-z]+(-[a-z]+)*$", reason.Code);
        }
        Assert.Equal(PublicReasons.AllReasons.Count, PublicReasons.AllReasons.Select(r => r.Code).Distinct().Count());
    }

    [Fact]
    public void Codes_from_a_newer_rule_set_fall_back_to_their_family()
    {
        Assert.Equal(PublicReasons.OffensiveLanguage, PublicReasons.ForCode("crude.something_new"));
        Assert.Equal(PublicReasons.Promotional, PublicReasons.ForCode("spam.something_new"));
        Assert.Equal(PublicReasons.AwaitingReview, PublicReasons.ForCode("context.something_new"));
        Assert.False(PublicReasons.IsMapped("crude.something_new"));
    }

    [Fact]
    public void Only_the_deciding_phase_explains_a_held_comment()
    {
        var verdict = new StoredVerdict("pending", "crude-language",
        [
            new StoredFlag("author.new", "author", 0, null, null, null, "no approved comment on this site yet"),
            new StoredFlag("spam.link", "spam.links", 0.05, "https://example.com", 10, 19, null),
            new StoredFlag("crude.sexual", "crude-language", 0.9, "d1ck", 3, 4, "obfuscated"),
            new StoredFlag("crude.insult", "crude-language", 0.6, "idiot", 20, 5, null),
        ], "test");
        var comment = Comment(CommentStatus.Pending, verdict);

        Assert.Equal([PublicReasons.OffensiveLanguage], PublicReasons.For(comment, null));
    }

    [Fact]
    public void Moderators_and_readers_reports_explain_the_status_they_set()
    {
        var approvedByPipeline = new StoredVerdict("approved", null, [], "test");
        var reported = Comment(CommentStatus.Pending, approvedByPipeline);
        Assert.Equal([PublicReasons.ReaderReports], PublicReasons.For(reported, Decision(reported, "readers", "pending")));

        var rejected = Comment(CommentStatus.Rejected, approvedByPipeline);
        Assert.Equal([PublicReasons.ModeratorDecision], PublicReasons.For(rejected, Decision(rejected, "key:1", "rejected")));

        Assert.Empty(PublicReasons.For(Comment(CommentStatus.Approved, approvedByPipeline), null));
        Assert.Equal([PublicReasons.AwaitingReview], PublicReasons.For(Comment(CommentStatus.Pending, null), null));
    }

    private static Comment Comment(CommentStatus status, StoredVerdict? verdict) => new()
    {
        Id = Guid.NewGuid(),
        SiteId = "site",
        Path = "000001",
        AuthorName = "Reader",
        Body = "text",
        EditTokenHash = [],
        AuthorKey = "n:1",
        Status = status,
        Verdict = verdict,
    };

    private static ModerationDecision Decision(Comment comment, string actor, string to) => new()
    {
        SiteId = comment.SiteId,
        CommentId = comment.Id,
        Actor = actor,
        Action = "x",
        FromStatus = "approved",
        ToStatus = to,
    };
}

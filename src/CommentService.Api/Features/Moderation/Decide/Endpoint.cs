using CommentService.Api.Domain;
using CommentService.Api.Features.Comments.Appeals;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Moderation.Decide;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }

    /// <summary>approve, reject or spam.</summary>
    public string Action { get; set; } = "";

    /// <summary>A short reason code for the audit log (e.g. off-topic, harassment).</summary>
    public string? Reason { get; set; }

    /// <summary>A free-text note for other moderators.</summary>
    public string? Note { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Action).Must(a => Decisions.Actions.Contains(a)).WithMessage("action is approve, reject or spam.");
        RuleFor(r => r.Reason).CleanText("reason", Limits.ReasonCodeLength).When(r => r.Reason is not null);
        RuleFor(r => r.Note).CleanText("note", Limits.ReasonLength, multiline: true).When(r => r.Note is not null);
    }
}

public sealed class Endpoint(Decisions decisions, AppealLedger appeals) : Endpoint<Request, ModeratedComment>
{
    public override void Configure()
    {
        Post("comments/{commentId}/decision");
        Group<ModerationGroup>();
        Description(b => b.WithName("decideComment").ProducesProblems(400, 401, 403, 404, 409, 412).AcceptsHeaders(ModerationETag.IfMatchHeader));
        Summary(s =>
        {
            s.Summary = "Approve, reject or mark a comment as spam";
            s.Description = "Moves the comment to the decided status (counts follow), records the decision in the audit log, and teaches the site's spam classifier. "
                + "An open appeal on the comment closes with the decision: approve overturns it, reject or spam upholds it. "
                + "Send the comment's ETag (the queue item's etag, or GET comment's ETag header) as If-Match to decide only on what you saw: "
                + "412 precondition-failed when the comment changed meanwhile (another moderator decided, the author edited or appealed). "
                + "Without If-Match: 409 when the comment is deleted or already in that status (another moderator got there first). "
                + "The answer carries the new ETag.";
            s.ExampleRequest = new Request { SiteId = "film-blog", CommentId = Guid.Empty, Action = "reject", Reason = "harassment" };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (comment, thread) = await decisions.ApplyAsync(req.SiteId, req.CommentId, req.Action, req.Reason, req.Note, Decisions.ActorOf(User), ct,
            ModerationETag.IfMatchOf(HttpContext.Request));
        HttpContext.Response.Headers.ETag = ModerationETag.Of(comment);
        await Send.OkAsync(ModeratedComment.From(comment, thread.ArticleId, await appeals.FindAsync(comment.Id, ct)), ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Features.Comments;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Check;

public sealed class Request : ICommentFields
{
    public string SiteId { get; set; } = "";

    /// <summary>The article the comment would be posted under.</summary>
    public string ArticleId { get; set; } = "";

    /// <summary>The comment it would reply to: the reply is judged with that comment's text and author in view.</summary>
    public Guid? ParentId { get; set; }

    /// <summary>Instead of <c>parentId</c>: the text of the comment it would reply to (not stored anywhere).</summary>
    public string? ParentBody { get; set; }

    /// <summary>With <c>parentBody</c>: the display name of that comment's author.</summary>
    public string? ParentAuthorName { get; set; }
    public string AuthorName { get; set; } = "";
    public string? AuthorEmail { get; set; }
    public string? AuthorUrl { get; set; }
    public string Body { get; set; } = "";
}

public sealed class Validator : CommentFieldsValidator<Request>
{
    public Validator()
    {
        RuleFor(r => r.ArticleId).Must(a => ArticleIds.Problem(a) is null).WithMessage("articleId must be a valid article ID.");
        RuleFor(r => r.ParentBody).CleanText("parentBody", Domain.Limits.BodyLength, multiline: true).When(r => r.ParentBody is not null);
        RuleFor(r => r.ParentBody).Null().WithMessage("Send either parentId or parentBody, not both.").When(r => r.ParentId is not null);
        RuleFor(r => r.ParentAuthorName).CleanText("parentAuthorName", Domain.Limits.AuthorNameLength).When(r => r.ParentAuthorName is not null);
        RuleFor(r => r.ParentAuthorName).Null().WithMessage("parentAuthorName goes with parentBody (with parentId the parent's author is known).")
            .When(r => r.ParentBody is null);
    }
}

/// <summary>The verdict the pipeline would give; nothing is stored or counted.</summary>
public sealed record Response(string Status, string? DecidedBy, IReadOnlyList<StoredFlag> Flags, string RulesVersion);

public sealed class Endpoint(CommentsDb db, ModerationGate gate, KeyedHashes hashes) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("check");
        Group<ModerationGroup>();
        Description(b => b.WithName("checkComment").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Dry-run the moderation pipeline";
            s.Description = "Takes what posting a comment takes, plus articleId, and answers the verdict the pipeline would give now "
                + "(status, flags with reason, evidence, score and phase, rules version), with the author's history as it stands. Stores nothing. "
                + "A reply is judged with its parent in view: give parentId (a comment of the site), or parentBody with an optional parentAuthorName; "
                + "flags with reasons context.* say when the parent changed the verdict.";
            s.ExampleRequest = new Request
            {
                SiteId = "film-blog", ArticleId = "her-2013", AuthorName = "Ada", Body = "Nobody asked you, Mark. Go away.",
                ParentBody = "The ending felt earned to me.", ParentAuthorName = "Mark",
            };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct);
        if (req.ParentId is { } parentId && !await db.Comments.AnyAsync(c => c.Id == parentId && c.SiteId == site.Id, ct))
        {
            throw ApiProblemException.Field("parentId", "The parent comment does not exist.");
        }
        var address = HttpContext.Connection.RemoteIpAddress;
        var ipHash = await hashes.AddressAsync(address, ct);
        var decision = await gate.DecideAsync(new CommentDraft
        {
            Site = site,
            ArticleId = req.ArticleId,
            AuthorName = req.AuthorName.Trim(),
            AuthorKey = await AuthorIdentity.KeyAsync(hashes, req.AuthorEmail, req.AuthorName, ipHash, ct),
            Body = req.Body,
            AuthorEmail = req.AuthorEmail,
            AuthorUrl = req.AuthorUrl,
            IpHash = ipHash,
            ClientAddress = address,
            UserAgent = HttpContext.Request.Headers.UserAgent.ToString(),
            ParentId = req.ParentId,
            ParentBody = req.ParentBody,
            ParentAuthorName = req.ParentAuthorName?.Trim(),
        }, ct);
        var v = decision.Verdict;
        await Send.OkAsync(new Response(v.Outcome, v.DecidedBy, v.Flags, v.RulesVersion), ct);
    }
}

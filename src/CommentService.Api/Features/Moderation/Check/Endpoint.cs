using CommentService.Api.Data;
using CommentService.Api.Features.Comments;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Moderation.Check;

public sealed class Request : ICommentFields
{
    public string SiteId { get; set; } = "";

    /// <summary>The article the comment would be posted under.</summary>
    public string ArticleId { get; set; } = "";

    /// <summary>The comment it would reply to.</summary>
    public Guid? ParentId { get; set; }
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
                + "(status, flags with reason, evidence, score and phase, rules version), with the author's history as it stands. Stores nothing.";
            s.ExampleRequest = new Request { SiteId = "film-blog", ArticleId = "her-2013", AuthorName = "Ada", Body = "Thanks for the wonderful article." };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct);
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
        }, ct);
        var v = decision.Verdict;
        await Send.OkAsync(new Response(v.Outcome, v.DecidedBy, v.Flags, v.RulesVersion), ct);
    }
}

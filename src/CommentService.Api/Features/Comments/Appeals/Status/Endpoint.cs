using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using FastEndpoints;

namespace CommentService.Api.Features.Comments.Appeals.Status;

/// <summary>Which comment.</summary>
public sealed class ModerationStatusRequest
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }
}

/// <summary>What a comment's author is told about its moderation.</summary>
/// <param name="CommentId">The comment.</param>
/// <param name="Status">pending, approved, rejected or spam (deleted only to moderators).</param>
/// <param name="Reasons">Why the comment is not shown, in public words (empty when it is approved).</param>
/// <param name="CanAppeal">True while the comment is held, marked spam or rejected and its author has not appealed yet.</param>
/// <param name="Appeal">The author's appeal and its state, once filed.</param>
public sealed record ModerationStatus(Guid CommentId, string Status, IReadOnlyList<PublicReason> Reasons, bool CanAppeal, AuthorAppeal? Appeal);

public sealed class Endpoint(CommentsDb db, AppealLedger appeals, UserTokens tokens, KeyedHashes hashes) : Endpoint<ModerationStatusRequest, ModerationStatus>
{
    public override void Configure()
    {
        Get("/sites/{siteId}/comments/{commentId}/moderation-status");
        AllowAnonymous();
        Description(b => b.WithName("getCommentModerationStatus").ProducesProblems(400, 401, 403, 404)
            .AcceptsKey(ApiScopes.CommentsRead).AcceptsHeaders(CommentAccess.EditTokenHeader, UserTokens.Header));
        Summary(s =>
        {
            s.Summary = "Why a comment is held, for its author";
            s.Description = "The comment's author (X-Edit-Token, or the site's X-User-Token of the same user) or a moderator sees the status, "
                + "the public reasons (never the evidence or the rules that matched), whether an appeal is possible, and the appeal's state. "
                + "To anyone else the comment does not exist (404).";
        });
    }

    public override async Task HandleAsync(ModerationStatusRequest req, CancellationToken ct)
    {
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsRead);
        var site = await db.RequireAsync(req.SiteId, ct);
        var (comment, _) = await db.RequireAsync(req.SiteId, req.CommentId, ct);
        var role = CommentAccess.RoleOf(User, HttpContext, comment, await AuthorIdentity.SignedInKeyAsync(HttpContext, site, tokens, hashes, ct));
        if (role == CommentRole.Reader || (comment.Status == CommentStatus.Deleted && role != CommentRole.Moderator))
        {
            // Like getComment: a held comment does not exist for anyone but its author and moderators.
            throw ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'");
        }
        var appeal = await appeals.FindAsync(comment.Id, ct);
        var reasons = PublicReasons.For(comment, await appeals.LastStatusChangeAsync(comment.Id, ct));
        await Send.OkAsync(new ModerationStatus(comment.Id, comment.Status.ToWire(), reasons,
            appeal is null && AppealLedger.IsAppealable(comment.Status), appeal is null ? null : AuthorAppeal.From(appeal)), ct);
    }
}

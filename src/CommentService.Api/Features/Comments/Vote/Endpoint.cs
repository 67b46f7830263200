using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using CommentService.Api.Infrastructure.RateLimiting;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Comments.Vote;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid CommentId { get; set; }

    /// <summary>1 (up), -1 (down) or 0 (take the vote back).</summary>
    public int Value { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator() => RuleFor(r => r.Value).InclusiveBetween(-1, 1);
}

/// <param name="Upvotes">The comment's upvotes now.</param>
/// <param name="Downvotes">The comment's downvotes now.</param>
/// <param name="Score">Upvotes minus downvotes.</param>
/// <param name="MyVote">This reader's vote now: 1, -1 or 0.</param>
public sealed record Response(int Upvotes, int Downvotes, int Score, int MyVote);

public sealed class Endpoint(CommentsDb db, CommentTree tree, ReaderIdentity readers, ClientRateLimits limits, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Put("/sites/{siteId}/comments/{commentId}/vote");
        AllowAnonymous();
        Description(b => b.WithName("voteComment").ProducesProblems(400, 401, 403, 404, 429).AcceptsKey(Infrastructure.Auth.ApiScopes.CommentsWrite).AcceptsHeaders(CommentService.Api.Infrastructure.UserTokens.Header, CommentService.Api.Infrastructure.ReaderIdentity.Header));
        Summary(s =>
        {
            s.Summary = "Vote on a comment";
            s.Description = "One vote per reader per comment, changeable and retractable. The reader is the signed user (X-User-Token), "
                + "else the browser's X-Reader-Token together with its address. Only approved comments take votes.";
            s.ExampleRequest = new Request { SiteId = "film-blog", CommentId = Guid.Empty, Value = 1 };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        User.RequireIfKeyed(req.SiteId, ApiScopes.CommentsWrite);
        var site = await db.RequireAsync(req.SiteId, ct);
        var (voter, address) = await readers.IdentifyAsync(HttpContext, site, ct);
        await limits.EnforceAsync(User, RateLimitedAction.Votes, site.Id, address, voter, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Thread first, like every writer: the vote's update also bumps the thread's version (ETag).
        await tree.LockThreadOfAsync(req.SiteId, req.CommentId, ct);
        // The comment's row lock orders concurrent votes on it; counters move with the vote row.
        var comment = (await db.Comments.FromSql($"SELECT * FROM comments WHERE id = {req.CommentId} AND site_id = {req.SiteId} FOR UPDATE").ToListAsync(ct))
            .SingleOrDefault(c => c.Status == CommentStatus.Approved)
            ?? throw ApiProblemException.NotFound($"Comment '{req.CommentId}' of site '{req.SiteId}'");
        var vote = await db.CommentVotes.SingleOrDefaultAsync(v => v.CommentId == comment.Id && v.VoterKey == voter, ct);
        var before = vote?.Value ?? 0;
        if (before != req.Value)
        {
            if (vote is null)
            {
                db.CommentVotes.Add(new CommentVote { CommentId = comment.Id, VoterKey = voter, Value = (short)req.Value, UpdatedAt = clock.GetUtcNow() });
            }
            else if (req.Value == 0)
            {
                db.CommentVotes.Remove(vote);
            }
            else
            {
                vote.Value = (short)req.Value;
                vote.UpdatedAt = clock.GetUtcNow();
            }
            comment.Upvotes += (req.Value == 1 ? 1 : 0) - (before == 1 ? 1 : 0);
            comment.Downvotes += (req.Value == -1 ? 1 : 0) - (before == -1 ? 1 : 0);
            comment.Score = comment.Upvotes - comment.Downvotes;
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        await Send.OkAsync(new Response(comment.Upvotes, comment.Downvotes, comment.Score, req.Value), ct);
    }
}

using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Moderation;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Authors.Erase;

/// <summary>Names the author by exactly one of: the email they posted with, the site's user id, or one of their comments.</summary>
public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>The email the author gave when posting (matched by its keyed hash; case and spaces around it do not matter).</summary>
    public string? AuthorEmail { get; set; }

    /// <summary>The site's user id of a signed user (the <c>sub</c> of their X-User-Token).</summary>
    public string? UserId { get; set; }

    /// <summary>Any comment of the author: erases everything that author posted on the site (for anonymous authors without an email).</summary>
    public Guid? CommentId { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r)
            .Must(r => (r.AuthorEmail is not null ? 1 : 0) + (r.UserId is not null ? 1 : 0) + (r.CommentId is not null ? 1 : 0) == 1)
            .WithName("authorEmail")
            .WithMessage("Give exactly one of authorEmail, userId or commentId.");
        RuleFor(r => r.AuthorEmail).NotEmpty().MaximumLength(Limits.AuthorEmailLength).When(r => r.AuthorEmail is not null);
        RuleFor(r => r.UserId).NotEmpty().MaximumLength(256).When(r => r.UserId is not null);
    }
}

/// <param name="Erased">How many comments were erased (already erased ones count again).</param>
/// <param name="CommentIds">The erased comments; each is now deleted, and a tombstone where replies remain.</param>
public sealed record Response(int Erased, IReadOnlyList<Guid> CommentIds);

/// <summary>
/// The right to erasure: every comment of one author on the site loses its text, name, email, link, avatar,
/// address hash and author identity, and becomes deleted, so a thread keeps its shape (replies stay,
/// under a tombstone) while nothing personal of the author remains.
/// </summary>
public sealed class Endpoint(CommentsDb db, CommentTree tree, KeyedHashes hashes, TimeProvider clock) : Endpoint<Request, Response>
{
    public const string ErasedName = "[erased]";

    public override void Configure()
    {
        Post("/sites/{siteId}/authors/erase");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("eraseAuthor").Produces<Response>(200).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Erase an author's personal data";
            s.Description = "Operator key, or a site key with the admin scope. Every comment of the author on this site (found by "
                + "authorEmail, userId or one of their comments) loses its text, name (shown as [erased]), email, link, avatar, "
                + "address hash and author identity, and becomes deleted; comments with visible replies stay as tombstones, so "
                + "threads keep their shape. Appeal messages, shadow verdicts and queued webhook events of those comments go too. "
                + "The audit log records one author.erased entry per comment. Erasing again is harmless.";
            s.ExampleRequest = new Request { SiteId = "film-blog", AuthorEmail = "ada@mail.example" };
            s.ResponseExamples[200] = new Response(2, [Guid.Parse("01a21c77-05c2-7a29-866d-de9e3e51468d"), Guid.Parse("01a21c77-0a11-7a29-866d-de9e3e51468d")]);
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct);
        var authorKey = await AuthorKeyAsync(req, ct);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // Lock the threads in one order, then read the comments under those locks.
        var threads = await db.Comments.Where(c => c.SiteId == site.Id && c.AuthorKey == authorKey)
            .Select(c => c.ThreadId).Distinct().OrderBy(t => t).ToListAsync(ct);
        foreach (var thread in threads)
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM threads WHERE id = {thread} FOR UPDATE", ct);
        }
        var comments = await db.Comments.Where(c => c.SiteId == site.Id && c.AuthorKey == authorKey).OrderBy(c => c.Path).ToListAsync(ct);
        var ids = comments.Select(c => c.Id).ToArray();
        var actor = Decisions.ActorOf(User);
        // One identity for all of them: unrelated to the author, so nothing links these comments to any new ones.
        var erasedKey = "x:" + Guid.NewGuid().ToString("N");
        foreach (var comment in comments)
        {
            db.ModerationDecisions.Add(ModerationDecision.Record(comment, actor, "author.erased", CommentStatus.Deleted, null, null, now));
            comment.AuthorName = ErasedName;
            comment.AuthorEmailProtected = null;
            comment.AuthorUrl = null;
            comment.AuthorAvatarUrl = null;
            comment.IpHash = null;
            comment.AuthorKey = erasedKey;
            comment.Body = "";
            comment.BodyHtml = "";
            // The verdict's evidence and notes quote the text.
            comment.Verdict = comment.Verdict is { } v ? v with { Flags = [.. v.Flags.Select(f => f with { Evidence = null, Note = null })] } : null;
            await tree.SaveWithStatusAsync(comment, CommentStatus.Deleted, ct);
        }

        await db.Database.ExecuteSqlAsync($"UPDATE appeals SET message = '' WHERE comment_id = ANY({ids})", ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM shadow_verdicts WHERE comment_id = ANY({ids})", ct);
        // Events not yet swept carry the comment as it was (name, text): drop them with their deliveries.
        var idTexts = ids.Select(i => i.ToString()).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM webhook_deliveries WHERE event_id IN (
              SELECT id FROM webhook_events WHERE site_id = {site.Id} AND (body::jsonb -> 'data' -> 'comment' ->> 'id') = ANY({idTexts}))
            """, ct);
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM webhook_events WHERE site_id = {site.Id} AND (body::jsonb -> 'data' -> 'comment' ->> 'id') = ANY({idTexts})", ct);
        await tx.CommitAsync(ct);
        await Send.OkAsync(new Response(ids.Length, ids), ct);
    }

    private async Task<string> AuthorKeyAsync(Request req, CancellationToken ct)
    {
        if (req.AuthorEmail is { } email)
        {
            return await AuthorIdentity.KeyAsync(hashes, email, "", null, ct);
        }
        if (req.UserId is { } userId)
        {
            return await AuthorIdentity.KeyAsync(hashes, req.SiteId, new SiteUser(userId, "", null, null), ct);
        }
        return await db.Comments.Where(c => c.SiteId == req.SiteId && c.Id == req.CommentId)
                   .Select(c => c.AuthorKey).SingleOrDefaultAsync(ct)
               ?? throw ApiProblemException.NotFound($"Comment '{req.CommentId}'");
    }
}

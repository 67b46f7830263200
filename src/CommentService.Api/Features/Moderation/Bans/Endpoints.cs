using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Sites;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Moderation.Bans;

public sealed record BanResponse(Guid Id, string AuthorKey, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string CreatedBy)
{
    public static BanResponse From(AuthorBan b) => new(b.Id, b.AuthorKey, b.Reason, b.CreatedAt, b.ExpiresAt, b.CreatedBy);
}

public sealed class ListRequest
{
    public string SiteId { get; set; } = "";
}

public sealed record ListResponse(IReadOnlyList<BanResponse> Items);

public sealed class ListEndpoint(CommentsDb db, TimeProvider clock) : Endpoint<ListRequest, ListResponse>
{
    public override void Configure()
    {
        Get("bans");
        Group<ModerationGroup>();
        Description(b => b.WithName("listBans").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Banned authors";
            s.Description = "Bans in force (expired ones are left out), newest first.";
        });
    }

    public override async Task HandleAsync(ListRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var now = clock.GetUtcNow();
        var bans = await db.AuthorBans.AsNoTracking()
            .Where(b => b.SiteId == req.SiteId && (b.ExpiresAt == null || b.ExpiresAt > now))
            .OrderByDescending(b => b.CreatedAt).ToListAsync(ct);
        await Send.OkAsync(new ListResponse(bans.Select(BanResponse.From).ToList()), ct);
    }
}

public sealed class CreateRequest
{
    public string SiteId { get; set; } = "";

    /// <summary>Ban the author of this comment; or give authorKey.</summary>
    public Guid? CommentId { get; set; }

    /// <summary>The author's key as the queue shows it; or give commentId.</summary>
    public string? AuthorKey { get; set; }
    public string? Reason { get; set; }

    /// <summary>When the ban ends; omit for a ban until lifted.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed class CreateValidator : Validator<CreateRequest>
{
    public CreateValidator(TimeProvider clock)
    {
        RuleFor(r => r).Must(r => (r.CommentId is null) != (r.AuthorKey is null)).WithName("commentId").WithMessage("Give either commentId or authorKey.");
        RuleFor(r => r.AuthorKey).Matches("^[enu]:[0-9a-f]{64}$").WithMessage("authorKey is not an author key.").When(r => r.AuthorKey is not null);
        RuleFor(r => r.Reason).CleanText("reason", Limits.ReasonLength, multiline: true).When(r => r.Reason is not null);
        RuleFor(r => r.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage("expiresAt must be in the future.");
    }
}

public sealed class CreateEndpoint(CommentsDb db, TimeProvider clock) : Endpoint<CreateRequest, BanResponse>
{
    public override void Configure()
    {
        Post("bans");
        Group<ModerationGroup>();
        Description(b => b.WithName("banAuthor").Produces<BanResponse>(201).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Ban an author";
            s.Description = "Their new comments are rejected until the ban ends. Identify them by one of their comments or by their author key.";
            s.ExampleRequest = new CreateRequest { SiteId = "film-blog", CommentId = Guid.Empty, Reason = "repeated harassment" };
        });
    }

    public override async Task HandleAsync(CreateRequest req, CancellationToken ct)
    {
        await db.RequireAsync(req.SiteId, ct);
        var authorKey = req.AuthorKey ?? await db.Comments.Where(c => c.Id == req.CommentId && c.SiteId == req.SiteId)
            .Select(c => c.AuthorKey).SingleOrDefaultAsync(ct)
            ?? throw ApiProblemException.Field("commentId", "The comment does not exist on this site.");
        var now = clock.GetUtcNow();
        var ban = new AuthorBan
        {
            Id = Guid.CreateVersion7(now),
            SiteId = req.SiteId,
            AuthorKey = authorKey,
            Reason = req.Reason,
            CreatedAt = now,
            ExpiresAt = req.ExpiresAt?.ToUniversalTime(),
            CreatedBy = Decisions.ActorOf(User),
        };
        db.AuthorBans.Add(ban);
        await db.SaveChangesAsync(ct);
        await Send.ResponseAsync(BanResponse.From(ban), 201, ct);
    }
}

public sealed class DeleteRequest
{
    public string SiteId { get; set; } = "";
    public Guid BanId { get; set; }
}

public sealed class DeleteEndpoint(CommentsDb db) : Endpoint<DeleteRequest>
{
    public override void Configure()
    {
        Delete("bans/{banId}");
        Group<ModerationGroup>();
        Description(b => b.WithName("liftBan").Produces(204).ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Lift a ban";
            s.Description = "The author may post again at once.";
        });
    }

    public override async Task HandleAsync(DeleteRequest req, CancellationToken ct)
    {
        var removed = await db.AuthorBans.Where(b => b.Id == req.BanId && b.SiteId == req.SiteId).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            throw ApiProblemException.NotFound($"Ban '{req.BanId}' of site '{req.SiteId}'");
        }
        await Send.NoContentAsync(ct);
    }
}

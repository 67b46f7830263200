using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Sites.Create;

public sealed class Endpoint(CommentsDb db, TimeProvider clock) : Endpoint<Request, SiteResponse>
{
    public override void Configure()
    {
        Post("/sites");
        Policies(Infrastructure.Auth.Policies.Operator);
        Description(b => b.WithName("createSite").Produces<SiteResponse>(201).ProducesProblems(400, 401, 403, 409));
        Summary(s =>
        {
            s.Summary = "Create a site";
            s.Description = "Registers a site (tenant) under a slug the operator chooses. Operator key only.";
            s.ExampleRequest = new Request { Id = "film-blog", Name = "The Film Blog", AllowedOrigins = ["https://films.example"] };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var site = new Site
        {
            Id = req.Id,
            Name = req.Name.Trim(),
            AllowedOrigins = (req.AllowedOrigins ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            EditWindowMinutes = req.EditWindowMinutes ?? 15,
            AutoCloseAfterDays = req.AutoCloseAfterDays is > 0 ? req.AutoCloseAfterDays : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Sites.Add(site);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            throw ApiProblemException.Conflict(ProblemTypes.Conflict, $"A site with id '{req.Id}' already exists.");
        }
        await Send.CreatedAtAsync<Get.Endpoint>(new { siteId = site.Id }, SiteResponse.From(site), cancellation: ct);
    }
}

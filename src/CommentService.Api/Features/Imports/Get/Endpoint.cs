using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Imports.Get;

public sealed class Request
{
    public string SiteId { get; set; } = "";
    public Guid ImportId { get; set; }
}

public sealed class Endpoint(CommentsDb db, TimeProvider clock) : Endpoint<Request, ImportJobResponse>
{
    public override void Configure()
    {
        Get("/{importId}");
        Group<ImportsGroup>();
        Description(b => b.WithName("getImport").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Read an import's progress and outcome";
            s.Description = "processed / total is the progress; state ends as succeeded (with the counts and issues) or failed (nothing imported, with the error). "
                + "A job whose process stopped reads as failed. Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var job = await db.ImportJobs.SingleOrDefaultAsync(j => j.Id == req.ImportId && j.SiteId == req.SiteId, ct)
                  ?? throw ApiProblemException.NotFound($"Import '{req.ImportId}' of site '{req.SiteId}'");
        var now = clock.GetUtcNow();
        if (job.State is ImportStates.Queued or ImportStates.Running && job.UpdatedAt < now - ImportStates.StaleAfter)
        {
            // Its transaction died with the process that ran it, so nothing of it was kept.
            job.State = ImportStates.Failed;
            job.Error = "The service stopped before the import finished; nothing was imported. Run it again.";
            job.FinishedAt = now;
            job.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
        await Send.OkAsync(ImportJobResponse.From(job), ct);
    }
}

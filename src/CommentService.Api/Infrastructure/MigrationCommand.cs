using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// `dotnet CommentService.Api.dll --migrate` applies the pending EF Core migrations and exits: 0 when
/// the schema is current afterwards, 1 when it is not. The migration Job of a deployment runs it once
/// before the rollout, while the serving pods run with Comments:ApplyMigrations=false and stay
/// not-ready until the schema is current. Nothing else starts: no HTTP listener, no background work.
/// </summary>
public static class MigrationCommand
{
    public static bool Requested(string[] args) => Array.IndexOf(args, "--migrate") >= 0;

    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("CommentService.Migrations");
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            var latest = db.Database.GetMigrations().LastOrDefault() ?? "(none)";
            if (pending.Count == 0)
            {
                log.LogInformation("Migrations: nothing to apply; the schema is current at {Latest}", latest);
                return 0;
            }
            log.LogInformation("Migrations: applying {Count} ({First} to {Last})", pending.Count, pending[0], pending[^1]);
            await db.Database.MigrateAsync(ct);
            log.LogInformation("Migrations: applied {Count}; the schema is current at {Latest}", pending.Count, latest);
            return 0;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The connection string (and its password) is never logged; Npgsql's messages name host and user only.
            log.LogError("Migrations failed: {Error}", ex.Message);
            return 1;
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CommentService.Api.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the service or a database.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CommentsDb>
{
    public CommentsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CommentsDb>()
            .UseNpgsql("Host=localhost;Database=design", o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options);
}

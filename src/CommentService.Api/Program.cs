using CommentService.Api.Features.Imports;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Scaling;
using FastEndpoints;

if (HealthProbe.Requested(args, out var probeUrl))
{
    return await HealthProbe.RunAsync(probeUrl);
}

// Settings and assets are found beside the binary, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddCommentServiceOptions();
builder.AddDatabase();
builder.AddReadReplica();
builder.AddTelemetry();
builder.AddApiKeyAuth();
builder.AddHealth();
builder.AddRateLimits();
builder.AddWebhooks();
builder.AddHousekeeping();
builder.AddImports();
builder.Services.AddFastEndpoints();
builder.AddOpenApiDocument();
builder.AddEmbedAssets();

var app = builder.Build();

if (OpenApiExport.Requested(args, out var exportPath))
{
    await OpenApiExport.WriteAsync(app, exportPath);
    return 0;
}

if (MigrationCommand.Requested(args))
{
    return await MigrationCommand.RunAsync(app.Services);
}

app.UseForwardedHeaders();
app.UseMiddleware<SecurityHeaders>();
app.UseMiddleware<ProblemMiddleware>();
app.UseMiddleware<SiteCors>();
app.UseMiddleware<BodySizeLimit>();
app.UseEmbedAssets();
app.MapHealth();
app.UseMiddleware<DatabaseReadyGate>();
app.UseAuthentication();
app.UseMiddleware<CommentService.Api.Infrastructure.Auth.RejectInvalidKeysMiddleware>();
app.UseAuthorization();
app.UseMiddleware<RecentWrites>();
app.UseCommentServiceEndpoints();
app.UseOpenApi(o => o.Path = "/openapi/{documentName}.json");

app.LogStartupWarnings();
await app.PrepareDatabaseAsync();
await app.RunAsync();
return 0;

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;

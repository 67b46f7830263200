using CommentService.Api.Infrastructure;
using FastEndpoints;

var builder = WebApplication.CreateBuilder(args);

builder.AddCommentServiceOptions();
builder.AddDatabase();
builder.AddApiKeyAuth();
builder.AddHealth();
builder.Services.AddFastEndpoints();
builder.AddOpenApiDocument();

var app = builder.Build();

if (OpenApiExport.Requested(args, out var exportPath))
{
    await OpenApiExport.WriteAsync(app, exportPath);
    return;
}

app.UseForwardedHeaders();
app.UseMiddleware<ProblemMiddleware>();
app.UseMiddleware<BodySizeLimit>();
app.MapHealth();
app.UseMiddleware<DatabaseReadyGate>();
app.UseAuthentication();
app.UseMiddleware<CommentService.Api.Infrastructure.Auth.RejectInvalidKeysMiddleware>();
app.UseAuthorization();
app.UseCommentServiceEndpoints();
app.UseOpenApi(o => o.Path = "/openapi/{documentName}.json");

app.LogStartupWarnings();
await app.RunAsync();

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;

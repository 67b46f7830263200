using System.Diagnostics;
using System.Text.Json.Nodes;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>The committed client is exactly what the pinned NSwag tool generates from the committed openapi.yaml.</summary>
public sealed class ClientGenerationTests
{
    [Fact]
    public async Task The_committed_client_is_what_the_pinned_tool_generates_from_openapi_yaml()
    {
        var project = Path.Combine(RepoPaths.Root, "src", "CommentService.Client");
        var work = Directory.CreateTempSubdirectory("client-gen-");
        try
        {
            var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(project, "nswag.json")))!;
            config["documentGenerator"]!["fromDocument"]!["url"] = Path.Combine(RepoPaths.Root, "openapi.yaml");
            var output = Path.Combine(work.FullName, "CommentServiceClient.g.cs");
            config["codeGenerators"]!["openApiToCSharpClient"]!["output"] = output;
            var configPath = Path.Combine(work.FullName, "nswag.json");
            await File.WriteAllTextAsync(configPath, config.ToJsonString());

            await RunAsync("tool", "restore");
            await RunAsync("tool", "run", "nswag", "run", configPath);

            var committed = await File.ReadAllTextAsync(Path.Combine(project, "Generated", "CommentServiceClient.g.cs"));
            Assert.True(committed == await File.ReadAllTextAsync(output),
                "src/CommentService.Client/Generated is out of date: run scripts/generate-client.sh and commit the result.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", args) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed: {await stdout}{await stderr}");
    }
}

using System.Diagnostics;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>The repository's shell scripts (scripts/), run as the tests need them.</summary>
public static class RepoScripts
{
    /// <summary>
    /// Runs scripts/<paramref name="name"/> with <paramref name="args"/> and answers its standard output, trimmed;
    /// <paramref name="environment"/> is set on top of the test process's own. A failing script throws with its standard error.
    /// </summary>
    public static async Task<string> RunAsync(string name, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", name), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (variable, value) in environment)
        {
            psi.Environment[variable] = value;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{name} {string.Join(' ', args)} failed: {await stderr}");
        }
        return (await stdout).Trim();
    }
}

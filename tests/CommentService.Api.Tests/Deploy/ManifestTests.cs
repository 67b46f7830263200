using System.Diagnostics;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Deploy;

/// <summary>
/// deploy/validate/validate.sh checks the Kubernetes manifests against the Kubernetes API's schemas
/// (no cluster runs here) and against our deployment rules; the same script must reject each broken
/// fixture in deploy/validate/fixtures/broken for the reason its "# expect:" line names. Needs Node.js
/// and npm: skipped without them on a developer's machine, never in CI (CI=true), where .ci/run
/// installs them.
/// </summary>
public sealed class ManifestTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "deploy", "validate", "validate.sh");
    private static readonly string Broken = Path.Combine(RepoPaths.Root, "deploy", "validate", "fixtures", "broken");

    // One validator run at a time: the first one installs node_modules.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static void RequireNode()
    {
        var present = OnPath("node") && OnPath("npm");
        if (!present && Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail("node and npm are required in CI (.ci/run installs them)");
        }
        Skip.IfNot(present, "node and npm are not installed; the manifest validator needs them");
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(params string[] targets)
    {
        await OneAtATime.WaitAsync();
        try
        {
            var psi = new ProcessStartInfo("bash", [Script, .. targets])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root,
            };
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("validate.sh did not finish in 5 minutes");
            }
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    [SkippableFact]
    public async Task Every_manifest_in_deploy_passes_the_Kubernetes_schemas_and_our_rules()
    {
        RequireNode();
        var (exitCode, output) = await ValidateAsync();

        Assert.True(exitCode == 0, output);
        Assert.Contains(": 0 problems", output, StringComparison.Ordinal);
        foreach (var expected in new[]
        {
            "deploy/kubernetes/deployment.yaml: apps/v1/Deployment commentservice-api",
            "deploy/kubernetes/service.yaml: v1/Service commentservice-api",
            "deploy/kubernetes/hpa.yaml: autoscaling/v2/HorizontalPodAutoscaler commentservice-api",
            "deploy/kubernetes/pdb.yaml: policy/v1/PodDisruptionBudget commentservice-api",
            "deploy/kubernetes/migrate/job.yaml: batch/v1/Job commentservice-migrate",
            "deploy/kubernetes/configmap.yaml: v1/ConfigMap commentservice-config",
            "deploy/kubernetes/secret.example.yaml: v1/Secret commentservice-secrets",
            "deploy/kubernetes/kustomization.yaml: kustomization",
            "deploy/Dockerfile: dockerfile",
            "deploy/compose.replicas.yml: compose",
        })
        {
            Assert.Contains("ok   " + expected, output, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string> BrokenFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Broken).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(BrokenFixtures))]
    public async Task A_broken_manifest_is_rejected_for_its_reason(string fixture)
    {
        RequireNode();
        var path = Path.Combine(Broken, fixture);
        var expect = File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("# expect: ", StringComparison.Ordinal));
        Assert.False(expect is null, $"{fixture} has no '# expect: …' line");

        var (exitCode, output) = await ValidateAsync(path);

        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.Contains(expect!["# expect: ".Length..], output, StringComparison.Ordinal);
    }

    [Fact]
    public void There_is_a_broken_fixture_for_each_kind_of_rule()
    {
        var names = Directory.GetFiles(Broken).Select(Path.GetFileName).ToList();
        Assert.True(names.Count >= 10, "fixtures: " + string.Join(", ", names));
        Assert.Contains("schema-type.yaml", names);
        Assert.Contains("unknown-field.yaml", names);
        Assert.Contains("Dockerfile.root", names);
    }
}

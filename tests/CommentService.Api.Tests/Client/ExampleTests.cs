using System.Diagnostics;
using System.Net.Http.Json;
using CommentService.Api.Tests.Import;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>The scripts in examples/ run as a reader would run them (dotnet run file.cs) against the service.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ExampleTests(ServiceFixture service)
{
    private async Task<(int Exit, string Output)> RunExampleAsync(string file, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", ["run", Path.Combine("examples", file), "-c", "Release", "--", .. args])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["COMMENTS_URL"] = service.BaseAddress.ToString();
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task<Guid> PostAsync(string site, string author, int line)
    {
        var created = await service.PostCommentAsync(site, "her", SampleText.Line(line), author: author);
        return Guid.Parse(created["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Approve_trusted_approves_held_comments_of_authors_with_enough_approved_comments_only()
    {
        var site = await service.CreateSiteAsync();
        var moderate = await service.CreateKeyAsync(site, "moderate");
        using var moderator = service.WithKey(moderate);
        await Expect.StatusAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", new { preModeration = "all", trustedAfterApproved = 50 }), 200);

        // Regular has three approved comments (the site's own policy trusts authors only after 50); Newcomer has none.
        var earlier = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            earlier.Add(await PostAsync(site, "Regular", 30 + i));
        }
        await Expect.StatusAsync(await moderator.PostAsJsonAsync($"/v1/sites/{site}/moderation/decisions", new { action = "approve", ids = earlier }), 200);
        var regular = await PostAsync(site, "Regular", 33);
        var newcomer = await PostAsync(site, "Newcomer", 34);
        Assert.Equal("pending", await service.ScalarAsync<string>("SELECT status FROM comments WHERE id = $1", regular));

        var (exit, output) = await RunExampleAsync("approve-trusted.cs", new() { ["COMMENTS_API_KEY"] = moderate }, site, "3");

        Assert.True(exit == 0, output);
        Assert.Contains("approved 1", output);
        Assert.Equal("approved", await service.ScalarAsync<string>("SELECT status FROM comments WHERE id = $1", regular));
        Assert.Equal("pending", await service.ScalarAsync<string>("SELECT status FROM comments WHERE id = $1", newcomer));
    }

    [Fact]
    public async Task Post_from_ci_posts_once_per_ci_run_however_often_the_job_runs()
    {
        var site = await service.CreateSiteAsync();
        var env = new Dictionary<string, string> { ["COMMENTS_API_KEY"] = await service.CreateKeyAsync(site, "comments:write"), ["COMMENTS_RUN_ID"] = "4711" };
        var note = "Version 2.4 is out: threads load faster and moderators can approve in bulk.";

        var first = await RunExampleAsync("post-from-ci.cs", env, site, "releases/2.4", note);
        var again = await RunExampleAsync("post-from-ci.cs", env, site, "releases/2.4", note);

        Assert.True(first.Exit == 0, first.Output);
        Assert.True(again.Exit == 0, again.Output);
        Assert.Equal(first.Output.Split(' ')[0], again.Output.Split(' ')[0]);
        Assert.Equal(1, await service.ScalarAsync<long>("SELECT count(*) FROM comments WHERE site_id = $1", site));
        Assert.Equal(note, (await service.ReadThreadAsync(site, "releases/2.4"))["items"]![0]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_ten_line_script_in_the_readme_lists_the_queue_and_approves_it()
    {
        var site = await service.CreateSiteAsync();
        var moderate = await service.CreateKeyAsync(site, "moderate");
        using var moderator = service.WithKey(moderate);
        await Expect.StatusAsync(await moderator.PutAsJsonAsync($"/v1/sites/{site}/moderation/policy", new { preModeration = "all" }), 200);
        var held = await PostAsync(site, "Ada", 40);

        var (exit, output) = await RunExampleAsync("list-queue.cs", new() { ["COMMENTS_API_KEY"] = moderate }, site, "--approve");

        Assert.True(exit == 0, output);
        Assert.Contains($"{held}  Ada: {SampleText.Line(40)}", output);
        Assert.Contains("approved 1", output);
        Assert.Equal("approved", await service.ScalarAsync<string>("SELECT status FROM comments WHERE id = $1", held));
    }

    [Fact]
    public async Task Import_disqus_and_export_site_move_a_blog_in_and_back_out()
    {
        var site = await service.CreateSiteAsync();
        var env = new Dictionary<string, string> { ["COMMENTS_API_KEY"] = await service.CreateKeyAsync(site, "admin") };
        var file = ExportFiles.Disqus(threads: 2, comments: 40);
        var work = Directory.CreateTempSubdirectory("examples-");
        try
        {
            var xml = Path.Combine(work.FullName, "disqus.xml");
            await File.WriteAllTextAsync(xml, file.Text);
            var imported = await RunExampleAsync("import-disqus.cs", env, site, xml);
            Assert.True(imported.Exit == 0, imported.Output);
            Assert.Contains("import ", imported.Output);
            Assert.Contains("succeeded: 40 imported into 2 new threads", imported.Output);

            var jsonl = Path.Combine(work.FullName, "blog.jsonl");
            var exported = await RunExampleAsync("export-site.cs", env, site, jsonl);
            Assert.True(exported.Exit == 0, exported.Output);
            Assert.Contains($"wrote 40 comments in 2 threads to {jsonl}", exported.Output);
            var lines = (await File.ReadAllLinesAsync(jsonl)).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList();
            var bySource = ImportApi.CommentsBySource(lines);
            Assert.Equal(file.Comments.Select(c => (c.SourceId, c.ExpectedBody, c.ExpectedAuthorName, c.Status)).Order(),
                bySource.Values.Select(c => (c.Text("sourceId")!, c.Text("body")!, c.Text("authorName")!, c.Text("status")!)).Order());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}

#:project ../src/CommentService.Client/CommentService.Client.csproj
#:property PublishAot=false
// Uploads a Disqus XML export to a site and shows the import's progress until it ends:
//   COMMENTS_URL=… COMMENTS_API_KEY=<key with admin> dotnet run examples/import-disqus.cs -- <site> <export.xml> [link|identifier|path]
// The last argument picks what becomes the article ID (default link: the thread's URL). Running it again adds nothing twice.
using CommentService.Client;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: import-disqus.cs <site> <disqus-export.xml> [articleIdFrom: link|identifier|path]");
    return 2;
}
var (site, path) = (args[0], args[1]);
var client = CommentServiceClientFactory.FromEnvironment(out var http);
using var _ = http;

ImportJobResponse job;
await using (var file = File.OpenRead(path))
{
    try
    {
        job = await client.StartImportAsync(site, new FileParameter(file, Path.GetFileName(path), "application/xml"),
            format: "disqus", articleIdFrom: args.Length > 2 ? args[2] : null);
    }
    catch (ApiException<Problem> refused)
    {
        // A malformed or invalid file is refused before anything is imported; the errors name the line.
        Console.Error.WriteLine($"refused: {refused.Result.Detail ?? refused.Result.Title}");
        foreach (var field in refused.Result.Errors ?? [])
        {
            Console.Error.WriteLine($"  {(field.Line is { } line ? $"line {line}" : field.Name)}: {field.Reason}");
        }
        return 1;
    }
}
Console.WriteLine($"import {job.Id}: {job.Total} comments to import");
while (job.State is "queued" or "running")
{
    await Task.Delay(TimeSpan.FromSeconds(1));
    job = await client.GetImportAsync(site, job.Id!.Value);
    Console.WriteLine($"  {job.State}: {job.Processed}/{job.Total}");
}
Console.WriteLine($"{job.State}: {job.Imported} imported into {job.ThreadsCreated} new threads, "
    + $"{job.Duplicates} already there, {job.Orphans} orphans, {job.Invalid} invalid, {job.Ignored} ignored");
foreach (var issue in job.Issues ?? [])
{
    Console.WriteLine($"  line {issue.Line}: {issue.Kind}: {issue.Reason}");
}
if (job.Error is { } failure)
{
    Console.Error.WriteLine(failure);
}
return job.State == "succeeded" ? 0 : 1;

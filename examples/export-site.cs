#:project ../src/CommentService.Client/CommentService.Client.csproj
#:property PublishAot=false
// Exports a site's comments (or one article's) as JSON Lines to a file, streamed as it arrives:
//   COMMENTS_URL=… COMMENTS_API_KEY=<key with moderate> dotnet run examples/export-site.cs -- <site> [out.jsonl] [articleId]
// The file imports back with format=jsonl (into this site or another); it holds no emails or addresses.
using System.Text.Json;
using CommentService.Client;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: export-site.cs <site> [out.jsonl, default <site>.jsonl] [articleId]");
    return 2;
}
var site = args[0];
var output = args.Length > 1 ? args[1] : site + ".jsonl";
var client = CommentServiceClientFactory.FromEnvironment(out var http);
using var _ = http;

using (var export = args.Length > 2 ? await client.ExportArticleAsync(site, args[2]) : await client.ExportSiteAsync(site))
await using (var file = File.Create(output))
{
    await export.Stream.CopyToAsync(file);
}

var (threads, comments) = (0, 0);
foreach (var line in File.ReadLines(output))
{
    using var json = JsonDocument.Parse(line);
    var type = json.RootElement.GetProperty("type").GetString();
    threads += type == "thread" ? 1 : 0;
    comments += type == "comment" ? 1 : 0;
}
Console.WriteLine($"wrote {comments} comments in {threads} threads to {output}");
return 0;

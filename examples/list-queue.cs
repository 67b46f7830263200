#:project ../src/CommentService.Client/CommentService.Client.csproj
#:property PublishAot=false
// Lists a site's held comments; with --approve, approves them. COMMENTS_URL, COMMENTS_API_KEY (moderate).
using CommentService.Client;

var client = CommentServiceClientFactory.FromEnvironment(out var http);
var queue = await client.ListModerationQueueAsync(args[0], ["pending"]);
foreach (var c in queue.Items!) Console.WriteLine($"{c.Id}  {c.AuthorName}: {c.Body}");
if (args.Contains("--approve") && queue.Items!.Count > 0)
    Console.WriteLine($"approved {(await client.DecideCommentsAsync(args[0], new() { Action = "approve", Ids = [.. queue.Items!.Select(c => c.Id!.Value)] })).Changed}");

#:project ../src/CommentService.Client/CommentService.Client.csproj
#:property PublishAot=false
// Approves every held comment whose author already has at least N approved comments on the site:
//   COMMENTS_URL=… COMMENTS_API_KEY=<key with moderate> dotnet run examples/approve-trusted.cs -- <site> [N=3] [--dry-run]
// Authors are matched by the queue's authorKey (the same identity the moderation uses: the site's user id, or a
// keyed hash of the email, or of the name with the address), never by display name.
using CommentService.Client;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: approve-trusted.cs <site> [minimum approved comments, default 3] [--dry-run]");
    return 2;
}
var site = args[0];
var minimum = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 3;
var dryRun = args.Contains("--dry-run");
var client = CommentServiceClientFactory.FromEnvironment(out var http);
using var _ = http;

// Approved comments per author, from every page of the approved list.
var approved = new Dictionary<string, int>();
await foreach (var c in PagesAsync(["approved"]))
{
    approved[c.AuthorKey ?? ""] = approved.GetValueOrDefault(c.AuthorKey ?? "") + 1;
}

var trusted = new List<ModeratedComment>();
await foreach (var c in PagesAsync(["pending"]))
{
    if (c.AuthorKey is { Length: > 0 } key && approved.GetValueOrDefault(key) >= minimum)
    {
        trusted.Add(c);
    }
}
foreach (var c in trusted)
{
    Console.WriteLine($"{c.Id}  {c.AuthorName} ({approved[c.AuthorKey!]} approved): {c.Body}");
}

var changed = 0;
foreach (var batch in trusted.Chunk(100))
{
    var result = await client.DecideCommentsAsync(site, new DecideManyModerationRequest
    {
        Action = "approve",
        Ids = [.. batch.Select(c => c.Id!.Value)],
        Reason = "trusted-author",
        DryRun = dryRun,
    });
    changed += dryRun ? result.Matched ?? 0 : result.Changed ?? 0;
}
Console.WriteLine(dryRun ? $"would approve {changed}" : $"approved {changed}");
return 0;

async IAsyncEnumerable<ModeratedComment> PagesAsync(string[] status)
{
    string? cursor = null;
    do
    {
        var page = await client.ListModerationQueueAsync(site, status, limit: 100, cursor: cursor);
        foreach (var c in page.Items!)
        {
            yield return c;
        }
        cursor = page.NextCursor;
    } while (cursor is not null);
}

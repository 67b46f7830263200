#:project ../src/CommentService.Client/CommentService.Client.csproj
#:property PublishAot=false
// Posts a comment from a CI job, e.g. a release note under the release's article:
//   COMMENTS_URL=… COMMENTS_API_KEY=<key with comments:write> dotnet run examples/post-from-ci.cs -- <site> <article> "<text>"
// The Idempotency-Key comes from the CI run (GITHUB_RUN_ID, CI_PIPELINE_ID or COMMENTS_RUN_ID), so a re-run job
// or a retried request posts the comment once; the client also retries 429 and 503 by itself.
using CommentService.Client;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: post-from-ci.cs <site> <article> <text> [author]");
    return 2;
}
var (site, article, text) = (args[0], args[1], args[2]);
var author = args.Length > 3 ? args[3] : "Release bot";
var run = Environment.GetEnvironmentVariable("GITHUB_RUN_ID")
    ?? Environment.GetEnvironmentVariable("CI_PIPELINE_ID")
    ?? Environment.GetEnvironmentVariable("COMMENTS_RUN_ID");
var idempotencyKey = run is null ? null : $"ci-{run}-{site}-{article}".Length <= 255 ? $"ci-{run}-{site}-{article}" : $"ci-{run}";

var client = CommentServiceClientFactory.FromEnvironment(out var http);
try
{
    var comment = await client.CreateCommentAsync(site, article, new CreateCommentRequest { AuthorName = author, Body = text }, idempotencyKey: idempotencyKey);
    Console.WriteLine($"{comment.Id} {comment.Status}");
    return 0;
}
catch (ApiException<Problem> problem)
{
    Console.Error.WriteLine($"{problem.StatusCode} {problem.Result.Type}: {problem.Result.Detail}");
    return 1;
}
finally
{
    http.Dispose();
}

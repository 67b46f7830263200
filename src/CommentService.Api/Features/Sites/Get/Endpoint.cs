using CommentService.Api.Data;
using FastEndpoints;

namespace CommentService.Api.Features.Sites.Get;

public sealed class Request
{
    public string SiteId { get; set; } = "";
}

public sealed class Endpoint(CommentsDb db) : Endpoint<Request, SiteResponse>
{
    public override void Configure()
    {
        Get("/sites/{siteId}");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("getSite").ProducesProblems(401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Get a site";
            s.Description = "A site's settings. Operator key, or a site key with the admin scope.";
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct) =>
        await Send.OkAsync(SiteResponse.From(await db.RequireAsync(req.SiteId, ct)), ct);
}

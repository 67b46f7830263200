using FastEndpoints;

namespace CommentService.Api.Features.Imports;

/// <summary>Every import route: under /v1/sites/{siteId}/imports, for the operator or a site key with the admin scope.</summary>
public sealed class ImportsGroup : Group
{
    public ImportsGroup() =>
        Configure("sites/{siteId}/imports", ep =>
        {
            ep.Policies(Infrastructure.Auth.Policies.SiteAdmin);
            ep.Description(b => b.WithTags("Imports"));
        });
}

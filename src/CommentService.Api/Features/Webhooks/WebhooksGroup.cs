using FastEndpoints;

namespace CommentService.Api.Features.Webhooks;

/// <summary>Every webhook route: under /v1/sites/{siteId}/webhooks, for the operator or a site key with the admin scope.</summary>
public sealed class WebhooksGroup : Group
{
    public WebhooksGroup() =>
        Configure("sites/{siteId}/webhooks", ep =>
        {
            ep.Policies(Infrastructure.Auth.Policies.SiteAdmin);
            ep.Description(b => b.WithTags("Webhooks"));
        });
}

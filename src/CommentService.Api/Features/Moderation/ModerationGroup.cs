using FastEndpoints;

namespace CommentService.Api.Features.Moderation;

/// <summary>Every moderator route: under /v1/sites/{siteId}/moderation/, for the operator or a site key with the moderate scope.</summary>
public sealed class ModerationGroup : Group
{
    public ModerationGroup() =>
        Configure("sites/{siteId}/moderation", ep =>
        {
            ep.Policies(Infrastructure.Auth.Policies.SiteModerator);
            ep.Description(b => b.WithTags("Moderation"));
        });
}

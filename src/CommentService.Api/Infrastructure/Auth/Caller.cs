using System.Security.Claims;

namespace CommentService.Api.Infrastructure.Auth;

/// <summary>Who is calling: read from the principal the API-key handler built.</summary>
public static class Caller
{
    public static bool IsOperator(this ClaimsPrincipal user) => user.HasClaim(Claims.Operator, "true");

    public static string? SiteId(this ClaimsPrincipal user) => user.FindFirstValue(Claims.Site);

    public static Guid? KeyId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Claims.KeyId), out var id) ? id : null;

    public static bool HasKey(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;

    /// <summary>True for the operator, or for a key of <paramref name="siteId"/> holding a scope that grants <paramref name="scope"/>.</summary>
    public static bool Can(this ClaimsPrincipal user, string siteId, string scope) =>
        user.IsOperator()
        || (user.SiteId() == siteId && user.FindAll(Claims.Scope).Any(c => ApiScopes.Grants(c.Value, scope)));

    /// <summary>
    /// For routes open to anonymous callers that also accept keys: a key that is present must belong
    /// to the site and carry the scope, or the call is refused rather than silently downgraded.
    /// </summary>
    public static void RequireIfKeyed(this ClaimsPrincipal user, string siteId, string scope)
    {
        if (user.HasKey() && !user.Can(siteId, scope))
        {
            throw ApiProblemException.Forbidden($"This key may not use {scope} on site '{siteId}'.");
        }
    }
}

namespace CommentService.Api.Infrastructure.Auth;

/// <summary>
/// What an API key may do on its site. <see cref="Admin"/> includes every other scope;
/// <see cref="Moderate"/> includes <see cref="CommentsRead"/> (moderators read what they moderate).
/// </summary>
public static class ApiScopes
{
    public const string CommentsRead = "comments:read";
    public const string CommentsWrite = "comments:write";
    public const string Moderate = "moderate";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CommentsRead, CommentsWrite, Moderate, Admin,
    };

    /// <summary>Whether holding <paramref name="held"/> grants <paramref name="wanted"/>.</summary>
    public static bool Grants(string held, string wanted) =>
        held == wanted || held == Admin || (held == Moderate && wanted == CommentsRead);
}

public static class Claims
{
    public const string Operator = "cs:operator";
    public const string Site = "cs:site";
    public const string Scope = "cs:scope";
    public const string KeyId = "cs:key";
}

/// <summary>Named authorization policies; every route names one, or allows anonymous callers.</summary>
public static class Policies
{
    /// <summary>The operator's key from COMMENTS_ADMIN_KEY.</summary>
    public const string Operator = "operator";

    /// <summary>The operator, or a key of the route's site with the admin scope.</summary>
    public const string SiteAdmin = "site-admin";

    /// <summary>The operator, or a key of the route's site with the moderate (or admin) scope.</summary>
    public const string SiteModerator = "site-moderator";
}

using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Features.Sites;

public sealed record SiteResponse(
    string Id,
    string Name,
    IReadOnlyList<string> AllowedOrigins,
    int EditWindowMinutes,
    int? AutoCloseAfterDays,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static SiteResponse From(Site s) => new(s.Id, s.Name, s.AllowedOrigins, s.EditWindowMinutes, s.AutoCloseAfterDays, s.CreatedAt, s.UpdatedAt);
}

public static class SiteLookup
{
    /// <summary>The site, or a 404 problem.</summary>
    public static async Task<Site> RequireAsync(this CommentsDb db, string siteId, CancellationToken ct, bool track = false)
    {
        var query = track ? db.Sites : db.Sites.AsNoTracking();
        return await query.SingleOrDefaultAsync(s => s.Id == siteId, ct)
               ?? throw ApiProblemException.NotFound($"Site '{siteId}'");
    }
}

/// <summary>Rules shared by site create and update.</summary>
public static class SiteRules
{
    public static bool IsOrigin(string? value) =>
        value is { Length: > 0 and <= Domain.Limits.OriginLength }
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.UserInfo.Length == 0
        && uri.GetLeftPart(UriPartial.Authority).Equals(value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        && !value.EndsWith('/');
}

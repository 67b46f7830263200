namespace CommentService.Api.Infrastructure;

/// <summary>
/// An author's stable identity on a site without keeping who they are: a keyed hash of their email
/// when they give one, else of their name together with their (hashed) address; a user the site vouches
/// for (X-User-Token) is known by the site's user id instead.
/// </summary>
public static class AuthorIdentity
{
    /// <summary>The key of the user in a valid X-User-Token; null without one; a 401 problem for an invalid one.</summary>
    public static async Task<string?> SignedInKeyAsync(HttpContext ctx, Data.Site site, UserTokens tokens, KeyedHashes hashes, CancellationToken ct) =>
        tokens.Read(ctx, site) is { } user ? await KeyAsync(hashes, site.Id, user, ct) : null;

    /// <summary>A user the site vouches for: known by the site's own user id.</summary>
    public static async Task<string> KeyAsync(KeyedHashes hashes, string siteId, SiteUser user, CancellationToken ct) =>
        "u:" + Convert.ToHexStringLower(await hashes.TextAsync("site-user", siteId + "\n" + user.Id, ct));

    public static async Task<string> KeyAsync(KeyedHashes hashes, string? email, string name, byte[]? addressHash, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            return "e:" + Convert.ToHexStringLower(await hashes.TextAsync("author-email", email.Trim().ToLowerInvariant(), ct));
        }
        var address = addressHash is null ? "" : Convert.ToHexStringLower(addressHash);
        return "n:" + Convert.ToHexStringLower(await hashes.TextAsync("author-name-address", name.Trim().ToLowerInvariant() + "\n" + address, ct));
    }
}

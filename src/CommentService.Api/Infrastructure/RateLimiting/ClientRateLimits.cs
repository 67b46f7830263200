using System.Security.Claims;
using CommentService.Api.Infrastructure.Auth;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Infrastructure.RateLimiting;

/// <summary>
/// The limits on what readers do (posting, and voting and reporting where those routes exist): per
/// client address and per author, per minute and per hour, from Comments:RateLimits. Servers and
/// moderators calling with a key that holds comments:write or moderate on the site are not limited.
/// Call <see cref="EnforceAsync"/> before any expensive work (the moderation pipeline).
/// </summary>
public sealed class ClientRateLimits(RateLimiter limiter, IOptionsMonitor<RateLimitOptions> options)
{
    /// <summary>Throws a 429 <c>rate-limited</c> problem with Retry-After when a limit is exceeded.</summary>
    /// <param name="user">The caller: keys with comments:write or moderate on the site are not limited.</param>
    /// <param name="action">Whose limits apply (Comments:RateLimits:&lt;Action&gt;).</param>
    /// <param name="siteId">The site acted on; author limits are per site.</param>
    /// <param name="addressHash">The keyed hash of the client address (<see cref="KeyedHashes.AddressAsync"/>); null when unknown.</param>
    /// <param name="authorKey">The author's identity on the site (<see cref="AuthorIdentity"/>); null when there is none.</param>
    /// <param name="ct">Cancels the check.</param>
    public async Task EnforceAsync(ClaimsPrincipal user, RateLimitedAction action, string siteId, byte[]? addressHash, string? authorKey, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled || user.Can(siteId, ApiScopes.CommentsWrite) || user.Can(siteId, ApiScopes.Moderate))
        {
            return;
        }
        var limits = settings.For(action);
        var name = action.ToString().ToLowerInvariant();
        var rules = new List<RateLimitRule>();
        if (addressHash is not null)
        {
            // An address is limited across all sites: one client flooding several sites is still one client.
            var address = Convert.ToHexStringLower(addressHash);
            rules.Add(new RateLimitRule(name + ".address", address, limits.PerAddressPerMinute, TimeSpan.FromMinutes(1)));
            rules.Add(new RateLimitRule(name + ".address", address, limits.PerAddressPerHour, TimeSpan.FromHours(1)));
        }
        if (!string.IsNullOrEmpty(authorKey))
        {
            var author = siteId + "/" + authorKey;
            rules.Add(new RateLimitRule(name + ".author", author, limits.PerAuthorPerMinute, TimeSpan.FromMinutes(1)));
            rules.Add(new RateLimitRule(name + ".author", author, limits.PerAuthorPerHour, TimeSpan.FromHours(1)));
        }

        var decision = await limiter.CheckAsync(rules, ct);
        if (!decision.Allowed)
        {
            var by = decision.Exceeded!.Scope.EndsWith(".author", StringComparison.Ordinal) ? "this author" : "this client address";
            throw ApiProblemException.RateLimited(decision.RetryAfterSeconds,
                $"Too many {name} from {by}; retry in {decision.RetryAfterSeconds} s.");
        }
    }
}

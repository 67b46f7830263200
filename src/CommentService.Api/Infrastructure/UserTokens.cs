using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommentService.Api.Data;
using Microsoft.AspNetCore.DataProtection;

namespace CommentService.Api.Infrastructure;

/// <summary>A reader the site vouches for, from a verified X-User-Token.</summary>
public sealed record SiteUser(string Id, string Name, string? Email, string? AvatarUrl);

/// <summary>
/// Reads X-User-Token: a JWT signed with HMAC-SHA256 (alg HS256) using the site's user-token secret.
/// Claims: sub (the site's user id, required), name (required), email and picture (optional),
/// exp (required), aud (optional; the site id when present). The secret is stored encrypted with
/// ASP.NET Data Protection, whose key ring lives in PostgreSQL.
/// </summary>
public sealed class UserTokens(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string Header = "X-User-Token";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    public string Protect(string secret) => Protector().Protect(secret);

    /// <summary>The verified user, null when no token was sent; a 401 problem when one was sent and does not verify.</summary>
    public SiteUser? Read(HttpContext ctx, Site site)
    {
        string? token = ctx.Request.Headers[Header];
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        if (site.UserTokenSecretProtected is null)
        {
            throw Invalid("This site has no user-token secret; a site admin creates one first.");
        }
        var now = clock.GetUtcNow();
        // During a rotation's grace period tokens signed with the replaced secret still verify, so the
        // site's backend can switch to the new secret without logging anyone out.
        return Verify(token, Protector().Unprotect(site.UserTokenSecretProtected), site.Id, now)
               ?? (site is { UserTokenPreviousSecretProtected: { } previous, UserTokenPreviousSecretUntil: { } until } && until > now
                   ? Verify(token, Protector().Unprotect(previous), site.Id, now)
                   : null)
               ?? throw Invalid("The user token is invalid or expired.");
    }

    /// <summary>The token's user when its signature, algorithm, audience and expiry hold; otherwise null.</summary>
    public static SiteUser? Verify(string token, string secret, string siteId, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || token.Length > 8192)
        {
            return null;
        }
        try
        {
            using var header = JsonDocument.Parse(Base64Url(parts[0]));
            if (header.RootElement.TryGetProperty("alg", out var alg) is false || alg.GetString() != "HS256")
            {
                return null;
            }
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url(parts[2])))
            {
                return null;
            }
            using var payload = JsonDocument.Parse(Base64Url(parts[1]));
            var claims = payload.RootElement;
            if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds)
                || DateTimeOffset.FromUnixTimeSeconds(expSeconds) + ClockSkew < now)
            {
                return null;
            }
            if (claims.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.String && aud.GetString() != siteId)
            {
                return null;
            }
            var sub = String(claims, "sub");
            var name = String(claims, "name")?.Trim();
            if (string.IsNullOrEmpty(sub) || string.IsNullOrEmpty(name) || sub.Length > 256
                || TextRules.HasForbiddenCharacters(name, allowNewlines: false))
            {
                return null;
            }
            var email = String(claims, "email");
            var picture = String(claims, "picture");
            return new SiteUser(
                sub,
                name.Length > Domain.Limits.AuthorNameLength ? name[..Domain.Limits.AuthorNameLength] : name,
                email is not null && Features.Comments.CommentRules.IsEmail(email) ? email : null,
                picture is not null && Features.Comments.CommentRules.IsWebUrl(picture) ? picture : null);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? String(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[] Base64Url(string s) => System.Buffers.Text.Base64Url.DecodeFromChars(s);

    private IDataProtector Protector() => protection.CreateProtector("CommentService.UserTokenSecret.v1");

    private static ApiProblemException Invalid(string detail) => ApiProblemException.Unauthorized(detail);
}

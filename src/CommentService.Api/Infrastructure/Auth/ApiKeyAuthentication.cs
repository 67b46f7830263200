using System.Security.Claims;
using System.Text.Encodings.Web;
using CommentService.Api.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Infrastructure.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>: the operator's key from configuration, or a
/// site key looked up by its SHA-256. Revoked and expired keys fail. Challenges and refusals are
/// answered with problem details.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ServiceOptions> service,
    CommentsDb db,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return AuthenticateResult.Fail("Use 'Authorization: Bearer <key>'.");
        }
        var presented = header[7..].Trim();

        if (IsOperatorKey(presented, service.Value))
        {
            return Success([new Claim(Claims.Operator, "true")]);
        }
        if (!presented.StartsWith(Secrets.ApiKeyPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }

        var hash = Secrets.Hash(presented);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyHash == hash, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }
        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("This API key was revoked.");
        }
        if (key.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            return AuthenticateResult.Fail("This API key has expired.");
        }

        var claims = new List<Claim> { new(Claims.Site, key.SiteId), new(Claims.KeyId, key.Id.ToString()) };
        claims.AddRange(key.Scopes.Select(s => new Claim(Claims.Scope, s)));
        return Success(claims);
    }

    /// <summary>
    /// The current operator key or one still accepted during a rotation. Each comparison is of SHA-256
    /// digests in fixed time, and every configured key is compared, so the time taken says nothing about
    /// how much of a key was right, nor which key matched.
    /// </summary>
    private static bool IsOperatorKey(string presented, ServiceOptions options)
    {
        var match = false;
        foreach (var key in options.PreviousAdminKeys.Prepend(options.AdminKey))
        {
            match |= !string.IsNullOrEmpty(key) && Secrets.FixedTimeEquals(presented, key);
        }
        return match;
    }

    private AuthenticateResult Success(IEnumerable<Claim> claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await ProblemWriter.WriteAsync(Context, 401, ProblemTypes.Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "This route needs an API key: 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, 403, ProblemTypes.Forbidden, "Forbidden",
            "This key does not have the scope this route needs on this site.");
}

/// <summary>Refuses a presented but invalid key even on routes anonymous callers may use.</summary>
public sealed class RejectInvalidKeysMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Request.Headers.Authorization.Count > 0 && ctx.User.Identity?.IsAuthenticated != true)
        {
            await ctx.ChallengeAsync(ApiKeyAuthentication.SchemeName);
            return;
        }
        await next(ctx);
    }
}

/// <summary>A scope on the site named by the route's <c>{siteId}</c>.</summary>
public sealed record SiteScopeRequirement(string Scope) : IAuthorizationRequirement;

public sealed class SiteScopeHandler(IHttpContextAccessor http) : AuthorizationHandler<SiteScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SiteScopeRequirement requirement)
    {
        var siteId = http.HttpContext?.Request.RouteValues["siteId"] as string;
        if (siteId is not null && context.User.Can(siteId, requirement.Scope))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

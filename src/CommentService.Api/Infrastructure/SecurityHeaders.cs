namespace CommentService.Api.Infrastructure;

/// <summary>
/// Headers that keep browsers from misreading or framing what the service answers. Every answer is
/// nosniff, unframeable and sends no referrer. API answers (JSON, problem details) and the embed script
/// get a policy that allows nothing, since neither is a document a browser should render; the only HTML
/// (the Development-only demo page) gets a policy that allows its own styles, the embed script from this
/// origin and calls back to this origin.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext ctx)
    {
        ctx.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            var html = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
            headers.ContentSecurityPolicy = html ? PagePolicy : ApiPolicy;
            return Task.CompletedTask;
        }, ctx.Response);
        return next(ctx);
    }
}

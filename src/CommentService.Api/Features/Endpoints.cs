using CommentService.Api.Infrastructure;

namespace CommentService.Api.Features;

/// <summary>OpenAPI metadata shared by the endpoints.</summary>
public static class EndpointDocs
{
    /// <summary>Declares the problem-details answers a route can give, so clients know every error.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder b, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            b.Produces<Problem>(status, ProblemWriter.ContentType);
        }
        return b;
    }

    /// <summary>
    /// For a route open to anonymous callers: a key, if sent, must hold <paramref name="scope"/> on the
    /// site. Documented as the operation's <c>x-required-scopes</c> with optional security.
    /// </summary>
    public static RouteHandlerBuilder AcceptsKey(this RouteHandlerBuilder b, string scope) =>
        b.WithMetadata(new OptionalKeyScope(scope));

    /// <summary>Documents the optional reader headers a route reads, so generated clients can send them.</summary>
    public static RouteHandlerBuilder AcceptsHeaders(this RouteHandlerBuilder b, params string[] names) =>
        b.WithMetadata(new AcceptedHeaders(names));
}

/// <summary>Endpoint metadata: the reader headers a route reads (X-Edit-Token, X-User-Token, X-Reader-Token).</summary>
public sealed record AcceptedHeaders(IReadOnlyList<string> Names);

/// <summary>Endpoint metadata: the scope a key needs on a route that also serves anonymous callers.</summary>
public sealed record OptionalKeyScope(string Scope);

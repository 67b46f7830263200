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
}

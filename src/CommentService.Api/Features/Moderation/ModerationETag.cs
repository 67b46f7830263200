using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;

namespace CommentService.Api.Features.Moderation;

/// <summary>
/// The entity tag of a comment's moderation state (its <see cref="Comment.ModerationVersion"/>): shown to
/// moderators on queue items, on GET comment and on a decision's answer, and sent back as If-Match
/// so a decision made on stale facts fails with 412 instead of overwriting another moderator's.
/// </summary>
public static class ModerationETag
{
    public const string IfMatchHeader = "If-Match";

    public static string Of(Comment comment) => $"\"m{comment.ModerationVersion}\"";

    /// <summary>
    /// An If-Match value is <c>*</c> or a comma-separated list of entity tags. Weak tags are allowed in
    /// the syntax but never match (RFC 9110 compares strongly for If-Match).
    /// </summary>
    public static bool IsWellFormed(string ifMatch)
    {
        var value = ifMatch.Trim();
        return value == "*" || Tags(value).All(IsEntityTag);
    }

    private static bool IsEntityTag(string tag)
    {
        var opaque = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        return opaque.Length >= 2 && opaque[0] == '"' && opaque[^1] == '"' && !opaque[1..^1].Contains('"', StringComparison.Ordinal);
    }

    /// <summary>The request's If-Match, or null without one; 400 naming the header when it is not * or a list of entity tags.</summary>
    public static string? IfMatchOf(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }
        var value = string.Join(", ", values.ToArray());
        return IsWellFormed(value)
            ? value
            : throw ApiProblemException.Field(IfMatchHeader, "If-Match is * or a list of quoted entity tags such as \"m3\".");
    }

    public static bool Matches(string ifMatch, Comment comment)
    {
        var value = ifMatch.Trim();
        return value == "*" || Tags(value).Contains(Of(comment), StringComparer.Ordinal);
    }

    private static string[] Tags(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static ApiProblemException Failed(Comment comment) =>
        new(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "Precondition failed",
            $"The comment changed since you loaded it (it is {comment.Status.ToWire()} now, ETag {Of(comment)}); reload it and decide again.");
}

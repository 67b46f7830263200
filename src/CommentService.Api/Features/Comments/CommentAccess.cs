using System.Security.Claims;
using CommentService.Api.Data;
using CommentService.Api.Infrastructure;
using CommentService.Api.Infrastructure.Auth;

namespace CommentService.Api.Features.Comments;

public enum CommentRole
{
    Reader,
    Author,
    Moderator,
}

/// <summary>
/// Who may see and change one comment: moderators (a moderate key), its author (the edit token, or
/// the site's signed user token of the same user), readers.
/// </summary>
public static class CommentAccess
{
    public const string EditTokenHeader = "X-Edit-Token";

    public static CommentRole RoleOf(ClaimsPrincipal user, HttpContext ctx, Comment comment, string? signedInAuthorKey = null)
    {
        if (user.Can(comment.SiteId, ApiScopes.Moderate))
        {
            return CommentRole.Moderator;
        }
        if (signedInAuthorKey is not null && signedInAuthorKey == comment.AuthorKey)
        {
            return CommentRole.Author;
        }
        string? token = ctx.Request.Headers[EditTokenHeader];
        return !string.IsNullOrEmpty(token) && Secrets.Matches(token, comment.EditTokenHash) ? CommentRole.Author : CommentRole.Reader;
    }

    /// <summary>
    /// For edits and deletes: a moderator, or the author within the site's edit window. A wrong token
    /// is 403, no credential at all 401, a closed window 409.
    /// </summary>
    public static CommentRole RequireChange(ClaimsPrincipal user, HttpContext ctx, Comment comment, int editWindowMinutes, DateTimeOffset now,
        bool checkWindow = true, string? signedInAuthorKey = null)
    {
        var role = RoleOf(user, ctx, comment, signedInAuthorKey);
        if (role == CommentRole.Moderator)
        {
            return role;
        }
        if (role == CommentRole.Reader)
        {
            if (ctx.Request.Headers.ContainsKey(EditTokenHeader) || signedInAuthorKey is not null)
            {
                throw ApiProblemException.Forbidden("The edit token or signed user does not match this comment's author.");
            }
            if (user.HasKey())
            {
                throw ApiProblemException.Forbidden("Changing a comment needs its X-Edit-Token or a key with the moderate scope.");
            }
            throw ApiProblemException.Unauthorized("Send the comment's X-Edit-Token, or a key with the moderate scope.");
        }
        if (checkWindow && now > comment.CreatedAt.AddMinutes(editWindowMinutes))
        {
            throw ApiProblemException.Conflict(ProblemTypes.EditWindowClosed,
                $"Comments can be changed with the edit token for {editWindowMinutes} minutes after posting.");
        }
        return role;
    }
}

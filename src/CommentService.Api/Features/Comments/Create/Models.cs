using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Comments.Create;

public sealed class Request : ICommentFields
{
    public string SiteId { get; set; } = "";

    /// <summary>The comment replied to, in the same article; omit for a top-level comment.</summary>
    public Guid? ParentId { get; set; }
    public string AuthorName { get; set; } = "";

    /// <summary>Kept encrypted for notifications and identity; never shown by the API.</summary>
    public string? AuthorEmail { get; set; }

    /// <summary>An http(s) link shown with the author's name.</summary>
    public string? AuthorUrl { get; set; }

    /// <summary>Plain text; newlines are kept.</summary>
    public string Body { get; set; } = "";
}

public sealed class Validator : CommentFieldsValidator<Request>;

/// <summary>The new comment and its edit token, which only this answer carries.</summary>
public sealed record Response : CommentResponse
{
    public Response(CommentResponse comment, string editToken, DateTimeOffset editableUntil) : base(comment)
    {
        EditToken = editToken;
        EditableUntil = editableUntil;
    }

    /// <summary>Send as X-Edit-Token to edit or delete the comment within the site's edit window.</summary>
    public string EditToken { get; init; } = "";
    public DateTimeOffset EditableUntil { get; init; }
}

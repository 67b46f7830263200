using System.Net.Mail;
using CommentService.Api.Infrastructure;
using FluentValidation;

namespace CommentService.Api.Features.Comments;

/// <summary>Field rules shared by the comment routes.</summary>
public static class CommentRules
{
    public static bool IsEmail(string value) =>
        !TextRules.HasForbiddenCharacters(value, allowNewlines: false)
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.');

    public static bool IsWebUrl(string value) =>
        !TextRules.HasForbiddenCharacters(value, allowNewlines: false)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && !string.IsNullOrEmpty(uri.Host);
}

/// <summary>The author and text fields every comment-shaped request carries.</summary>
public interface ICommentFields
{
    string AuthorName { get; }
    string? AuthorEmail { get; }
    string? AuthorUrl { get; }
    string Body { get; }
}

/// <summary>The rules for <see cref="ICommentFields"/>, shared by posting and the moderators' dry run.</summary>
public abstract class CommentFieldsValidator<T> : FastEndpoints.Validator<T> where T : ICommentFields
{
    protected CommentFieldsValidator()
    {
        RuleFor(r => r.AuthorName).CleanText("authorName", Domain.Limits.AuthorNameLength);
        RuleFor(r => r.Body).CleanText("body", Domain.Limits.BodyLength, multiline: true);
        RuleFor(r => r.AuthorEmail!).Cascade(CascadeMode.Stop)
            .MaximumLength(Domain.Limits.AuthorEmailLength)
            .Must(CommentRules.IsEmail).WithMessage("authorEmail is not an email address.")
            .When(r => r.AuthorEmail is not null);
        RuleFor(r => r.AuthorUrl!).Cascade(CascadeMode.Stop)
            .MaximumLength(Domain.Limits.AuthorUrlLength)
            .Must(CommentRules.IsWebUrl).WithMessage("authorUrl must be an absolute http or https URL.")
            .When(r => r.AuthorUrl is not null);
    }
}

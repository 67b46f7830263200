using System.Net.Mail;
using CommentService.Api.Infrastructure;

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

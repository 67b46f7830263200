using Microsoft.AspNetCore.DataProtection;

namespace CommentService.Api.Infrastructure;

/// <summary>Data Protection purposes; the key ring lives in PostgreSQL so every replica can decrypt.</summary>
public static class Protection
{
    public static IDataProtector ClassifierSecrets(this IDataProtectionProvider provider) =>
        provider.CreateProtector("CommentService.ClassifierSecret.v1");

    public static IDataProtector AuthorEmails(this IDataProtectionProvider provider) =>
        provider.CreateProtector("CommentService.AuthorEmail.v1");

    public static IDataProtector WebhookSecrets(this IDataProtectionProvider provider) =>
        provider.CreateProtector("CommentService.WebhookSecret.v1");
}

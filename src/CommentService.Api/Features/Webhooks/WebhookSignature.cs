using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommentService.Api.Features.Webhooks;

/// <summary>
/// <c>X-CommentService-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> over
/// <c>"&lt;t&gt;.&lt;body&gt;"</c>, keyed with the webhook's secret (its UTF-8 bytes). The timestamp lets
/// receivers refuse replays; the scheme name lets the service add schemes without breaking them.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() =>
        SecretPrefix + Infrastructure.Secrets.NewSigningSecret();

    public static string Header(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var signed = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, signed);
        signed[t.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(t.Length + 1));
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }
}

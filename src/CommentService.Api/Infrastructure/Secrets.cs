using System.Security.Cryptography;
using System.Text;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Secrets the service shows once (API keys, edit tokens) are random 256-bit values; only their
/// SHA-256 is stored. A fast hash is right here: the inputs are random, not guessable passwords.
/// </summary>
public static class Secrets
{
    public const string ApiKeyPrefix = "csk_";

    public static string NewApiKey() => ApiKeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewEditToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A 256-bit secret for HMAC signing (site user tokens, webhooks).</summary>
    public static string NewSigningSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Hash(a), Hash(b));

    private static string Base64Url(byte[] bytes) =>
        System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

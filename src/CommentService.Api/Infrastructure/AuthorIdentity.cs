namespace CommentService.Api.Infrastructure;

/// <summary>
/// An author's stable identity on a site without keeping who they are: a keyed hash of their email
/// when they give one, else of their name together with their (hashed) address. Signed site users
/// (embedding issue) will take precedence once they exist.
/// </summary>
public static class AuthorIdentity
{
    public static async Task<string> KeyAsync(KeyedHashes hashes, string? email, string name, byte[]? addressHash, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            return "e:" + Convert.ToHexStringLower(await hashes.TextAsync("author-email", email.Trim().ToLowerInvariant(), ct));
        }
        var address = addressHash is null ? "" : Convert.ToHexStringLower(addressHash);
        return "n:" + Convert.ToHexStringLower(await hashes.TextAsync("author-name-address", name.Trim().ToLowerInvariant() + "\n" + address, ct));
    }
}

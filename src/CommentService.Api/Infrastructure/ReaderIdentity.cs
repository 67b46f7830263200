using CommentService.Api.Data;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Who a reader is, for votes and reports: the signed site user when there is one, else the
/// anonymous reader token the browser keeps (X-Reader-Token) together with the client's hashed
/// address, so one browser cannot vote twice by clearing the token alone, nor two people behind one
/// address be merged.
/// </summary>
public sealed class ReaderIdentity(UserTokens tokens, KeyedHashes hashes)
{
    public const string Header = "X-Reader-Token";

    /// <summary>The reader's key, and the client's hashed address for the rate limits that count readers.</summary>
    public async Task<(string Key, byte[]? AddressHash)> IdentifyAsync(HttpContext ctx, Site site, CancellationToken ct)
    {
        var address = await hashes.AddressAsync(ctx.Connection.RemoteIpAddress, ct);
        if (await AuthorIdentity.SignedInKeyAsync(ctx, site, tokens, hashes, ct) is { } signedIn)
        {
            return (signedIn, address);
        }
        string? token = ctx.Request.Headers[Header];
        if (token is not { Length: >= 16 and <= 128 } || token.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            throw ApiProblemException.Field(Header, "Send a signed X-User-Token, or an X-Reader-Token of 16 to 128 letters, digits, '-' or '_' that the browser keeps.");
        }
        return ("r:" + Convert.ToHexStringLower(await hashes.TextAsync("reader", token + "\n" + Convert.ToHexStringLower(address ?? []), ct)), address);
    }
}

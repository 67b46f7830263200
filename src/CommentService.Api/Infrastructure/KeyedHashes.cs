using System.Net;
using System.Security.Cryptography;
using CommentService.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Personal data that must still be matched (client addresses, author emails) is stored only as
/// HMAC-SHA256 with a server secret, so bans, limits and author history work without keeping the
/// value. The secret is generated once and kept in PostgreSQL so every replica hashes alike.
/// </summary>
public sealed class KeyedHashes(IServiceScopeFactory scopes)
{
    private const string SecretName = "ip-hash-key";
    private readonly SemaphoreSlim gate = new(1, 1);
    private byte[]? key;

    public async Task<byte[]?> AddressAsync(IPAddress? address, CancellationToken ct)
    {
        if (address is null)
        {
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return HMACSHA256.HashData(await KeyAsync(ct), address.GetAddressBytes());
    }

    /// <summary>The keyed hash of a text value, for <paramref name="purpose"/> (so equal values of different kinds never match).</summary>
    public async Task<byte[]> TextAsync(string purpose, string value, CancellationToken ct) =>
        HMACSHA256.HashData(await KeyAsync(ct), System.Text.Encoding.UTF8.GetBytes(purpose + "\n" + value));

    private async Task<byte[]> KeyAsync(CancellationToken ct)
    {
        if (key is not null)
        {
            return key;
        }
        await gate.WaitAsync(ct);
        try
        {
            if (key is null)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO server_secrets (name, value) VALUES ({SecretName}, {RandomNumberGenerator.GetBytes(32)}) ON CONFLICT (name) DO NOTHING", ct);
                key = (await db.ServerSecrets.AsNoTracking().SingleAsync(s => s.Name == SecretName, ct)).Value;
            }
            return key;
        }
        finally
        {
            gate.Release();
        }
    }
}

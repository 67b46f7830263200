using Microsoft.EntityFrameworkCore;

namespace CommentService.Api.Data;

/// <summary>
/// One <c>Idempotency-Key</c> a caller sent with a write: the request's fingerprint and, once the
/// request finished, the answer to replay. Shared by every replica; expired rows are swept by
/// <c>Housekeeping</c>. Read and written with SQL by <c>IdempotencyStore</c>; mapped here for migrations.
/// </summary>
public sealed class IdempotencyKey
{
    /// <summary>Whose key it is: <c>key:&lt;api key id&gt;</c>, <c>operator</c>, or <c>reader:&lt;site&gt;:&lt;address hash&gt;</c>.</summary>
    public required string Scope { get; init; }
    public required string Key { get; init; }

    /// <summary>SHA-256 of the method, request target, identity headers and body.</summary>
    public required byte[] Fingerprint { get; init; }

    /// <summary>Null while the first request is still running.</summary>
    public int? StatusCode { get; init; }
    public string? ContentType { get; init; }
    public string? Location { get; init; }

    /// <summary>The answer's body, encrypted with Data Protection (it may hold a new key or edit token).</summary>
    public byte[]? BodyProtected { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>While running: after this another request with the key may take it over (the first one died).</summary>
    public DateTimeOffset LockedUntil { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// Set in the write's own transaction when the request's write committed; a committed key is never
    /// run again while it is kept, also when its answer was lost (README, "Idempotency").
    /// </summary>
    public DateTimeOffset? CommittedAt { get; init; }

    /// <summary>Which claim of the key holds it now; a request whose lock was taken over no longer matches and cannot commit.</summary>
    public Guid? ClaimToken { get; init; }
}

public static class IdempotencyModel
{
    public const int KeyLength = 255;

    public static void ConfigureIdempotency(this ModelBuilder b) =>
        b.Entity<IdempotencyKey>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(k => new { k.Scope, k.Key });
            e.Property(k => k.Scope).HasMaxLength(200);
            e.Property(k => k.Key).HasMaxLength(KeyLength);
            e.Property(k => k.ContentType).HasMaxLength(200);
            e.Property(k => k.Location).HasMaxLength(2048);
            e.HasIndex(k => k.ExpiresAt);
        });
}

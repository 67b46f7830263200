namespace CommentService.Api.Infrastructure.Idempotency;

/// <summary>
/// The Idempotency-Key claim the current request holds, filled by <see cref="IdempotencyMiddleware"/>
/// (scoped: one per request). While it is set, every database transaction of the request marks the
/// claim "committed" inside that same transaction (<see cref="IdempotencyCommitMark"/>), so a retry can
/// tell a write that happened from one that did not, even when the answer was never stored.
/// </summary>
public sealed class IdempotencyScope
{
    public string? Scope { get; private set; }
    public string? Key { get; private set; }

    /// <summary>Names this claim among the claims the key ever had: a request whose lock expired and was taken over no longer matches.</summary>
    public Guid Token { get; private set; }

    /// <summary>
    /// Where the created resource will be (a path); write paths that create something set it before they
    /// commit, so an answer that gets lost can still point the client to what was created.
    /// </summary>
    public string? Location { get; set; }

    public bool Active => Scope is not null;

    public void Hold(string scope, string key, Guid token)
    {
        Scope = scope;
        Key = key;
        Token = token;
    }
}

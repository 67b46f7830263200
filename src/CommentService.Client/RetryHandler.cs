using System.Net;

namespace CommentService.Client;

/// <summary>How <see cref="RetryHandler"/> retries.</summary>
public sealed record RetryOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The wait when the answer has no Retry-After (doubled after each attempt).</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this is not waited for: the answer is returned as it is.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Give every POST and PATCH without an Idempotency-Key a new one, so it is safe to retry.</summary>
    public bool AddIdempotencyKeys { get; init; } = true;
}

/// <summary>
/// Retries answers the service marks as temporary (429 rate limited, 503 database unavailable, and 409
/// while the same Idempotency-Key is still running, which carries Retry-After), and connection failures.
/// It waits as Retry-After says (seconds or a date), at most <see cref="RetryOptions.MaxDelay"/>, for at most
/// <see cref="RetryOptions.MaxAttempts"/> attempts. Only requests that are safe to repeat are retried:
/// GET, HEAD, PUT, DELETE, and any request with an Idempotency-Key, which it adds to POST and PATCH
/// (one key for all attempts), so the service runs the write once however often it is sent.
/// </summary>
public sealed class RetryHandler(RetryOptions? options = null) : DelegatingHandler
{
    /// <summary>The header that makes a write safe to retry.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly RetryOptions options = options ?? new RetryOptions();

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.AddIdempotencyKeys && (request.Method == HttpMethod.Post || request.Method == HttpMethod.Patch)
            && !request.Headers.Contains(IdempotencyKeyHeader))
        {
            request.Headers.Add(IdempotencyKeyHeader, Guid.NewGuid().ToString());
        }
        var repeatable = IsRepeatable(request);
        if (repeatable && request.Content is not null)
        {
            // The same content is sent again on a retry.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            var last = !repeatable || attempt >= options.MaxAttempts;
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (!last && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (last || !IsTemporary(response))
            {
                return response;
            }
            var wait = RetryAfter(response) ?? Backoff(attempt);
            if (wait > options.MaxDelay)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRepeatable(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Put
        || request.Method == HttpMethod.Delete || request.Method == HttpMethod.Options
        || request.Headers.Contains(IdempotencyKeyHeader);

    private static bool IsTemporary(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
        // The same key is still running elsewhere: its answer will be there shortly.
        HttpStatusCode.Conflict => response.Headers.RetryAfter is not null,
        _ => false,
    };

    private TimeSpan Backoff(int attempt) => options.FirstDelay * Math.Pow(2, attempt - 1);

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}

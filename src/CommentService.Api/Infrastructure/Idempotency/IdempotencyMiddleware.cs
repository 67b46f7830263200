using System.Security.Cryptography;
using System.Text;
using CommentService.Api.Data;
using CommentService.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Infrastructure.Idempotency;

/// <summary>
/// Writes (POST, PUT, PATCH, DELETE) that carry an <c>Idempotency-Key</c> header run once per caller
/// and key: a retry with the same request gets the first answer again (with
/// <c>Idempotency-Replayed: true</c>), even on another replica; the same key with a different request
/// is refused with 422; a retry while the first is still running gets 409 with Retry-After.
/// Final answers are kept (2xx and 4xx); 5xx and 429 are not, so a retry can still succeed, unless the
/// write had already committed (<see cref="IdempotencyCommitMark"/>): then a retry gets 409
/// <c>idempotency-answer-lost</c> pointing at what was created, and the write never runs twice.
/// Runs after authentication and authorization: refused callers never hold a key.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, KeyedHashes hashes, IOptionsMonitor<IdempotencyOptions> options)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";

    // Headers that change who the request acts as: the same key and body with another user token is another request.
    private static readonly string[] IdentityHeaders = ["X-User-Token", "X-Edit-Token", "X-Reader-Token"];

    public async Task InvokeAsync(HttpContext ctx)
    {
        var method = ctx.Request.Method;
        var isWrite = HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
        if (!isWrite || ctx.GetEndpoint() is null || !ctx.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(ctx);
            return;
        }

        var key = Validate(values);
        var scope = await ScopeAsync(ctx);
        if (scope is null)
        {
            // No such site can exist, so the route answers 404 whatever is replayed: nothing to keep.
            await next(ctx);
            return;
        }
        var fingerprint = await FingerprintAsync(ctx);
        var settings = options.CurrentValue;
        var claim = await store.ClaimAsync(scope, key, fingerprint, settings, ctx.RequestAborted);
        switch (claim.Outcome)
        {
            case ClaimOutcome.Replay:
                await ReplayAsync(ctx, claim.Answer!);
                return;
            case ClaimOutcome.InProgress:
                throw new ApiProblemException(StatusCodes.Status409Conflict, ProblemTypes.IdempotencyInProgress, "Conflict",
                    "A request with this Idempotency-Key is still being processed; retry shortly to get its answer.")
                { RetryAfterSeconds = 1 };
            case ClaimOutcome.AnswerLost:
                await AnswerLostAsync(ctx, claim.Location);
                return;
            case ClaimOutcome.Mismatch:
                throw new ApiProblemException(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Unprocessable content",
                    "This Idempotency-Key was already used for a different request (method, path or body); use a new key.",
                    [new FieldError(Header, "Already used for a different request.")]);
        }

        ctx.RequestServices.GetRequiredService<IdempotencyScope>().Hold(scope, key, claim.Token);
        await RunAndStoreAsync(ctx, scope, key, claim.Token);
    }

    /// <summary>
    /// The first request's write committed but its answer is gone (the answer may have held a secret, such as
    /// an edit token, that is stored nowhere else): say so, point at the created resource, and change nothing.
    /// </summary>
    private static Task AnswerLostAsync(HttpContext ctx, string? location)
    {
        if (location is not null)
        {
            ctx.Response.Headers.Location = location;
        }
        return ProblemMiddleware.WriteProblemAsync(ctx, new ApiProblemException(StatusCodes.Status409Conflict, ProblemTypes.IdempotencyAnswerLost, "Conflict",
            location is null
                ? "The request with this Idempotency-Key was carried out, but its answer was lost. It will not run again; read the current state instead of retrying."
                : "The request with this Idempotency-Key was carried out, but its answer was lost. It will not run again; what it created is at Location."));
    }

    private async Task RunAndStoreAsync(HttpContext ctx, string scope, string key, Guid token)
    {
        var original = ctx.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        ctx.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer, original));
        try
        {
            try
            {
                await next(ctx);
            }
            catch (ApiProblemException problem) when (problem.Status is >= 400 and < 500)
            {
                // A refusal is a final answer too: render it here so it can be stored and replayed.
                ProblemMiddleware.ClearKeepingCors(ctx.Response);
                await ProblemMiddleware.WriteProblemAsync(ctx, problem);
            }
        }
        catch
        {
            ctx.Features.Set(original);
            await store.ReleaseAsync(scope, key, token, CancellationToken.None);
            throw;
        }
        ctx.Features.Set(original);
        await (ctx.RequestServices.GetService<IIdempotencyFaults>()?.BeforeAnswerStoredAsync(ctx) ?? Task.CompletedTask);

        var status = ctx.Response.StatusCode;
        var body = buffer.ToArray();
        var final = status is >= 200 and < 300 || (status is >= 400 and < 500 && status != StatusCodes.Status429TooManyRequests && body.Length > 0);
        if (final)
        {
            var answer = new StoredAnswer(status, ctx.Response.ContentType, ctx.Response.Headers.Location.FirstOrDefault(), body);
            await store.CompleteAsync(scope, key, token, answer, CancellationToken.None);
        }
        else
        {
            await store.ReleaseAsync(scope, key, token, CancellationToken.None);
        }
        if (body.Length > 0)
        {
            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
        }
    }

    private static async Task ReplayAsync(HttpContext ctx, StoredAnswer answer)
    {
        ctx.Response.StatusCode = answer.StatusCode;
        ctx.Response.Headers[ReplayedHeader] = "true";
        if (answer.Location is not null)
        {
            ctx.Response.Headers.Location = answer.Location;
        }
        if (answer.ContentType is not null)
        {
            ctx.Response.ContentType = answer.ContentType;
        }
        if (answer.Body.Length > 0)
        {
            ctx.Response.ContentLength = answer.Body.Length;
            await ctx.Response.Body.WriteAsync(answer.Body, ctx.RequestAborted);
        }
    }

    /// <summary>1 to 255 visible ASCII characters, sent once.</summary>
    public static string Validate(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1)
        {
            throw ApiProblemException.Field(Header, "Send one Idempotency-Key header.");
        }
        var key = values[0] ?? "";
        if (key.Length is 0 or > IdempotencyModel.KeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw ApiProblemException.Field(Header, $"An Idempotency-Key is 1 to {IdempotencyModel.KeyLength} visible ASCII characters (no spaces), e.g. a UUID.");
        }
        return key;
    }

    private static async Task<byte[]> FingerprintAsync(HttpContext ctx)
    {
        // The endpoint reads the body again after us (ASP.NET buffers large bodies to a temporary file), and the
        // body is hashed as it streams past: an import file of many megabytes is never held in memory here.
        ctx.Request.EnableBuffering();
        var target = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path + ctx.Request.QueryString;
        using var hash = StartFingerprint(ctx.Request.Method, target, name => ctx.Request.Headers[name].ToString());
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
            {
                hash.AppendData(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        ctx.Request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    /// <summary>SHA-256 of what makes two requests the same: method, request target as sent, identity headers, body.</summary>
    public static byte[] Fingerprint(string method, string target, Func<string, string> header, ReadOnlySpan<byte> body)
    {
        using var hash = StartFingerprint(method, target, header);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    private static IncrementalHash StartFingerprint(string method, string target, Func<string, string> header)
    {
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(method + " " + target + "\n"));
        foreach (var name in IdentityHeaders)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + ": " + header(name) + "\n"));
        }
        return hash;
    }

    /// <summary>
    /// Keys are per caller: an API key, the operator, or a reader without a key (the site and the
    /// keyed hash of the client address), so one caller can never receive another's answer.
    /// </summary>
    private async Task<string?> ScopeAsync(HttpContext ctx)
    {
        var user = ctx.User;
        if (user.KeyId() is { } keyId)
        {
            return "key:" + keyId.ToString("N");
        }
        if (user.IsOperator())
        {
            return "operator";
        }
        var site = ctx.Request.RouteValues.TryGetValue("siteId", out var value) ? value?.ToString() ?? "" : "";
        if (site.Length > Domain.Limits.SiteIdLength)
        {
            return null;
        }
        var address = await hashes.AddressAsync(ctx.Connection.RemoteIpAddress, ctx.RequestAborted);
        return $"reader:{site}:{(address is null ? "-" : Convert.ToHexStringLower(address))}";
    }
}

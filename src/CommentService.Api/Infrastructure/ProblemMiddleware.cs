using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Turns every error into problem details: thrown <see cref="ApiProblemException"/>s, Kestrel's
/// bad-request errors (oversized bodies, malformed requests), an unreachable database (503 with
/// Retry-After) and bodiless error statuses from routing (404, 405). Anything else is a bug: 500, logged.
/// </summary>
public sealed class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> log)
{
    public const int RetryAfterSeconds = 5;

    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
            if (ctx.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null or 0, ContentType: null })
            {
                ctx.Response.ContentLength = null;
                await WriteBodylessStatusAsync(ctx);
            }
        }
        catch (Exception ex) when (!ctx.Response.HasStarted && !ctx.RequestAborted.IsCancellationRequested)
        {
            ClearKeepingCors(ctx.Response);
            await WriteExceptionAsync(ctx, ex);
        }
    }

    /// <summary>Clears a response that has not started, keeping the CORS answer so a browser page can read the problem too.</summary>
    public static void ClearKeepingCors(HttpResponse response)
    {
        var cors = response.Headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Key == "Vary").ToList();
        response.Clear();
        foreach (var (name, value) in cors)
        {
            response.Headers[name] = value;
        }
    }

    /// <summary>Writes the problem a handler threw, with the headers its status calls for.</summary>
    public static Task WriteProblemAsync(HttpContext ctx, ApiProblemException p)
    {
        if (p.Status == StatusCodes.Status401Unauthorized)
        {
            // Set here, not by the thrower: Clear() drops headers, and a 401 must name the scheme (RFC 9110).
            ctx.Response.Headers.WWWAuthenticate = "Bearer";
        }
        if (p.RetryAfterSeconds is { } wait)
        {
            ctx.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return ProblemWriter.WriteAsync(ctx, new Problem(p.Type, p.Title, p.Status, p.Detail) { Errors = p.Errors });
    }

    private static Task WriteBodylessStatusAsync(HttpContext ctx) => ctx.Response.StatusCode switch
    {
        404 => ProblemWriter.WriteAsync(ctx, 404, ProblemTypes.NotFound, "Not found", "No resource at this address."),
        405 => ProblemWriter.WriteAsync(ctx, 405, ProblemTypes.MethodNotAllowed, "Method not allowed"),
        413 => ProblemWriter.WriteAsync(ctx, 413, ProblemTypes.PayloadTooLarge, "Payload too large"),
        415 => ProblemWriter.WriteAsync(ctx, 415, ProblemTypes.UnsupportedMediaType, "Unsupported media type", "Send JSON with Content-Type: application/json (an import file: application/xml or application/x-ndjson)."),
        401 => ProblemWriter.WriteAsync(ctx, 401, ProblemTypes.Unauthorized, "Unauthorized"),
        403 => ProblemWriter.WriteAsync(ctx, 403, ProblemTypes.Forbidden, "Forbidden"),
        var s => ProblemWriter.WriteAsync(ctx, s, ProblemTypes.Validation, "Bad request"),
    };

    private Task WriteExceptionAsync(HttpContext ctx, Exception ex)
    {
        switch (ex)
        {
            case ApiProblemException p:
                return WriteProblemAsync(ctx, p);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return ProblemWriter.WriteAsync(ctx, 413, ProblemTypes.PayloadTooLarge, "Payload too large", "The request body exceeds the documented limit.");
            case BadHttpRequestException bad:
                return ProblemWriter.WriteAsync(ctx, bad.StatusCode, ProblemTypes.Validation, "Bad request", bad.Message);
            case var _ when FindPostgres(ex) is { SqlState: "22021" or "22P05" }:
                // Text PostgreSQL cannot store (a NUL character) that a validator missed: the client's input, not our
                // failure. Logged, so the missing validator gets written (it would name the field).
                log.LogWarning("Unstorable text reached the database serving {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
                return ProblemWriter.WriteAsync(ctx, 400, ProblemTypes.Validation, "One or more fields are invalid.",
                    "A value contains a character that cannot be stored (NUL).");
            case var _ when IsDatabaseUnavailable(ex) || IsConnectionLostMidRequest(ctx, ex):
                log.LogWarning("Database unavailable while serving {Method} {Path}: {Error}", ctx.Request.Method, ctx.Request.Path, ex.Message);
                return DatabaseUnavailableAsync(ctx);
            default:
                log.LogError(ex, "Unhandled error serving {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
                return ProblemWriter.WriteAsync(ctx, 500, ProblemTypes.Internal, "Internal server error", "The error was logged with the trace id below.");
        }
    }

    public static Task DatabaseUnavailableAsync(HttpContext ctx)
    {
        ctx.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProblemWriter.WriteAsync(ctx, 503, ProblemTypes.DatabaseUnavailable, "Service unavailable", "The database cannot be reached; retry later.");
    }

    /// <summary>
    /// When PostgreSQL drops a connection inside a transaction, Npgsql marks the transaction completed, and
    /// the request's next command fails with a plain InvalidOperationException ("Transaction is already
    /// completed") that says nothing about the network. It is an outage, not a bug, when the request's
    /// own connection is no longer open; the same exception on an open connection stays a 500.
    /// </summary>
    private static bool IsConnectionLostMidRequest(HttpContext ctx, Exception ex)
    {
        if (ex is not (InvalidOperationException or ObjectDisposedException) || ex.Source != "Npgsql")
        {
            return false;
        }
        var db = ctx.RequestServices.GetService<Data.CommentsDb>();
        return db?.Database.GetDbConnection().State is { } state && state != System.Data.ConnectionState.Open;
    }

    private static PostgresException? FindPostgres(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return postgres;
            }
        }
        return null;
    }

    private static bool IsDatabaseUnavailable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" }: // shutdown, crash, cannot connect now, too many connections
                case PostgresException { SqlState: [ '0', '8', _, _, _ ] }: // class 08: connection exceptions
                case SocketException:
                case TimeoutException:
                    return true;
                case InvalidOperationException when e.InnerException is NpgsqlException:
                    continue;
            }
        }
        return false;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// The stable problem <c>type</c> of every error kind the API answers with (README, "Errors").
/// Clients switch on these, never on titles or details.
/// </summary>
public static class ProblemTypes
{
    private const string Base = "https://commentservice.dev/problems/";
    public const string Validation = Base + "validation";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string OriginNotAllowed = Base + "origin-not-allowed";
    public const string NotFound = Base + "not-found";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string Conflict = Base + "conflict";
    public const string ThreadClosed = Base + "thread-closed";
    public const string EditWindowClosed = Base + "edit-window-closed";
    public const string AppealExists = Base + "appeal-exists";
    public const string NotAppealable = Base + "not-appealable";
    public const string PreconditionFailed = Base + "precondition-failed";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string RateLimited = Base + "rate-limited";
    public const string IdempotencyInProgress = Base + "idempotency-in-progress";
    public const string IdempotencyAnswerLost = Base + "idempotency-answer-lost";
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string DatabaseUnavailable = Base + "database-unavailable";
    public const string Internal = Base + "internal";
}

/// <summary>An RFC 9457 problem details body. Validation problems also list the failing fields in <c>errors</c>.</summary>
public sealed record Problem(string Type, string Title, int Status, string? Detail = null)
{
    public string? Instance { get; init; }
    public string? TraceId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FieldError>? Errors { get; init; }
}

public sealed record FieldError(string Name, string Reason)
{
    /// <summary>For errors in an uploaded file (imports): the line the error is on, counted from 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Line { get; init; }

    /// <summary>For errors in an uploaded file: the column, counted from 1, when known.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Column { get; init; }
}

/// <summary>Thrown by handlers to answer with a problem; the problem middleware writes it.</summary>
public sealed class ApiProblemException(int status, string type, string title, string? detail = null, IReadOnlyList<FieldError>? errors = null)
    : Exception(detail ?? title)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyList<FieldError>? Errors { get; } = errors;

    /// <summary>Sent as the Retry-After header (seconds) with the problem.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiProblemException NotFound(string what) =>
        new(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"{what} does not exist.");

    public static ApiProblemException Field(string field, string reason) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "One or more fields are invalid.", reason, [new FieldError(field, reason)]);

    public static ApiProblemException Conflict(string type, string detail) =>
        new(StatusCodes.Status409Conflict, type, "Conflict", detail);

    public static ApiProblemException Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", detail);

    public static ApiProblemException Unauthorized(string detail) =>
        new(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Unauthorized", detail);

    public static ApiProblemException RateLimited(int retryAfterSeconds, string detail) =>
        new(StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many requests", detail) { RetryAfterSeconds = retryAfterSeconds };
}

public static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Task WriteAsync(HttpContext ctx, Problem problem)
    {
        ctx.Response.StatusCode = problem.Status;
        ctx.Response.ContentType = ContentType;
        var body = problem with
        {
            Instance = problem.Instance ?? ctx.Request.Path.Value,
            TraceId = problem.TraceId ?? ctx.TraceIdentifier,
        };
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(body, Json), ctx.RequestAborted);
    }

    public static Task WriteAsync(HttpContext ctx, int status, string type, string title, string? detail = null) =>
        WriteAsync(ctx, new Problem(type, title, status, detail));
}

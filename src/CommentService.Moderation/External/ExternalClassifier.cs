namespace CommentService.Moderation.External;

/// <summary>
/// Shared behaviour of external classifiers: off unless enabled, a timeout (default 2 s), and failing open —
/// a timeout, network error or unreadable answer gives no decision, only an <c>external.unavailable</c> flag,
/// so an outage elsewhere never holds back (or lets through) a comment on its own.
/// </summary>
public abstract class ExternalClassifierPhase(HttpClient http, TimeSpan timeout, bool enabled) : IModerationPhase
{
    public const string UnavailableReason = "external.unavailable";

    public abstract string Name { get; }

    protected HttpClient Http { get; } = http;

    public async ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        if (!enabled)
        {
            return PhaseResult.Nothing;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            return await ClassifyAsync(context.Request, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Unavailable($"no answer within {timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException e)
        {
            return Unavailable($"request failed: {e.HttpRequestError}");
        }
        catch (FormatException e)
        {
            return Unavailable($"unreadable answer: {e.Message}");
        }
        catch (System.Text.Json.JsonException)
        {
            return Unavailable("unreadable answer: not the expected JSON");
        }
    }

    /// <summary>Asks the service; throws <see cref="FormatException"/> for an answer it cannot read.</summary>
    protected abstract Task<PhaseResult> ClassifyAsync(ModerationRequest request, CancellationToken ct);

    protected PhaseResult Unavailable(string note) =>
        new([new ModerationFlag(UnavailableReason, Name, 0, null, null, null, note)], null);
}

namespace CommentService.Moderation.External;

/// <summary>Settings for <see cref="AkismetPhase"/>. Off by default.</summary>
public sealed record AkismetOptions
{
    public bool Enabled { get; init; }

    /// <summary>The Akismet API endpoint; comment-check is POSTed to {BaseUrl}/1.1/comment-check.</summary>
    public Uri BaseUrl { get; init; } = new("https://rest.akismet.com");

    public string ApiKey { get; init; } = "";

    /// <summary>The front page of the site the comments belong to (Akismet's <c>blog</c>).</summary>
    public string Blog { get; init; } = "";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Score given to a comment Akismet calls spam (below <see cref="ModerationPolicy.SpamThreshold"/> it is held, not marked spam).</summary>
    public double SpamScore { get; init; } = 0.85;
}

/// <summary>
/// Akismet comment-check as a phase: "true" is spam, "false" clean; with the <c>X-akismet-pro-tip: discard</c>
/// header (blatant spam) the comment is spam with a high score. Anything else fails open.
/// </summary>
public sealed class AkismetPhase(HttpClient http, AkismetOptions options)
    : ExternalClassifierPhase(http, options.Timeout, options.Enabled && options.ApiKey.Length > 0)
{
    public const string PhaseName = "external.akismet";

    public override string Name => PhaseName;

    protected override async Task<PhaseResult> ClassifyAsync(ModerationRequest request, CancellationToken ct)
    {
        var form = new Dictionary<string, string>
        {
            ["api_key"] = options.ApiKey,
            ["blog"] = options.Blog,
            ["user_ip"] = request.ClientAddress ?? "",
            ["user_agent"] = request.UserAgent ?? "",
            ["comment_type"] = "comment",
            ["comment_author"] = request.AuthorName,
            ["comment_author_email"] = request.AuthorEmail ?? "",
            ["comment_author_url"] = request.AuthorUrl ?? "",
            ["comment_content"] = request.Body,
        };
        if (request.ArticleUrl is { } permalink)
        {
            form["permalink"] = permalink;
        }
        var url = new Uri(options.BaseUrl, "1.1/comment-check");
        using var response = await Http.PostAsync(url, new FormUrlEncodedContent(form), ct);
        var body = (await response.Content.ReadAsStringAsync(ct)).Trim();
        if (!response.IsSuccessStatusCode)
        {
            return Unavailable($"HTTP {(int)response.StatusCode}");
        }
        var discard = response.Headers.TryGetValues("X-akismet-pro-tip", out var tips) && tips.Any(t => t.Equals("discard", StringComparison.OrdinalIgnoreCase));
        return body switch
        {
            "true" when discard => new PhaseResult([new ModerationFlag("external.akismet.spam", Name, 0.99, null, null, null, "Akismet: blatant spam (discard)")], ModerationOutcome.Spam),
            "true" => Spam(request),
            "false" => new PhaseResult([new ModerationFlag("external.akismet.clean", Name, 0, null, null, null, "Akismet: not spam")], null),
            _ => Unavailable(response.Headers.TryGetValues("X-akismet-debug-help", out var help) ? $"Akismet: {help.First()}" : "Akismet: unexpected answer"),
        };
    }

    private PhaseResult Spam(ModerationRequest request)
    {
        var policy = request.Policy;
        var outcome = options.SpamScore >= policy.SpamThreshold ? ModerationOutcome.Spam
            : options.SpamScore >= policy.SpamHoldThreshold ? ModerationOutcome.Pending
            : (ModerationOutcome?)null;
        return new PhaseResult([new ModerationFlag("external.akismet.spam", Name, options.SpamScore, null, null, null, "Akismet: spam")], outcome);
    }
}

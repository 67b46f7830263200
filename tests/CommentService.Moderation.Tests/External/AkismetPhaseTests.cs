using System.Net;
using CommentService.Moderation;
using CommentService.Moderation.External;

namespace CommentService.Moderation.Tests.External;

public sealed class AkismetPhaseTests
{
    private static readonly ModerationRequest Comment = new()
    {
        Body = "Great post, visit my store",
        AuthorName = "Spammy McSpam",
        AuthorEmail = "spam@example.com",
        AuthorUrl = "http://store.example.com",
        ClientAddress = "203.0.113.9",
        UserAgent = "Mozilla/5.0",
    };

    private static AkismetPhase Phase(FakeHttpServer server, TimeSpan? timeout = null, bool enabled = true) =>
        new(new HttpClient(), new AkismetOptions
        {
            Enabled = enabled,
            BaseUrl = server.BaseUrl,
            ApiKey = "key123",
            Blog = "https://films.example.com",
            Timeout = timeout ?? TimeSpan.FromSeconds(2),
        });

    private static Task<PhaseResult> Run(IModerationPhase phase) => phase.RunAsync(new ModerationContext(Comment), CancellationToken.None).AsTask();

    [Fact]
    public async Task Sends_the_comment_check_form_and_true_means_spam()
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, "true"));
        var result = await Run(Phase(server));

        Assert.Equal(ModerationOutcome.Spam, result.Decision);
        Assert.Equal("external.akismet.spam", Assert.Single(result.Flags).Reason);
        var request = Assert.Single(server.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/1.1/comment-check", request.Path);
        var form = request.Text.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => WebUtility.UrlDecode(p[1]));
        Assert.Equal("key123", form["api_key"]);
        Assert.Equal("https://films.example.com", form["blog"]);
        Assert.Equal("203.0.113.9", form["user_ip"]);
        Assert.Equal("Mozilla/5.0", form["user_agent"]);
        Assert.Equal("Great post, visit my store", form["comment_content"]);
        Assert.Equal("Spammy McSpam", form["comment_author"]);
        Assert.Equal("spam@example.com", form["comment_author_email"]);
        Assert.Equal("http://store.example.com", form["comment_author_url"]);
        Assert.Equal("comment", form["comment_type"]);
    }

    [Fact]
    public async Task False_means_clean_and_decides_nothing()
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, "false"));
        var result = await Run(Phase(server));
        Assert.Null(result.Decision);
        Assert.Equal("external.akismet.clean", Assert.Single(result.Flags).Reason);
    }

    [Fact]
    public async Task The_discard_pro_tip_is_spam_with_a_high_score()
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, "true", new Dictionary<string, string> { ["X-akismet-pro-tip"] = "discard" }));
        var result = await Run(Phase(server));
        Assert.Equal(ModerationOutcome.Spam, result.Decision);
        Assert.True(Assert.Single(result.Flags).Score >= 0.95);
    }

    [Fact]
    public async Task A_timeout_fails_open()
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, "true", Delay: TimeSpan.FromSeconds(5)));
        var started = DateTime.UtcNow;
        var result = await Run(Phase(server, TimeSpan.FromMilliseconds(200)));
        Assert.Null(result.Decision);
        Assert.Equal(ExternalClassifierPhase.UnavailableReason, Assert.Single(result.Flags).Reason);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData(200, "invalid")]
    [InlineData(500, "oops")]
    public async Task A_bad_answer_fails_open(int status, string body)
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(status, body));
        var result = await Run(Phase(server));
        Assert.Null(result.Decision);
        Assert.Equal(ExternalClassifierPhase.UnavailableReason, Assert.Single(result.Flags).Reason);
    }

    [Fact]
    public async Task A_network_error_fails_open()
    {
        Uri closed;
        await using (var server = new FakeHttpServer(_ => new FakeAnswer(200, "true")))
        {
            closed = server.BaseUrl;
        }
        var phase = new AkismetPhase(new HttpClient(), new AkismetOptions { Enabled = true, BaseUrl = closed, ApiKey = "k" });
        var result = await Run(phase);
        Assert.Null(result.Decision);
        Assert.Equal(ExternalClassifierPhase.UnavailableReason, Assert.Single(result.Flags).Reason);
    }

    [Fact]
    public async Task It_is_off_by_default()
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, "true"));
        var phase = new AkismetPhase(new HttpClient(), new AkismetOptions { BaseUrl = server.BaseUrl, ApiKey = "k" });
        var result = await Run(phase);
        Assert.Empty(result.Flags);
        Assert.Empty(server.Received);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommentService.Moderation;
using CommentService.Moderation.External;

namespace CommentService.Moderation.Tests.External;

public sealed class WebhookClassifierPhaseTests
{
    private const string Secret = "s3cret-shared";

    private static readonly ModerationRequest Comment = new()
    {
        Body = "Is this the real life? 🎸",
        AuthorName = "Freddie",
        AuthorEmail = "never-sent@example.com",
        SiteId = "films",
        ArticleId = "reviews/bohemian",
    };

    private static WebhookClassifierPhase Phase(FakeHttpServer server, TimeSpan? timeout = null) =>
        new(new HttpClient(), new WebhookClassifierOptions
        {
            Enabled = true,
            Url = new Uri(server.BaseUrl, "classify"),
            Secret = Secret,
            Timeout = timeout ?? TimeSpan.FromSeconds(2),
        });

    private static Task<PhaseResult> Run(IModerationPhase phase) => phase.RunAsync(new ModerationContext(Comment), CancellationToken.None).AsTask();

    // What a receiver does: recompute the HMAC of the raw body with the shared secret, compare in constant time.
    private static bool SignatureValid(ReceivedRequest request, string secret)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body));
        return request.Headers.TryGetValue(WebhookClassifierPhase.SignatureHeader, out var given)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
    }

    [Fact]
    public async Task The_receiver_verifies_the_signature_and_its_answer_decides()
    {
        await using var server = new FakeHttpServer(r => SignatureValid(r, Secret)
            ? new FakeAnswer(200, """{"outcome":"spam","reason":"known campaign","score":0.93}""")
            : new FakeAnswer(401, "bad signature"));
        var result = await Run(Phase(server));

        Assert.Equal(ModerationOutcome.Spam, result.Decision);
        var flag = Assert.Single(result.Flags);
        Assert.Equal("external.webhook.spam", flag.Reason);
        Assert.Equal(0.93, flag.Score);
        Assert.Equal("known campaign", flag.Note);

        var request = Assert.Single(server.Received);
        Assert.True(long.TryParse(request.Headers[WebhookClassifierPhase.TimestampHeader], out _));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("Is this the real life? 🎸", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("films", json.RootElement.GetProperty("siteId").GetString());
        Assert.DoesNotContain("never-sent@example.com", request.Text);
    }

    [Fact]
    public async Task A_receiver_with_another_secret_rejects_the_signature_and_the_phase_fails_open()
    {
        await using var server = new FakeHttpServer(r => SignatureValid(r, "another-secret")
            ? new FakeAnswer(200, """{"outcome":"spam","score":1}""")
            : new FakeAnswer(401, "bad signature"));
        var result = await Run(Phase(server));
        Assert.Null(result.Decision);
        Assert.Equal(ExternalClassifierPhase.UnavailableReason, Assert.Single(result.Flags).Reason);
    }

    [Theory]
    [InlineData("pending", ModerationOutcome.Pending)]
    [InlineData("rejected", ModerationOutcome.Rejected)]
    [InlineData("approved", null)]
    public async Task Each_outcome_is_understood(string outcome, ModerationOutcome? expected)
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, $$"""{"outcome":"{{outcome}}","reason":"r","score":0.5}"""));
        var result = await Run(Phase(server));
        Assert.Equal(expected, result.Decision);
        Assert.Equal($"external.webhook.{outcome}", Assert.Single(result.Flags).Reason);
    }

    [Fact]
    public async Task A_timeout_fails_open()
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, """{"outcome":"spam"}""", Delay: TimeSpan.FromSeconds(5)));
        var result = await Run(Phase(server, TimeSpan.FromMilliseconds(200)));
        Assert.Null(result.Decision);
        Assert.Equal(ExternalClassifierPhase.UnavailableReason, Assert.Single(result.Flags).Reason);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"outcome":"maybe"}""")]
    [InlineData("""{"reason":"no outcome"}""")]
    public async Task A_bad_answer_fails_open(string body)
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(200, body));
        var result = await Run(Phase(server));
        Assert.Null(result.Decision);
        Assert.Equal(ExternalClassifierPhase.UnavailableReason, Assert.Single(result.Flags).Reason);
    }

    [Fact]
    public async Task An_external_outage_does_not_hold_a_comment_in_the_pipeline()
    {
        await using var server = new FakeHttpServer(_ => new FakeAnswer(503, "down"));
        var pipeline = new ModerationPipeline([Phase(server), .. ModerationPipeline.CreateDefault().Phases], "test");
        var verdict = await pipeline.RunAsync(Comment);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.Contains(verdict.Flags, f => f.Reason == ExternalClassifierPhase.UnavailableReason);
    }
}

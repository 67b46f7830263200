using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// A webhook receiver on 127.0.0.1 (a minimal Kestrel app) that records every request as it
/// arrives and answers as the test tells it: per delivery id and attempt, a status or a hang.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>One request as it arrived; <see cref="Attempt"/> counts requests with this delivery id.</summary>
    public sealed record Received(string DeliveryId, string Event, string Signature, string ContentType, string Body, int Attempt, DateTimeOffset At)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }

    /// <summary>What to answer: a status code, after an optional delay (a delay past the service's timeout is a timeout).</summary>
    public sealed record Answer(int Status, TimeSpan Delay = default);

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Received> received = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private readonly ConcurrentDictionary<string, int> inFlight = new();
    private int maxInFlightPerDelivery;

    private WebhookReceiver(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>Decides each answer from the request; by default every request gets 200.</summary>
    public Func<Received, Answer> Respond { get; set; } = _ => new Answer(200);

    public IReadOnlyList<Received> Requests => received.ToArray();

    /// <summary>The most requests for one delivery id that were ever being answered at the same time.</summary>
    public int MaxInFlightPerDelivery => Volatile.Read(ref maxInFlightPerDelivery);

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hook", (HttpContext ctx) => receiver!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new WebhookReceiver(app, new Uri(address).Port);
        return receiver;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = ctx.Request.Headers["X-CommentService-Delivery"].ToString();
        var request = new Received(id, ctx.Request.Headers["X-CommentService-Event"].ToString(),
            ctx.Request.Headers["X-CommentService-Signature"].ToString(), ctx.Request.ContentType ?? "", body,
            attempts.AddOrUpdate(id, 1, (_, n) => n + 1), DateTimeOffset.UtcNow);
        received.Enqueue(request);

        var concurrent = inFlight.AddOrUpdate(id, 1, (_, n) => n + 1);
        InterlockedMax(ref maxInFlightPerDelivery, concurrent);
        try
        {
            var answer = Respond(request);
            if (answer.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(answer.Delay, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // the sender gave up (its timeout)
                }
            }
            ctx.Response.StatusCode = answer.Status;
        }
        finally
        {
            inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>Waits until the requests received satisfy <paramref name="done"/>; fails the test on timeout.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var now = Requests;
            if (done(now))
            {
                return now;
            }
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}; received {now.Count} request(s): "
                    + string.Join("; ", now.Select(r => $"{r.Event} {r.DeliveryId} #{r.Attempt}")));
            }
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Verifies X-CommentService-Signature the way the README tells receivers to: HMAC-SHA256 keyed with
    /// the secret over "&lt;t&gt;.&lt;body&gt;", hex, compared in constant time, t recent.
    /// </summary>
    public static bool SignatureIsValid(string header, string body, string secret, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return false;
        }
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - unix) > tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

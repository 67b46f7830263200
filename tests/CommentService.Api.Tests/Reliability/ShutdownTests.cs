using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CommentService.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CommentService.Api.Tests.Reliability;

/// <summary>
/// The real service process stopped with SIGTERM, as an orchestrator stops it: requests already in
/// flight complete, new connections are refused, the process exits 0, and a webhook delivery cut
/// off by the shutdown is sent again by the next process.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ShutdownTests(ServiceFixture service, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private Task<string> NewDatabaseAsync() =>
        ServiceFixture.CreateDatabaseAsync(service.Server.AdminConnectionString, "comments_shutdown_" + Guid.NewGuid().ToString("N")[..10]);

    private static async Task<ServiceProcess> StartAsync(string connection, params (string, string)[] environment)
    {
        var process = ServiceProcess.Start(connection, environment);
        Assert.True(await process.WaitForReadinessAsync(200, Patience), "the service did not become ready:\n" + process.LogText);
        return process;
    }

    /// <summary>A POST whose headers and first half of the body are sent now; the rest when the test says.</summary>
    private sealed class SlowPost : IDisposable
    {
        private readonly TcpClient tcp = new();
        private NetworkStream stream = null!;
        private byte[] rest = [];

        public static async Task<SlowPost> BeginAsync(int port, string path, object body)
        {
            var post = new SlowPost();
            await post.tcp.ConnectAsync("127.0.0.1", port);
            post.stream = post.tcp.GetStream();
            var json = JsonSerializer.SerializeToUtf8Bytes(body);
            var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\n\r\n");
            await post.stream.WriteAsync(head);
            await post.stream.WriteAsync(json.AsMemory(0, json.Length / 2));
            await post.stream.FlushAsync();
            post.rest = json[(json.Length / 2)..];
            return post;
        }

        /// <summary>Sends the rest of the body and reads the answer: status line and body.</summary>
        public async Task<(int Status, string Text)> FinishAsync()
        {
            await stream.WriteAsync(rest);
            await stream.FlushAsync();
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            var statusLine = await reader.ReadLineAsync() ?? "";
            var text = await reader.ReadToEndAsync(); // the server closes the connection: it is shutting down
            return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), text);
        }

        public void Dispose() => tcp.Dispose();
    }

    [Fact]
    public async Task On_SIGTERM_requests_in_flight_complete_new_connections_are_refused_and_the_process_exits_0()
    {
        const int inFlight = 6;
        var connection = await NewDatabaseAsync();
        await using var api = await StartAsync(connection);
        var site = "shutdown-" + Guid.NewGuid().ToString("N")[..8];
        using (var op = api.Operator())
        {
            await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id = site, name = "Shutdown" }), 201);
        }

        var posts = new List<SlowPost>();
        for (var i = 0; i < inFlight; i++)
        {
            posts.Add(await SlowPost.BeginAsync(api.Port, ServiceFixture.CommentsPath(site, "film"), new { authorName = $"Reader {i}", body = SampleText.Line(i) }));
        }
        // Kestrel has the requests: the endpoint is reading their bodies when the signal comes.
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        api.Terminate();
        Assert.NotNull(await api.WaitForLogAsync(TimeSpan.FromSeconds(10), "Application is shutting down"));

        var refused = false;
        while (!refused && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            refused = await api.RefusesConnectionsAsync();
            await Task.Delay(refused ? 0 : 100);
        }
        Assert.True(refused, "the process still accepted new connections after SIGTERM");
        Assert.False(api.HasExited, "the process exited with requests in flight:\n" + api.LogText);

        var answers = new List<(int Status, string Text)>();
        foreach (var post in posts)
        {
            answers.Add(await post.FinishAsync());
            post.Dispose();
        }
        Assert.True(await api.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the process did not exit after its requests completed");
        var stoppedAfter = clock.Elapsed;

        Assert.All(answers, a => Assert.True(a.Status == 201, $"{a.Status}: {a.Text}\n{api.LogText}"));
        Assert.Equal(0, api.ExitCode);
        Assert.Equal((long)inFlight, await CountAsync(connection, "SELECT count(*) FROM comments"));
        output.WriteLine($"SIGTERM with {inFlight} requests in flight: {answers.Count(a => a.Status == 201)} answered 201 and stored; "
            + $"new connections refused; exit code {api.ExitCode} after {stoppedAfter.TotalSeconds:0.0} s; 500s: 0");
    }

    [Fact]
    public async Task A_webhook_delivery_cut_off_by_SIGTERM_is_delivered_by_the_next_process()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // The first attempt hangs (a slow receiver) so that the shutdown finds it in flight; later ones succeed.
        receiver.Respond = r => r.Attempt == 1 ? new WebhookReceiver.Answer(200, TimeSpan.FromSeconds(60)) : new WebhookReceiver.Answer(200);
        (string, string)[] fast =
        [
            ("Comments__Webhooks__AllowPrivateNetworks", "true"),
            ("Comments__Webhooks__PollIntervalMilliseconds", "100"),
            ("Comments__Webhooks__TimeoutSeconds", "30"),
        ];
        var connection = await NewDatabaseAsync();
        var site = "hooks-" + Guid.NewGuid().ToString("N")[..8];

        await using (var first = await StartAsync(connection, fast))
        {
            using var op = first.Operator();
            await Expect.StatusAsync(await op.PostAsJsonAsync("/v1/sites", new { id = site, name = "Hooks" }), 201);
            await Expect.StatusAsync(await op.PostAsJsonAsync($"/v1/sites/{site}/webhooks", new { url = receiver.Url, events = new[] { "comment.created" } }), 201);
            using var reader = first.Anonymous();
            await Expect.StatusAsync(await reader.PostAsJsonAsync(ServiceFixture.CommentsPath(site, "film"), new { authorName = "Ada", body = SampleText.Line(3) }), 201);
            await receiver.WaitForAsync(r => r.Count >= 1, Patience, "the first attempt");

            first.Terminate();
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the process did not stop while a delivery was in flight");
            Assert.Equal(0, first.ExitCode);
        }
        Assert.Equal("pending", await ScalarAsync(connection, "SELECT status FROM webhook_deliveries"));
        var interrupted = await ScalarAsync(connection, "SELECT last_error FROM webhook_deliveries");
        Assert.Contains("shutdown", interrupted, StringComparison.OrdinalIgnoreCase);

        await using var second = await StartAsync(connection, fast);
        var requests = await receiver.WaitForAsync(r => r.Count >= 2, Patience, "the delivery from the next process");
        Assert.Single(requests.Select(r => r.DeliveryId).Distinct());
        var clock = Stopwatch.StartNew();
        while (await ScalarAsync(connection, "SELECT status FROM webhook_deliveries") != "delivered" && clock.Elapsed < Patience)
        {
            await Task.Delay(100);
        }
        Assert.Equal("delivered", await ScalarAsync(connection, "SELECT status FROM webhook_deliveries"));
        output.WriteLine($"delivery in flight at SIGTERM: recorded as \"{interrupted}\", delivered by the next process; receiver saw {requests.Count} requests for 1 event");
    }

    private static async Task<long> CountAsync(string connection, string sql)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(connection);
        await using var cmd = data.CreateCommand(sql);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<string> ScalarAsync(string connection, string sql)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(connection);
        await using var cmd = data.CreateCommand(sql);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}

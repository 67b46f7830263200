using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Security;

/// <summary>
/// Kestrel's limits as configured (README, "Limits"), over raw sockets: oversized and too many headers,
/// an oversized request line, and clients too slow with their headers, their body, or idle between requests.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ConnectionLimitTests(ServiceFixture service, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private Task<HttpResponseMessage> GetAsync(string target, params (string Name, string Value)[] headers) =>
        RawHttp.SendBytesAsync(service.BaseAddress, "GET", Encoding.ASCII.GetBytes(target),
            headers.Select(h => (h.Name, Encoding.ASCII.GetBytes(h.Value))), null, Patience);

    [Fact]
    public async Task Headers_over_32_KiB_in_total_are_refused_with_431_and_smaller_ones_pass()
    {
        Assert.Equal(200, (int)(await GetAsync("/health/live", ("X-Pad", new string('a', 24 * 1024)))).StatusCode);
        Assert.Equal(431, (int)(await GetAsync("/health/live", ("X-Pad", new string('a', 33 * 1024)))).StatusCode);
        // Split over many headers, the total counts.
        var many = Enumerable.Range(0, 40).Select(i => ($"X-Pad-{i}", new string('b', 1000))).ToArray();
        Assert.Equal(431, (int)(await GetAsync("/health/live", many)).StatusCode);
    }

    [Fact]
    public async Task More_than_64_headers_are_refused_with_431()
    {
        Assert.Equal(200, (int)(await GetAsync("/health/live", [.. Enumerable.Range(0, 50).Select(i => ($"X-H{i}", "v"))])).StatusCode);
        Assert.Equal(431, (int)(await GetAsync("/health/live", [.. Enumerable.Range(0, 70).Select(i => ($"X-H{i}", "v"))])).StatusCode);
    }

    [Fact]
    public async Task A_request_line_over_16_KiB_is_414_and_the_longest_article_id_fits()
    {
        var site = await service.CreateSiteAsync();
        // 512 characters of three UTF-8 bytes each, percent-encoded: 4,608 bytes in the path.
        var longest = Uri.EscapeDataString(new string('漢', 512));
        Assert.Equal(200, (int)(await GetAsync($"/v1/sites/{site}/articles/{longest}/comments")).StatusCode);
        Assert.Equal(414, (int)(await GetAsync($"/v1/sites/{site}/articles/{new string('a', 17 * 1024)}/comments")).StatusCode);
    }

    [Fact]
    public async Task Slow_headers_a_slow_body_and_idle_connections_are_cut_off()
    {
        await using var app = ExtraService.Start(service.ConnectionString,
            ("Comments:Limits:RequestHeadersTimeoutSeconds", "2"),
            ("Comments:Limits:KeepAliveTimeoutSeconds", "2"),
            ("Comments:Limits:MinRequestBodyBytesPerSecond", "1000"),
            ("Comments:Limits:MinDataRateGraceSeconds", "2"));
        Assert.True(await app.WaitForReadinessAsync(200, TimeSpan.FromSeconds(60)));

        // Slowloris: a header line every half second, never the blank line that ends them.
        var headers = await TimeUntilClosedAsync(app.BaseAddress, "GET /health/live HTTP/1.1\r\nHost: x\r\n",
            Enumerable.Range(0, 40).Select(i => $"X-Slow-{i}: a\r\n"), TimeSpan.FromMilliseconds(500));
        Assert.True(headers.Elapsed < TimeSpan.FromSeconds(8), $"slow headers held the connection for {headers.Elapsed}");
        Assert.True(headers.Answer is null or 408, $"answered {headers.Answer}");

        // A body promised at 5,000 bytes and sent ten bytes at a time.
        var body = await TimeUntilClosedAsync(app.BaseAddress,
            $"POST /v1/sites/none/articles/a/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n",
            Enumerable.Range(0, 40).Select(_ => "          "), TimeSpan.FromMilliseconds(500));
        Assert.True(body.Elapsed < TimeSpan.FromSeconds(8), $"a slow body held the connection for {body.Elapsed}");

        // A kept-alive connection with nothing more to say.
        var idle = await TimeUntilClosedAsync(app.BaseAddress, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n", [], TimeSpan.Zero);
        output.WriteLine($"slow headers closed after {headers.Elapsed.TotalSeconds:F1} s ({headers.Answer?.ToString() ?? "no answer"}), "
            + $"slow body after {body.Elapsed.TotalSeconds:F1} s ({body.Answer?.ToString() ?? "no answer"}), idle keep-alive after {idle.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(200, idle.Answer);
        Assert.True(idle.Elapsed > TimeSpan.FromSeconds(1) && idle.Elapsed < TimeSpan.FromSeconds(8), $"an idle connection stayed open {idle.Elapsed}");
    }

    /// <summary>Sends <paramref name="head"/>, then each piece after <paramref name="gap"/>, and times until the server closes the connection.</summary>
    private static async Task<(TimeSpan Elapsed, int? Answer)> TimeUntilClosedAsync(Uri address, string head, IEnumerable<string> pieces, TimeSpan gap)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var received = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    received.Write(buffer, 0, n);
                }
            }
            catch (IOException)
            {
            }
            return clock.Elapsed;
        });
        foreach (var piece in pieces)
        {
            var pause = Task.Delay(gap);
            if (await Task.WhenAny(reading, pause) == reading)
            {
                break;
            }
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(piece));
            }
            catch (IOException)
            {
                break;
            }
        }
        var closedAfter = await reading.WaitAsync(TimeSpan.FromSeconds(30));
        var text = Encoding.ASCII.GetString(received.ToArray());
        int? status = text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(text[9..12], System.Globalization.CultureInfo.InvariantCulture) : null;
        return (closedAfter, status);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CommentService.Moderation.Tests.External;

/// <summary>What the fake server answers: status, body, extra headers, and a delay before answering.</summary>
internal sealed record FakeAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default);

/// <summary>A request as the fake server received it.</summary>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>An HTTP server on 127.0.0.1 and a free port, answering every request with the handler's answer.</summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<ReceivedRequest, FakeAnswer> handler;
    private readonly Task loop;
    private readonly CancellationTokenSource stop = new();

    public FakeHttpServer(Func<ReceivedRequest, FakeAnswer> handler)
    {
        this.handler = handler;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(BaseUrl.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public List<ReceivedRequest> Received { get; } = [];

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested || !listener.IsListening)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var received = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, buffer.ToArray());
            lock (Received)
            {
                Received.Add(received);
            }
            var answer = handler(received);
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, stop.Token);
            }
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            // The client gave up (timeout tests) or the server is stopping.
            try
            {
                context.Response.Abort();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (ObjectDisposedException)
        {
        }
        stop.Dispose();
    }
}

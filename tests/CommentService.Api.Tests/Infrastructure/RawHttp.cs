using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// Requests HttpClient cannot make: a request target sent byte for byte as written (HttpClient's Uri
/// may normalise escapes such as <c>%FF</c>), and JSON bodies that are not valid JSON.
/// </summary>
public static class RawHttp
{
    /// <summary>A JSON request body exactly as written, valid or not.</summary>
    public static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>
    /// Sends one HTTP/1.1 request over a plain socket with <paramref name="target"/> untouched and
    /// returns the answer as an <see cref="HttpResponseMessage"/>, so the usual assertions apply.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(Uri baseAddress, string method, string target, string? json = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = tcp.GetStream();
        var body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n")
            .Append("Connection: close\r\n");
        if (json is not null)
        {
            head.Append("Content-Type: application/json\r\n").Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);

        using var received = new MemoryStream();
        await stream.CopyToAsync(received);
        return Parse(received.ToArray());
    }

    /// <summary>
    /// Sends a request written byte for byte (request line, headers and body as given; this adds Host,
    /// Connection: close and Content-Length) and returns the answer; gives up after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<HttpResponseMessage> SendBytesAsync(Uri baseAddress, string method, byte[] target,
        IEnumerable<(string Name, byte[] Value)> headers, byte[]? body, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, cancel.Token);
        await using var stream = tcp.GetStream();
        using var request = new MemoryStream();
        request.Write(Encoding.ASCII.GetBytes(method + " "));
        request.Write(target);
        request.Write(Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n"));
        foreach (var (name, value) in headers)
        {
            request.Write(Encoding.ASCII.GetBytes(name + ": "));
            request.Write(value);
            request.Write("\r\n"u8);
        }
        if (body is not null)
        {
            request.Write(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n"));
        }
        request.Write("\r\n"u8);
        if (body is not null)
        {
            request.Write(body);
        }
        try
        {
            await stream.WriteAsync(request.ToArray(), cancel.Token);
        }
        catch (IOException)
        {
            // The server may answer (413, 400) and close before it read everything; the answer is still there to read.
        }
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancel.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // Reset after a complete answer (the server closed with our body unread).
        }
        return Parse(received.ToArray());
    }

    private static HttpResponseMessage Parse(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new InvalidDataException("No complete HTTP response head: " + Encoding.ASCII.GetString(raw));
        }
        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Select(p => (Name: p[0].Trim(), Value: p[1].Trim()))
            .ToList();
        var body = raw[(end + 4)..];
        if (headers.Any(h => h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }

        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (!name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return response;
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            var sizeText = Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0];
            var size = Convert.ToInt32(sizeText, 16);
            at += lineEnd + 2;
            if (size == 0)
            {
                return body.ToArray();
            }
            body.Write(chunked, at, size);
            at += size + 2;
        }
    }
}

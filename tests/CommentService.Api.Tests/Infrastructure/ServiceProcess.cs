using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// The service as operators run it: its own build output (<c>dotnet CommentService.Api.dll</c>) in a
/// separate process on a loopback port, configured through environment variables, its console log
/// captured line by line. For tests about start-up, shutdown signals and log lines, which an
/// in-process host cannot show.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private ServiceProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Log => lines.ToArray();

    /// <summary>The API's build output beside the tests' (same configuration: Debug or Release).</summary>
    public static string ServiceDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var bin = Path.Combine(RepoPaths.Root, "src", "CommentService.Api", "bin", configuration);
            return Directory.GetFiles(bin, "CommentService.Api.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).First();
        }
    }

    public static ServiceProcess Start(string connectionString, params (string Name, string Value)[] environment)
    {
        var port = ExtraService.FreePort();
        var psi = new ProcessStartInfo("dotnet", [ServiceDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ConnectionStrings__Comments"] = connectionString;
        psi.Environment["COMMENTS_ADMIN_KEY"] = ServiceFixture.AdminKey;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["Comments__RateLimits__Enabled"] = "false";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // One line per log entry, so a test can look for a message and its category together.
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }
        var process = new Process { StartInfo = psi };
        var service = new ServiceProcess(process, port);
        process.OutputDataReceived += (_, e) => service.Add(e.Data);
        process.ErrorDataReceived += (_, e) => service.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Operator()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceFixture.AdminKey);
        return client;
    }

    /// <summary>Polls /health/ready until it answers <paramref name="status"/>; false when the time runs out or the process died.</summary>
    public async Task<bool> WaitForReadinessAsync(int status, TimeSpan timeout)
    {
        using var client = Anonymous();
        client.Timeout = TimeSpan.FromSeconds(5);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if ((int)response.StatusCode == status)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>Waits for a log line containing every one of <paramref name="parts"/>; returns it, or null on timeout.</summary>
    public async Task<string?> WaitForLogAsync(TimeSpan timeout, params string[] parts)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var line = Log.FirstOrDefault(l => parts.All(p => l.Contains(p, StringComparison.Ordinal)));
            if (line is not null || clock.Elapsed > timeout)
            {
                return line;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>True when a TCP connection to the service's port is refused now.</summary>
    public async Task<bool> RefusesConnectionsAsync()
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync("127.0.0.1", Port);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Sends SIGTERM, as an orchestrator or systemd does to stop a process.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string LogText => string.Join('\n', Log);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}

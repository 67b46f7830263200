using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommentService.Api.Tests.Infrastructure;

/// <summary>
/// Every log line a service instance writes, at every level (Trace and up, whatever the settings say),
/// with its exception and the values of its structured fields, so tests can search what a log would hold.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyCollection<LogLine> Lines => lines;

    /// <summary>Adds this capture to a test host, below every level filter.</summary>
    public void AttachTo(IWebHostBuilder builder) => builder.ConfigureServices(services => services.AddLogging(logging =>
    {
        logging.AddProvider(this);
        logging.AddFilter<LogCapture>(null, LogLevel.Trace);
    }));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            capture.lines.Enqueue(new LogLine(logLevel, category, formatter(state, exception), fields, exception?.ToString()));
        }
    }
}

public sealed record LogLine(LogLevel Level, string Category, string Message, string Fields, string? Exception)
{
    public string All => $"{Level} {Category} {Message} {Fields} {Exception}";
}

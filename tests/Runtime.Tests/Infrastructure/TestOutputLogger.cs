using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MossGrains.Runtime.Tests.Infrastructure;

/// <summary>Writes log lines to the test's output (shown when a test fails); silent once the test has ended.</summary>
public sealed class TestOutputLogger<T>(ITestOutputHelper output, string prefix) : ILogger<T>
{
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            output.WriteLine($"{(DateTimeOffset.UtcNow - _start).TotalMilliseconds,7:F0} ms {prefix} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test finished; background loops may still log while they stop.
        }
    }
}

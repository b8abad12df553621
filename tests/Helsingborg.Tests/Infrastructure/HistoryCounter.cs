using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// The size of every orchestration execution's history, as the Azure Storage provider reports it each time it
/// appends to the History table (its structured <c>AppendedInstanceHistory</c> log event carries the execution's
/// total event count). Exact even though an execution's rows are replaced when it continues as new.
/// </summary>
public sealed class HistoryCounter : ILoggerProvider
{
    readonly ConcurrentDictionary<(string Instance, string Execution), int> totals = new();

    /// <summary>Adds the provider and lets the provider's Information events through to it.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.AddFilter<HistoryCounter>("DurableTask.AzureStorage", LogLevel.Information);
        logging.AddProvider(this);
    }

    /// <summary>The largest history of each execution of one instance, by execution id.</summary>
    public IReadOnlyDictionary<string, int> Executions(string instanceId) =>
        totals.Where(t => t.Key.Instance == instanceId).ToDictionary(t => t.Key.Execution, t => t.Value);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName.StartsWith("DurableTask.AzureStorage", StringComparison.Ordinal) ? totals : null);

    public void Dispose()
    {
    }

    sealed class Logger(ConcurrentDictionary<(string, string), int>? totals) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => totals is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (totals is null || eventId.Name != "AppendedInstanceHistory" || state is not IReadOnlyDictionary<string, object> fields)
            {
                return;
            }

            if (fields.TryGetValue("InstanceId", out object? instance) && fields.TryGetValue("ExecutionId", out object? execution)
                && fields.TryGetValue("TotalEventCount", out object? total) && total is int count)
            {
                totals.AddOrUpdate(((string)instance, (string)execution), count, (_, seen) => Math.Max(seen, count));
            }
        }
    }
}

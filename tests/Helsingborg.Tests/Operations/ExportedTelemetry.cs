using System.Collections;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Helsingborg.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Helsingborg.Tests.Operations;

/// <summary>
/// What a test host exported through OpenTelemetry's in-memory exporters: spans, metric snapshots and log records.
/// The app's sources are process-wide, so other hosts running at the same time export here too: tests pick what
/// they look at by trace id and tags, and the canary scan reads everything.
/// </summary>
public sealed class ExportedTelemetry
{
    readonly Exported<Activity> spans = new();
    readonly Exported<MetricSnapshot> metrics = new();
    readonly Exported<LogRecord> logs = new();

    /// <summary>Registers the in-memory exporters with a host (<see cref="Infrastructure.TestHost.StartAsync"/>'s services).</summary>
    public void AddTo(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        services.ConfigureOpenTelemetryLoggerProvider(loggers => loggers.AddInMemoryExporter(logs));
    }

    public IReadOnlyList<Activity> Spans => spans.Snapshot();

    /// <summary>Collects the metrics now (the periodic reader would wait a minute) and returns every snapshot so far.</summary>
    public IReadOnlyList<MetricSnapshot> Metrics(IServiceProvider services)
    {
        services.GetRequiredService<MeterProvider>().ForceFlush();
        return metrics.Snapshot();
    }

    public IReadOnlyList<LogRecord> Logs => logs.Snapshot();

    /// <summary>A counter's cumulative value for the series whose tags include all of <paramref name="tags"/> (the largest, when several match).</summary>
    public static long Counted(IEnumerable<MetricSnapshot> snapshots, string name, params (string Key, object Value)[] tags) =>
        Points(snapshots, name, tags).Select(p => p.GetSumLong()).DefaultIfEmpty(0).Max();

    public static IEnumerable<MetricPoint> Points(IEnumerable<MetricSnapshot> snapshots, string name, params (string Key, object Value)[] tags) =>
        snapshots.Where(s => s.Name == name).SelectMany(s => s.MetricPoints).Where(p => tags.All(t => HasTag(p, t.Key, t.Value)));

    static bool HasTag(MetricPoint point, string key, object value)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every text the exporters received: names, tag keys and values, events, status descriptions, log bodies and attributes.</summary>
    public IEnumerable<string> AllText(IServiceProvider services)
    {
        foreach (Activity span in Spans)
        {
            yield return span.DisplayName;
            yield return span.OperationName;
            yield return span.StatusDescription ?? string.Empty;
            yield return span.TraceStateString ?? string.Empty;
            foreach (KeyValuePair<string, object?> tag in span.EnumerateTagObjects())
            {
                yield return $"{tag.Key}={tag.Value}";
            }

            foreach (ActivityEvent e in span.Events)
            {
                yield return e.Name;
                foreach (KeyValuePair<string, object?> tag in e.Tags)
                {
                    yield return $"{tag.Key}={tag.Value}";
                }
            }

            foreach (KeyValuePair<string, string?> item in span.Baggage)
            {
                yield return $"{item.Key}={item.Value}";
            }
        }

        foreach (MetricSnapshot metric in Metrics(services))
        {
            yield return metric.Name;
            yield return metric.Description;
            foreach (MetricPoint point in metric.MetricPoints)
            {
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    yield return $"{tag.Key}={tag.Value}";
                }
            }
        }

        foreach (LogRecord log in Logs)
        {
            yield return log.CategoryName ?? string.Empty;
            yield return log.FormattedMessage ?? string.Empty;
            yield return log.Body ?? string.Empty;
            yield return log.Exception?.ToString() ?? string.Empty;
            foreach (KeyValuePair<string, object?> attribute in log.Attributes ?? [])
            {
                yield return $"{attribute.Key}={attribute.Value}";
            }
        }
    }

    /// <summary>A collection the exporters add to from their threads while a test reads it.</summary>
    sealed class Exported<T> : ICollection<T>
    {
        readonly List<T> items = [];

        public int Count
        {
            get
            {
                lock (items)
                {
                    return items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public IReadOnlyList<T> Snapshot()
        {
            lock (items)
            {
                return [.. items];
            }
        }

        public void Add(T item)
        {
            lock (items)
            {
                items.Add(item);
            }
        }

        public void Clear()
        {
            lock (items)
            {
                items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (items)
            {
                return items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// The Azure SDK reads its ActivitySource switch once, when its first client is used; in the test process that may
/// be a fixture's client before any host wires telemetry, so the switch is set as the test assembly loads.
/// </summary>
static class AzureActivitySourceSwitch
{
#pragma warning disable CA2255 // The test assembly is the process's entry for this purpose.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Enable() => AppContext.SetSwitch(TelemetrySetup.AzureActivitySourceSwitch, true);
}

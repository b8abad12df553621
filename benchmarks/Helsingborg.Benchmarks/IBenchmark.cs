namespace Helsingborg.Benchmarks;

/// <summary>A benchmark mode, chosen by <see cref="Name"/> on the command line. Returns the process exit code.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(BenchmarkOptions options);
}

/// <summary>The mode's options, given as <c>--name value</c>.</summary>
public sealed class BenchmarkOptions(IReadOnlyDictionary<string, string> values)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new BenchmarkOptions(values);
    }

    public string? Text(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out string? text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int value) ? value : fallback;
}

/// <summary>Latency figures of one series, in milliseconds.</summary>
public sealed record Latencies(int Count, double P50, double P95, double P99, double Max)
{
    public static Latencies Of(IReadOnlyCollection<double> milliseconds)
    {
        double[] sorted = milliseconds.Order().ToArray();
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Latencies(sorted.Length, At(0.50), At(0.95), At(0.99), sorted[^1]);
    }

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"n={Count,5}  p50={P50,8:0.00} ms  p95={P95,8:0.00} ms  p99={P99,8:0.00} ms  max={Max,8:0.00} ms");
}

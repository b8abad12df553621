using Helsingborg.Benchmarks;

// The benchmark modes; each lives in its own file.
var modes = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["statistics"] = StatisticsBenchmark.RunAsync,
};

if (args.Length == 0 || !modes.TryGetValue(args[0], out var mode))
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project benchmarks/Helsingborg.Benchmarks -- <{string.Join('|', modes.Keys)}>");
    return 2;
}

return await mode(args[1..]);

using Helsingborg.Benchmarks;

// The benchmark dispatcher: the first argument names the mode, the rest go to it.
var modes = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["case-list"] = CaseListBenchmark.RunAsync,
};

if (args.Length == 0 || !modes.TryGetValue(args[0], out Func<string[], Task<int>>? mode))
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project benchmarks/Helsingborg.Benchmarks -- <{string.Join("|", modes.Keys)}> [options]");
    return 2;
}

return await mode(args[1..]);

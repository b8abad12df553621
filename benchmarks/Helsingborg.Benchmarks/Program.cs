using System.Reflection;
using Helsingborg.Benchmarks;

// Dispatches to a benchmark mode by name. A mode is any IBenchmark in this assembly (one file each), so adding
// one needs no change here: dotnet run -c Release --project benchmarks/Helsingborg.Benchmarks -- <mode> [options]
var modes = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .ToDictionary(b => b.Name, StringComparer.OrdinalIgnoreCase);

if (args.Length == 0 || !modes.TryGetValue(args[0], out IBenchmark? mode))
{
    Console.Error.WriteLine("Usage: dotnet run -c Release --project benchmarks/Helsingborg.Benchmarks -- <mode> [--name value ...]");
    foreach (IBenchmark known in modes.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
    {
        Console.Error.WriteLine($"  {known.Name,-12} {known.Description}");
    }

    return 2;
}

return await mode.RunAsync(BenchmarkOptions.Parse(args[1..]));

using Helsingborg.LocalHost;

await using LocalApp local = await LocalApp.CreateAsync(args);
await local.StartAsync();
Console.WriteLine($"Helsingborg local host listening on {local.Address} (Ctrl+C to stop)");
await local.App.WaitForShutdownAsync();

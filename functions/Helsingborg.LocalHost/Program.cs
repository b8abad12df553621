using Helsingborg.LocalHost;
using Helsingborg.Partners;

LocalApp local;
try
{
    local = await LocalApp.CreateAsync(args);
}
catch (InvalidCityProfileException e)
{
    // The errors name the settings at fault; a stack trace would only hide them.
    Console.Error.WriteLine(e.Message);
    return 1;
}

await using (local)
{
    await local.StartAsync();
    Console.WriteLine($"Helsingborg local host listening on {local.Address} (Ctrl+C to stop)");
    await local.App.WaitForShutdownAsync();
}

return 0;

using Moq;
using System.Reflection;
using System.Text.RegularExpressions;
using Helsingborg.LocalHost;

namespace Helsingborg.Tests.Foundation;

/// <summary>
/// The inner loops of the README (issue 24, 4): <c>Category=Unit</c> runs without a host or storage, so it stays under a
/// minute. A class tagged Unit whose source starts a host, reaches storage or drives a browser would make it slow, or
/// make it fail on a machine where nothing else is started.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class TierTests
{
    [Fact]
    public void A_unit_test_class_starts_no_host_and_reaches_no_storage_or_browser()
    {
        string tests = Path.Combine(Azurite.RepositoryRoot(), "tests", "Helsingborg.Tests");
        Dictionary<string, string> sources = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText, StringComparer.Ordinal);
        List<Type> units = [.. typeof(TierTests).Assembly.GetTypes().Where(t => IsUnit(t) && t != typeof(TierTests))];

        Assert.True(units.Count >= 30, $"only {units.Count} unit test classes found");
        var offenders = units
            .Select(t => (t.Name, Source: sources.GetValueOrDefault(t.Name)))
            .Select(u => (u.Name, Found: u.Source is null ? "(no source file of the class's name)" : string.Join(", ", Reaching().Matches(u.Source).Select(m => m.Value).Distinct())))
            .Where(u => u.Found.Length > 0)
            .Select(u => $"{u.Name}: {u.Found}");
        Assert.Empty(offenders);
    }

    [Fact]
    public void A_test_class_is_of_one_tier_at_most()
    {
        var both = typeof(TierTests).Assembly.GetTypes()
            .Where(t => IsUnit(t) && t.GetMethods().Any(m => m.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[1].Value == "Soak")))
            .Select(t => t.Name);
        Assert.Empty(both);
    }

    [Fact]
    public void The_collections_with_a_soak_test_start_first_then_those_marked_to_start_early_then_the_shared_hosts_the_most_classes_first_then_the_rest_and_the_engine_processes_last()
    {
        static Xunit.Abstractions.ITestCollection Collection(string name, bool named = false) =>
            Mock.Of<Xunit.Abstractions.ITestCollection>(c => c.DisplayName == name && c.CollectionDefinition == (named ? Mock.Of<Xunit.Abstractions.ITypeInfo>() : null));
        Xunit.Abstractions.ITestCollection[] collections =
        [
            Collection("Test collection for Helsingborg.Tests.Foundation.TierTests"),
            Collection(Web.PagesCollection.Name, named: true),
            Collection(Infrastructure.SharedHostCollection.Name, named: true),
            Collection(Engine.EngineProcesses.Name, named: true),
            Collection("Test collection for " + typeof(Workspace.UrgentPushTests).FullName),
            Collection("Test collection for " + typeof(Engine.InboxFaultSoakTests).FullName),
        ];

        string[] order = [.. new Infrastructure.LongestFirst().OrderTestCollections(collections).Select(c => c.DisplayName)];

        Assert.Equal([collections[5].DisplayName, collections[4].DisplayName, Infrastructure.SharedHostCollection.Name, Web.PagesCollection.Name, collections[0].DisplayName, Engine.EngineProcesses.Name], order);
    }

    [Fact]
    public async Task The_wait_for_a_quiet_machine_ends_a_settling_time_after_the_last_counted_thing_ends_and_gives_up_at_its_limit()
    {
        // Other tests of the run may hold leases of their own: this test reads only its own effect on the count.
        IDisposable first = Infrastructure.MachineLoad.Start();
        int withFirst = Infrastructure.MachineLoad.Running;
        first.Dispose();
        first.Dispose();
        Assert.Equal(withFirst - 1, Infrastructure.MachineLoad.Running);

        using IDisposable held = Infrastructure.MachineLoad.Start();
        (TimeSpan waited, bool quiet) = await Infrastructure.MachineLoad.UntilQuietAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(600));
        Assert.False(quiet);
        Assert.True(waited >= TimeSpan.FromMilliseconds(600), $"gave up after {waited.TotalMilliseconds:0} ms");
    }

    static bool IsUnit(Type type) => type.GetCustomAttributesData()
        .Any(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Category" && (string?)a.ConstructorArguments[1].Value == "Unit");

    /// <summary>What starts a host, reaches storage or drives a browser (the repository root is found through <c>Azurite.RepositoryRoot</c>, which starts nothing).</summary>
    [GeneratedRegex(@"\b(TestHost|SharedHost|PagesHost|IntakeHost|SweepingHost|TestStorage|HostProcess|LocalApp|Browser|TableServiceClient|BlobServiceClient|QueueServiceClient|Azurite\.(?!RepositoryRoot)\w+)\b")]
    private static partial Regex Reaching();
}

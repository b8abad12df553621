using System.Reflection;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Helsingborg.Tests.Infrastructure.LongestFirst", "Helsingborg.Tests")]

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// Starts the test collections that take longest first (issue 24, 1): a collection with a spec-sized proof
/// (<c>Category=Soak</c>: five minutes of failing steps, a long-running case), then a class marked
/// <see cref="StartEarlyAttribute"/> (its tests wait minutes in all on the product's clocks), then the collections that
/// many classes share one host in, the one with the most classes first, then the rest, so that the longest waits
/// overlap the rest of the suite instead of trailing it; the engine-process collection last, since it waits for a quiet
/// machine (<see cref="Engine.QuietMachine"/>). Only the order of the start changes; how many run at once is
/// <c>xunit.runner.json</c>'s.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderByDescending(Weight).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    static int Weight(ITestCollection collection)
    {
        if (collection.DisplayName == Engine.EngineProcesses.Name)
        {
            return -1;
        }

        if (collection.CollectionDefinition is not null)
        {
            // A named collection: its classes run one after the other on one host, so the more classes, the longer.
            return 1 + typeof(LongestFirst).Assembly.GetTypes().Count(type => type.GetCustomAttributesData()
                .Any(a => a.AttributeType == typeof(CollectionAttribute) && (string?)a.ConstructorArguments[0].Value == collection.DisplayName));
        }

        // A class's own collection is named after the class ("Test collection for Namespace.Class").
        string name = collection.DisplayName.Split(' ').Last();
        Type? type = typeof(LongestFirst).Assembly.GetType(name);
        return type is null ? 0
            : type.GetMethods().Any(IsSoak) ? int.MaxValue
            : type.IsDefined(typeof(StartEarlyAttribute)) ? int.MaxValue - 1
            : 0;
    }

    static bool IsSoak(MethodInfo method) =>
        method.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[1].Value == "Soak");
}

/// <summary>
/// A test class of its own collection whose tests wait minutes in all on the product's clocks (pushes, retries,
/// timers): <see cref="LongestFirst"/> starts it right after the soak proofs, so that its waiting overlaps the rest.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StartEarlyAttribute : Attribute;

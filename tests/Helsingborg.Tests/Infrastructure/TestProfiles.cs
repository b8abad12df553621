using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>The built-in city profiles as the app reads them, for tests that run without a host.</summary>
public static class TestProfiles
{
    public static CityProfile Helsingborg { get; } = Load("helsingborg");

    public static CityProfile Exempelstad { get; } = Load("exempelstad");

    /// <summary>The case policy's defaults with the lead rules a case gets at intake under Helsingborg's profile.</summary>
    public static CasePolicy HelsingborgPolicy { get; } = PolicyOf(Helsingborg);

    public static CityProfile Load(string name) =>
        CityProfiles.Read(CityProfiles.Layered(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [CityProfiles.ProfileSetting] = name }).Build()));

    public static CasePolicy PolicyOf(CityProfile profile, CasePolicy? policy = null) =>
        profile.CaseRules(policy ?? new CasePolicy());
}

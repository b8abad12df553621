using Helsingborg.Access;
using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Access;

/// <summary>Who sees a case (lifecycle.md, *Who sees a case*): every rule of <see cref="CaseAccess"/>, on both built-in profiles.</summary>
[Trait("Category", "Unit")]
public sealed class CaseAccessTests
{
    static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    static Caller Coordinator(string organisation) => new("k", organisation, new HashSet<Role> { Role.Coordinator });

    static CaseAccessLevel Level(CityProfile profile, string caller, string? lead, string? receiver = null, params LeadPeriod[] periods) =>
        CaseAccess.Of(profile, Coordinator(caller), lead, receiver, periods).Level;

    public static TheoryData<string, string, string, string, string> Profiles() => new()
    {
        // city, network lead, lead without authorities, on-call (network, not a lead), receiver (own cases)
        { "helsingborg", "social-services", "salvation-army", "social-emergency", "landskrona-social-services" },
        { "exempelstad", "exempel-soc", "stadsmissionen", "exempel-socialjour", "norrby-soc" },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_network_organisation_sees_in_full_a_case_without_a_lead_or_with_a_network_lead(string city, string lead, string withoutAuthorities, string onCall, string receiver)
    {
        CityProfile profile = TestProfiles.Load(city);

        Assert.Equal(CaseAccessLevel.Full, Level(profile, onCall, null));
        Assert.Equal(CaseAccessLevel.Full, Level(profile, onCall, lead));
        Assert.Equal(CaseAccessLevel.Full, Level(profile, withoutAuthorities, lead));
        Assert.Equal(CaseAccessLevel.Full, Level(profile, lead, lead));
        Assert.Equal(CaseAccessLevel.None, Level(profile, receiver, null));
        Assert.Equal(CaseAccessLevel.None, Level(profile, receiver, lead));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_case_led_without_the_authorities_is_seen_by_its_lead_and_a_pending_transfers_receiver_only(string city, string lead, string withoutAuthorities, string onCall, string receiver)
    {
        CityProfile profile = TestProfiles.Load(city);

        Assert.Equal(CaseAccessLevel.Full, Level(profile, withoutAuthorities, withoutAuthorities));
        Assert.Equal(CaseAccessLevel.None, Level(profile, lead, withoutAuthorities));
        Assert.Equal(CaseAccessLevel.None, Level(profile, onCall, withoutAuthorities));
        Assert.Equal(CaseAccessLevel.None, Level(profile, receiver, withoutAuthorities));
        Assert.Equal(CaseAccessLevel.ReadOnly, Level(profile, onCall, withoutAuthorities, receiver: onCall));
        Assert.Equal(CaseAccessLevel.None, Level(profile, lead, withoutAuthorities, receiver: onCall, new LeadPeriod(lead, T0, T0.AddDays(1))));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_pending_transfers_receiver_reads_and_answers_only(string city, string lead, string withoutAuthorities, string onCall, string receiver)
    {
        CityProfile profile = TestProfiles.Load(city);
        CaseAccess access = CaseAccess.Of(profile, Coordinator(receiver), lead, receiver, []);

        Assert.Equal(CaseAccessLevel.ReadOnly, access.Level);
        Assert.True(access.MayRecord(CaseEventType.TransferAccepted));
        Assert.True(access.MayRecord(CaseEventType.TransferDeclined));
        Assert.All(Enum.GetValues<CaseEventType>().Where(t => t is not (CaseEventType.TransferAccepted or CaseEventType.TransferDeclined)), t => Assert.False(access.MayRecord(t)));
        Assert.True(access.ShowsReminder(receiver, Coordinator(receiver)));
        Assert.False(access.ShowsReminder(lead, Coordinator(receiver)));
        Assert.Equal(CaseAccessLevel.Full, Level(profile, onCall, lead, receiver));
        Assert.Equal(CaseAccessLevel.Full, Level(profile, withoutAuthorities, lead, receiver));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void After_the_receiver_took_over_the_network_sees_it_no_more_and_the_former_lead_reads_up_to_the_end_of_its_lead(string city, string lead, string withoutAuthorities, string onCall, string receiver)
    {
        CityProfile profile = TestProfiles.Load(city);
        DateTimeOffset handedOver = T0.AddDays(5);
        LeadPeriod[] periods = [new(lead, T0, handedOver), new(receiver, handedOver)];

        CaseAccess former = CaseAccess.Of(profile, Coordinator(lead), receiver, null, periods);

        Assert.Equal(CaseAccessLevel.Full, Level(profile, receiver, receiver, null, periods));
        Assert.Equal((CaseAccessLevel.FormerLead, handedOver), (former.Level, former.Until));
        Assert.All(Enum.GetValues<CaseEventType>(), t => Assert.False(former.MayRecord(t)));
        Assert.True(former.ShowsNoteAt(handedOver));
        Assert.False(former.ShowsNoteAt(handedOver.AddTicks(1)));
        Assert.Equal(CaseAccessLevel.None, Level(profile, onCall, receiver, null, periods));
        Assert.Equal(CaseAccessLevel.None, Level(profile, withoutAuthorities, receiver, null, periods));
    }

    [Fact]
    public void Only_coordinators_see_cases()
    {
        var statistics = new Caller("k", "social-services", new HashSet<Role> { Role.Statistics, Role.Partner });

        Assert.Equal(CaseAccessLevel.None, CaseAccess.Of(TestProfiles.Helsingborg, statistics, "social-services", null, []).Level);
    }

    [Fact]
    public void The_case_state_gives_the_rule_its_lead_pending_receiver_and_periods()
    {
        CaseState state = Helsingborg.Tests.Lifecycle.CaseScenario.InState("short-term-support") with
        {
            Transfer = new CaseTransfer("e_t", "social-services", "landskrona-social-services", "landskrona", T0, T0.AddDays(3)),
        };

        Assert.Equal(CaseAccessLevel.ReadOnly, CaseAccess.Of(TestProfiles.Helsingborg, Coordinator("landskrona-social-services"), state).Level);
        Assert.Equal(CaseAccessLevel.None, CaseAccess.Of(TestProfiles.Helsingborg, Coordinator("angelholm-social-services"), state).Level);
    }

    [Fact]
    public void A_profile_names_a_known_scope_and_a_receiver_that_may_lead()
    {
        CityProfile profile = TestProfiles.Load("helsingborg");
        profile.Organisations[0].Scope = "nearby";
        profile.Municipalities[0].Receiver = "police";
        profile.Municipalities[1].Receiver = "nobody";

        IReadOnlyList<string> errors = profile.Validate();

        Assert.Contains(errors, e => e.StartsWith("City:Organisations:0:Scope", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("City:Municipalities:0:Receiver", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("City:Municipalities:1:Receiver", StringComparison.Ordinal));
    }
}

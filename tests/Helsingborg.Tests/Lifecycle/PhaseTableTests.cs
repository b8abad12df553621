using Helsingborg.Lifecycle;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>Every phase and return step × every event type, against the event table of lifecycle.md.</summary>
[Trait("Category", "Unit")]
public sealed class PhaseTableTests
{
    // Each cell: the state the case is in after the event (with a valid payload: contact-made wants
    // support, iom-decision approved, case-closed stable), or "-" when the event is refused.
    // The return path came from short-term support. Columns follow CaseScenario.StateLabels. The statutory decisions
    // are tried on a minor's case with its clocks running (CaseScenario.ReadyFor); on an adult's case they are not allowed.
    private const string Table = """
                                  fc  st  lt  prep   await  appr   sched  dep    closed done
        contact-attempted         fc  -   -   -      -      -      -      -      -      -
        contact-made              st  -   -   -      -      -      -      -      -      -
        lead-changed              fc  st  lt  prep   await  appr   sched  dep    -      -
        support-conversation      -   st  lt  prep   await  appr   sched  dep    -      -
        support-given             -   st  lt  prep   await  appr   sched  dep    -      -
        plan-agreed               -   st  lt  -      -      -      -      -      -      -
        reflection-period-granted -   st  lt  -      -      -      -      -      -      -
        residence-permit-granted  -   st  lt  prep   await  appr   sched  dep    -      -
        long-term-started         -   lt  -   -      -      -      -      -      -      -
        return-requested          -   prep prep -    -      -      -      -      -      -
        iom-application-submitted -   -   -   await  -      -      -      -      -      -
        iom-decision              -   -   -   -      appr   -      -      -      -      -
        departure-scheduled       -   -   -   -      -      sched  -      -      -      -
        departed                  -   -   -   -      -      dep    dep    -      -      -
        reintegration-followed-up -   -   -   -      -      -      -      closed -      -
        return-withdrawn          -   -   -   st     st     st     st     -      -      -
        case-closed               closed closed closed closed closed closed closed closed - -
        consent-withdrawn         closed closed closed closed closed closed closed closed closed -
        evaluation-recorded       -   -   -   -      -      -      -      -      done   -
        sharing-consent-given     fc  st  lt  prep   await  appr   sched  dep    -      -
        sharing-consent-withdrawn fc  st  lt  prep   await  appr   sched  dep    -      -
        referral-sent             -   st  lt  prep   await  appr   sched  dep    -      -
        referral-accepted         fc  st  lt  prep   await  appr   sched  dep    -      -
        referral-declined         fc  st  lt  prep   await  appr   sched  dep    -      -
        referral-completed        fc  st  lt  prep   await  appr   sched  dep    -      -
        police-informed           fc  st  lt  prep   await  appr   sched  dep    closed -
        protection-assessed       fc  st  lt  prep   await  appr   sched  dep    closed -
        investigation-opened      fc  st  lt  prep   await  appr   sched  dep    closed -
        no-investigation          fc  st  lt  prep   await  appr   sched  dep    closed -
        investigation-closed      fc  st  lt  prep   await  appr   sched  dep    closed -
        worker-assigned           fc  st  lt  prep   await  appr   sched  dep    closed -
        worker-released           fc  st  lt  prep   await  appr   sched  dep    closed -
        same-person-as            fc  st  lt  prep   await  appr   sched  dep    closed -
        same-person-unlinked      fc  st  lt  prep   await  appr   sched  dep    closed -
        merged-into               done done done done  done   done   done   done   -      -
        transfer-requested        -   st  lt  prep   await  appr   sched  dep    -      -
        transfer-accepted         fc  st  lt  prep   await  appr   sched  dep    -      -
        transfer-declined         fc  st  lt  prep   await  appr   sched  dep    -      -
        """;

    private static readonly Dictionary<string, string> ShortLabels = new()
    {
        ["fc"] = "first-contact",
        ["st"] = "short-term-support",
        ["lt"] = "long-term-support",
        ["prep"] = "return:preparing",
        ["await"] = "return:awaiting-decision",
        ["appr"] = "return:approved",
        ["sched"] = "return:departure-scheduled",
        ["dep"] = "return:departed",
        ["closed"] = "closed",
        ["done"] = "completed",
    };

    private static readonly Dictionary<(string Event, string State), string?> Expected = ParseTable();

    public static TheoryData<string, CaseEventType> EveryStateAndEvent()
    {
        var data = new TheoryData<string, CaseEventType>();
        foreach (var state in StateLabels)
        {
            foreach (var type in Enum.GetValues<CaseEventType>())
            {
                data.Add(state, type);
            }
        }

        return data;
    }

    public static TheoryData<string> EveryState() => new(StateLabels);

    [Fact]
    public void The_table_has_a_row_for_every_event_type_and_a_column_for_every_state()
    {
        var rows = Expected.Keys.Select(k => k.Event).Distinct().Order().ToArray();
        var columns = Expected.Keys.Select(k => k.State).Distinct().Order().ToArray();

        Assert.Equal(Enum.GetValues<CaseEventType>().Select(CaseDecider.Kebab).Order(), rows);
        Assert.Equal(StateLabels.Order(), columns);
        Assert.Equal(rows.Length * columns.Length, Expected.Count);
    }

    [Theory]
    [MemberData(nameof(EveryStateAndEvent))]
    public void Every_event_in_every_phase_is_applied_or_refused_as_the_table_says(string stateLabel, CaseEventType type)
    {
        Assert.True(Expected.TryGetValue((CaseDecider.Kebab(type), stateLabel), out var expected), "The table has no expectation for this event and state.");
        var state = InState(stateLabel).ReadyFor(type);
        var e = Valid(type, After(state));

        var check = CaseDecider.Check(state, e);
        var decision = CaseDecider.Apply(state, e, e.At);

        if (expected is null)
        {
            Assert.NotNull(check);
            Assert.Equal(check, decision.Refused, RefusalComparer.Instance);
            Assert.Equal(state.Phase, decision.Refused!.Phase);
            Assert.Equal(AllowedIn(stateLabel, state.Minor), decision.Refused.Allowed);
            Assert.Same(state, decision.State);
            Assert.Empty(decision.Reminders);
            Assert.False(decision.EraseNow);
        }
        else
        {
            Assert.Null(check);
            Assert.Null(decision.Refused);
            Assert.Equal(expected, Label(decision.State));
            // Withdrawal erases where the lead processes on consent; a public task's record is kept (LegalBasisTests).
            Assert.Equal(type == CaseEventType.ConsentWithdrawn && state.Basis == LegalBasis.Consent, decision.EraseNow);
        }
    }

    [Theory]
    [MemberData(nameof(EveryState))]
    public void Allowed_lists_exactly_the_event_types_the_table_allows(string stateLabel)
    {
        Assert.Equal(AllowedIn(stateLabel, minor: false), CaseDecider.Allowed(InState(stateLabel)));
        Assert.Equal(AllowedIn(stateLabel, minor: true), CaseDecider.Allowed(InState(stateLabel) with { Minor = true }));
    }

    [Theory]
    [MemberData(nameof(EveryState))]
    public void A_refusal_names_the_event_type_and_the_phase_but_no_value(string stateLabel)
    {
        var state = InState(stateLabel);
        var refused = Enum.GetValues<CaseEventType>().First(t => !CaseDecider.Allowed(state).Contains(t));

        var refusal = CaseDecider.Check(state, Valid(refused, After(state)));

        Assert.NotNull(refusal);
        Assert.Contains(CaseDecider.Kebab(refused), refusal.Reason, StringComparison.Ordinal);
        Assert.Contains(CaseDecider.Kebab(state.Phase), refusal.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("c_test", refusal.Reason, StringComparison.Ordinal);
    }

    /// <summary>What the table allows in the state; the statutory decisions only on a minor's case.</summary>
    private static CaseEventType[] AllowedIn(string stateLabel, bool minor) =>
        [.. Enum.GetValues<CaseEventType>().Where(t => Expected[(CaseDecider.Kebab(t), stateLabel)] is not null && (minor || !CaseEvents.IsStatutoryDecision(CaseEvents.RecordOf(t))))];

    private static Dictionary<(string, string), string?> ParseTable()
    {
        var lines = Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var columns = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => ShortLabels[c]).ToArray();
        var table = new Dictionary<(string, string), string?>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(columns.Length + 1, cells.Length);
            for (var i = 0; i < columns.Length; i++)
            {
                table.Add((cells[0], columns[i]), cells[i + 1] == "-" ? null : ShortLabels[cells[i + 1]]);
            }
        }

        return table;
    }

    private sealed class RefusalComparer : IEqualityComparer<Refusal?>
    {
        public static readonly RefusalComparer Instance = new();

        public bool Equals(Refusal? x, Refusal? y) =>
            x is not null && y is not null && x.Reason == y.Reason && x.Phase == y.Phase && x.Allowed.SequenceEqual(y.Allowed);

        public int GetHashCode(Refusal? obj) => obj?.Reason.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}

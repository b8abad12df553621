using System.Collections.Immutable;
using Helsingborg.Lifecycle;

namespace Helsingborg.Statistics;

/// <summary>
/// What one case contributes to the statistics the IOP agreement asks for: counters named as table
/// columns, computed from anonymous facts only (the intake's flags and the case state's counts), so that
/// erasing a case's personal data cannot change them. Intake and projection each own some counters.
/// </summary>
public static class CaseFigures
{
    public const string Incidents = "Incidents";
    public const string Persons = "Persons";
    public const string OutreachIntakes = "OutreachIntakes";
    public const string Conversations = "Conversations";
    public const string Returns = "Returns";

    /// <summary>Cases an accepted transfer moved to another municipality than the intake's (counted under the intake's municipality).</summary>
    public const string MovedAway = "MovedAway";
    const string GivenPrefix = "Given_";
    const string ClosedPrefix = "Closed_";
    const string MetPrefix = "ClockMet_";
    const string MissedPrefix = "ClockMissed_";

    public static readonly ImmutableArray<SupportKind> Kinds = [.. Enum.GetValues<SupportKind>()];

    public static readonly ImmutableArray<CloseReason> Reasons = [.. Enum.GetValues<CloseReason>()];

    /// <summary>The statutory clocks of a minor's case (lifecycle.md, *A child's statutory clocks*), in their order.</summary>
    public static readonly ImmutableArray<ReminderKind> Clocks = [ReminderKind.ProtectionAssessment, ReminderKind.InitialAssessment, ReminderKind.Investigation];

    public static string Given(SupportKind kind) => GivenPrefix + kind;

    /// <summary>Cases whose clock of this kind ended by its decision at or before its due time.</summary>
    public static string Met(ReminderKind clock) => MetPrefix + clock;

    /// <summary>Cases whose clock of this kind ended after its due time, or passed it still running.</summary>
    public static string Missed(ReminderKind clock) => MissedPrefix + clock;

    public static string Closed(CloseReason reason) => ClosedPrefix + reason;

    /// <summary>Every counter column, in a fixed order.</summary>
    public static readonly ImmutableArray<string> All =
    [
        Incidents, Persons, OutreachIntakes, Conversations, Returns,
        .. Kinds.Select(Given), .. Reasons.Select(Closed), .. Clocks.Select(Met), .. Clocks.Select(Missed), MovedAway,
    ];

    /// <summary>The counters the intake owns: the incident itself, whether a person was described, and the outreach session named.</summary>
    public static IReadOnlyDictionary<string, long> FromIntake(bool personDocumented, string? outreachSessionId) => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        [Incidents] = 1,
        [Persons] = personDocumented ? 1 : 0,
        [OutreachIntakes] = string.IsNullOrEmpty(outreachSessionId) ? 0 : 1,
    };

    /// <summary>The counters the case state owns: support, closure, return, and a minor's clocks met on time or missed.</summary>
    public static IReadOnlyDictionary<string, long> FromState(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var figures = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [Incidents] = 1,
            [Conversations] = state.SupportConversations,
            [Returns] = state.DepartedAt is null ? 0 : 1,
            [MovedAway] = state.MunicipalityNow is { } now && now != state.Municipality ? 1 : 0,
        };
        foreach (SupportKind kind in Kinds)
        {
            figures[Given(kind)] = state.SupportGiven.TryGetValue(kind, out int n) ? n : 0;
        }

        bool closed = state.Phase is Phase.Closed or Phase.Completed;
        foreach (CloseReason reason in Reasons)
        {
            figures[Closed(reason)] = closed && state.CloseReason == reason ? 1 : 0;
        }

        foreach (ReminderKind kind in Clocks)
        {
            StatutoryClock? clock = state.ClockOf(kind);
            figures[Met(kind)] = clock is { MetOnTime: true } ? 1 : 0;
            figures[Missed(kind)] = clock is { Missed: true } ? 1 : 0;
        }

        return figures;
    }
}

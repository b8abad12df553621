using Helsingborg.Lifecycle;
using Helsingborg.Partners;

namespace Helsingborg.Access;

/// <summary>How much of a case a caller sees (<see cref="CaseAccess"/>), from nothing to all of it.</summary>
public enum CaseAccessLevel
{
    /// <summary>The case does not exist for the caller: 404, exactly like a case that does not exist.</summary>
    None,

    /// <summary>An organisation that led the case before: reads it, with notes only up to the end of its lead; records nothing.</summary>
    FormerLead,

    /// <summary>The receiver of a pending transfer: reads the case and its handover; records only its answer.</summary>
    ReadOnly,

    /// <summary>Reads the case and records on it.</summary>
    Full,
}

/// <summary>
/// Who sees a case, in one place: every read, list, reminder and push asks here. A coordinator of the leading organisation
/// sees the case in full; a case led without the authorities is seen by no one else but the receiver of its pending
/// transfer; otherwise an organisation of the network (<see cref="OrganisationProfile.Scope"/> network) sees in full a case
/// that has no lead or a network lead; the receiver of a pending transfer reads it; an organisation that led it before
/// reads it up to the end of its lead (<see cref="Until"/>). To everyone else it does not exist.
/// </summary>
public sealed record CaseAccess(CaseAccessLevel Level, DateTimeOffset? Until = null)
{
    public static readonly CaseAccess None = new(CaseAccessLevel.None);
    public static readonly CaseAccess Full = new(CaseAccessLevel.Full);
    public static readonly CaseAccess ReadOnly = new(CaseAccessLevel.ReadOnly);

    /// <summary>The case exists for the caller.</summary>
    public bool Sees => Level != CaseAccessLevel.None;

    /// <summary>Whether the caller may record an event of this type (the decider still judges the event itself).</summary>
    public bool MayRecord(CaseEventType type) =>
        Level == CaseAccessLevel.Full || (Level == CaseAccessLevel.ReadOnly && type is CaseEventType.TransferAccepted or CaseEventType.TransferDeclined);

    /// <summary>Whether a reminder of the case for <paramref name="organisation"/> (null: every coordinator) is shown to the caller: all of them in full, else only its own.</summary>
    public bool ShowsReminder(string? organisation, Caller caller) =>
        Level == CaseAccessLevel.Full || (Sees && organisation == caller?.Organisation);

    /// <summary>Whether a timeline entry's note is shown: always, but to a former lead only up to the end of its lead.</summary>
    public bool ShowsNoteAt(DateTimeOffset at) => Level != CaseAccessLevel.FormerLead || at <= Until;

    /// <summary>
    /// The caller's access to a case led by <paramref name="lead"/> (null before contact), whose pending transfer asks
    /// <paramref name="receiver"/> (null when none is pending), and that was led in <paramref name="periods"/>.
    /// </summary>
    public static CaseAccess Of(CityProfile profile, Caller caller, string? lead, string? receiver, IEnumerable<LeadPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(periods);
        string organisation = caller.Organisation;
        if (!caller.Roles.Contains(Role.Coordinator))
        {
            return None;
        }

        if (lead is not null && lead == organisation)
        {
            return Full;
        }

        if (lead is not null && lead == profile.Leads.WithoutAuthorities)
        {
            return receiver == organisation ? ReadOnly : None;
        }

        if (SeesNetwork(profile, organisation) && (lead is null || SeesNetwork(profile, lead)))
        {
            return Full;
        }

        if (receiver == organisation)
        {
            return ReadOnly;
        }

        DateTimeOffset? until = periods.Where(p => p.Organisation == organisation && p.Until is not null).Max(p => p.Until);
        return until is null ? None : new CaseAccess(CaseAccessLevel.FormerLead, until);
    }

    /// <summary>The caller's access to a case in this state.</summary>
    public static CaseAccess Of(CityProfile profile, Caller caller, CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Of(profile, caller, state.Lead, state.PendingTransfer?.To, state.LeadPeriods());
    }

    /// <summary>An organisation the profile does not know (or no longer knows) is taken as one of the network.</summary>
    static bool SeesNetwork(CityProfile profile, string organisation) => profile.Organisation(organisation)?.SeesNetwork ?? true;
}

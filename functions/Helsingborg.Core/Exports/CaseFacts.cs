using Helsingborg.Intake;
using Helsingborg.Lifecycle;

namespace Helsingborg.Exports;

/// <summary>
/// Age for the national export, coarsened at intake: an estimated age is kept only as its band (the age bands of
/// the CTDC global dataset, which codes its records to HTCDS), a bare "is a minor" as <see cref="Minor"/> or
/// <see cref="Adult"/>. The export widens a band further when a group is small.
/// </summary>
public static class AgeBands
{
    public const string Minor = "minor";
    public const string Adult = "adult";
    public const string Unknown = "unknown";

    /// <summary>The narrow bands, by their first year of age.</summary>
    static readonly (int From, string Band)[] Narrow =
        [(0, "0--8"), (9, "9--17"), (18, "18--20"), (21, "21--23"), (24, "24--26"), (27, "27--29"), (30, "30--38"), (39, "39--47"), (48, "48+")];

    static readonly (int From, string Band)[] Wide = [(0, "0--17"), (18, "18--29"), (30, "30--47"), (48, "48+")];

    /// <summary>Every value <see cref="Of"/> may store.</summary>
    public static IReadOnlyList<string> Stored { get; } = [.. Narrow.Select(b => b.Band), Minor, Adult, Unknown];

    /// <summary>
    /// What is stored of a person's age: the narrow band of the estimated age; <see cref="Minor"/> when the person is
    /// flagged a minor without an age, or with an estimate of 18 or more that contradicts the flag (the case is handled
    /// as a minor's, lifecycle.md); <see cref="Adult"/> when flagged not a minor without an age; else <see cref="Unknown"/>.
    /// </summary>
    public static string Of(PersonDetails? person) => person switch
    {
        null => Unknown,
        { IsMinor: true, EstimatedAge: >= 18 } => Minor,
        { EstimatedAge: int age } => Band(Narrow, age),
        { IsMinor: true } => Minor,
        { IsMinor: false } => Adult,
        _ => Unknown,
    };

    /// <summary>The wide band of a stored narrow band; null for a value without a band.</summary>
    public static string? Widen(string stored) => First(stored) is int age ? Band(Wide, age) : null;

    /// <summary>The band itself, or null for a value without one.</summary>
    public static string? NarrowBand(string stored) => First(stored) is not null ? stored : null;

    /// <summary>The CTDC majority status of a stored value: Minor, Adult or Unknown.</summary>
    public static string MajorityStatus(string stored) => stored switch
    {
        Minor => Htcds.MajorityMinor,
        Adult => Htcds.MajorityAdult,
        _ when First(stored) is int age => age < 18 ? Htcds.MajorityMinor : Htcds.MajorityAdult,
        _ => Htcds.MajorityUnknown,
    };

    static int? First(string stored)
    {
        foreach ((int from, string band) in Narrow)
        {
            if (band == stored)
            {
                return from;
            }
        }

        return null;
    }

    static string Band((int From, string Band)[] bands, int age) => bands.Last(b => b.From <= Math.Max(0, age)).Band;
}

/// <summary>Where a case stands, as the export sees it (HTCDS cas_Status).</summary>
public enum ExportStatus
{
    /// <summary>Open: in first contact, support, or return before departure.</summary>
    Active,

    /// <summary>The person has departed home through IOM and the reintegration follow-up is pending.</summary>
    FollowUp,

    /// <summary>Closed or completed.</summary>
    Closed,
}

/// <summary>
/// The coarse, coded facts of one case that the national export is made of (docs/national-export.md): the referral
/// source category, the suspicion, whether a person was described, the person's age band, gender and one
/// citizenship, and the outcome so far. Nothing here is free text or a raw value; the facts are written at intake
/// and by the projection, and kept by <see cref="ExportFactsStore"/> so that erasing the case's personal data leaves
/// them as they are. <see cref="Key"/> is their stored form.
/// </summary>
public sealed record CaseFacts
{
    const string Version = "v1";
    const char Separator = '|';
    const char ListSeparator = '+';
    const string None = "-";

    public required string ReferralSource { get; init; }

    public required Suspicion Suspicion { get; init; }

    public required bool PersonDocumented { get; init; }

    /// <summary>One of <see cref="AgeBands.Stored"/>.</summary>
    public required string Age { get; init; }

    public required Gender Gender { get; init; }

    /// <summary>An ISO 3166-1 alpha-2 code of <see cref="Citizenship.RegionOf"/>, or <see cref="Citizenship.Unknown"/>.</summary>
    public required string Citizenship { get; init; }

    public ExportStatus Status { get; init; }

    public CloseReason? CloseReason { get; init; }

    public bool Returned { get; init; }

    /// <summary>The kinds of support given at least once, in the order of <see cref="SupportKind"/>.</summary>
    public IReadOnlyList<SupportKind> SupportGiven { get; init; } = [];

    /// <summary>The facts of a new case: the intake's, coarsened, with the referral source of the reporting organisation.</summary>
    public static CaseFacts FromIntake(IntakeSubmission intake, string referralSource)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentException.ThrowIfNullOrEmpty(referralSource);
        return new CaseFacts
        {
            ReferralSource = referralSource,
            Suspicion = intake.Suspicion,
            PersonDocumented = intake.Person is not null,
            Age = AgeBands.Of(intake.Person),
            Gender = intake.Person?.Gender ?? Gender.Unknown,
            Citizenship = Exports.Citizenship.Of(intake.Person?.Citizenship),
        };
    }

    /// <summary>The same facts with the outcome of <paramref name="state"/>: status, close reason, return and the kinds of support given.</summary>
    public CaseFacts WithOutcome(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        bool closed = state.Phase is Phase.Closed or Phase.Completed;
        return this with
        {
            Status = closed ? ExportStatus.Closed
                : state.Phase == Phase.ReturnAssistance && state.Step == ReturnStep.Departed ? ExportStatus.FollowUp
                : ExportStatus.Active,
            CloseReason = closed ? state.CloseReason : null,
            Returned = state.DepartedAt is not null,
            SupportGiven = [.. Enum.GetValues<SupportKind>().Where(k => state.SupportGiven.TryGetValue(k, out int n) && n > 0)],
        };
    }

    /// <summary>The facts as one line of codes, e.g. <c>v1|ngo|both|1|18--20|female|RO|closed|stable|0|accommodation+medical</c>.</summary>
    public string Key => string.Join(Separator,
        Version,
        ReferralSource,
        KebabCase.Name(Suspicion),
        PersonDocumented ? "1" : "0",
        Age,
        KebabCase.Name(Gender),
        Citizenship,
        KebabCase.Name(Status),
        CloseReason is { } reason ? KebabCase.Name(reason) : None,
        Returned ? "1" : "0",
        SupportGiven.Count == 0 ? None : string.Join(ListSeparator, SupportGiven.Select(KebabCase.Name)));

    /// <summary>Reads a <see cref="Key"/>.</summary>
    /// <exception cref="FormatException">The text is not a key this release wrote.</exception>
    public static CaseFacts Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string[] parts = key.Split(Separator);
        if (parts.Length != 11 || parts[0] != Version
            || !Partners.OrganisationProfile.ReferralSources.Contains(parts[1], StringComparer.Ordinal)
            || !KebabCase.TryParse(parts[2], out Suspicion suspicion)
            || parts[3] is not ("0" or "1")
            || !AgeBands.Stored.Contains(parts[4], StringComparer.Ordinal)
            || !KebabCase.TryParse(parts[5], out Gender gender)
            || !(parts[6] == Exports.Citizenship.Unknown || Exports.Citizenship.RegionOf.ContainsKey(parts[6]))
            || !KebabCase.TryParse(parts[7], out ExportStatus status)
            || parts[9] is not ("0" or "1"))
        {
            throw new FormatException("Not a case facts key.");
        }

        CloseReason? reason = null;
        if (parts[8] != None)
        {
            reason = KebabCase.TryParse(parts[8], out CloseReason r) ? r : throw new FormatException("Not a close reason.");
        }

        var kinds = new List<SupportKind>();
        foreach (string kind in parts[10] == None ? [] : parts[10].Split(ListSeparator))
        {
            kinds.Add(KebabCase.TryParse(kind, out SupportKind k) ? k : throw new FormatException("Not a kind of support."));
        }

        return new CaseFacts
        {
            ReferralSource = parts[1],
            Suspicion = suspicion,
            PersonDocumented = parts[3] == "1",
            Age = parts[4],
            Gender = gender,
            Citizenship = parts[6],
            Status = status,
            CloseReason = reason,
            Returned = parts[9] == "1",
            SupportGiven = kinds,
        };
    }

    public override string ToString() => Key;
}

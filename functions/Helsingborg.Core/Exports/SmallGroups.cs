using System.Globalization;
using Helsingborg.Intake;

namespace Helsingborg.Exports;

/// <summary>
/// One case of an export's period as stored: its registration month and its facts; <paramref name="PersonGroup"/> is the
/// pseudonym of the reports linked as one person that it belongs to (<see cref="Persons.PersonGroups.Pseudonym"/>), if any.
/// </summary>
public sealed record ExportCase(int Year, int Month, CaseFacts Facts, string? PersonGroup = null);

/// <summary>
/// The quasi-identifiers of a record: what someone who knows a person could match against the export (when the case
/// was registered, the person's age, gender and citizenship, what was suspected, who reported it and whether a person
/// was described). A null is a value generalised away.
/// </summary>
public sealed record QuasiIdentifiers(
    int RegistrationYear,
    int? RegistrationMonth,
    string? AgeBroad,
    string MajorityStatus,
    string Gender,
    string Citizenship,
    Suspicion Suspicion,
    string? ReferralSource,
    bool PersonDocumented);

/// <summary>One record of the national export, coded to HTCDS (docs/national-export.md); no case id, no date finer than the month.</summary>
public sealed record ExportRecord(
    int RegistrationYear,
    int? RegistrationMonth,
    string? AgeBroad,
    string MajorityStatus,
    string Gender,
    string Citizenship,
    string Suspicion,
    string? TraffickingStatus,
    string? TypeOfExploitation,
    string? ReferralSource,
    string? ReferringOrganisationType,
    bool PersonDocumented,
    IReadOnlyList<string> SupportGiven,
    IReadOnlyList<string> SupportPlanTypes,
    string CaseStatus,
    string? ReasonForCaseClosure,
    bool Returned,
    string? PersonGroup = null)
{
    /// <summary>The column names, in the order of <see cref="Cells"/> (the JSON property names too).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "registrationYear", "registrationMonth", "ageBroad", "majorityStatus", "gender", "citizenship", "suspicion",
        "traffickingStatus", "typeOfExploitation", "referralSource", "referringOrganisationType", "personDocumented",
        "supportGiven", "supportPlanTypes", "caseStatus", "reasonForCaseClosure", "returned", "personGroup",
    ];

    /// <summary>The columns that are quasi-identifiers (the others derive from them, or are outcomes).</summary>
    public static readonly IReadOnlyList<string> QuasiIdentifierColumns =
        ["registrationYear", "registrationMonth", "ageBroad", "majorityStatus", "gender", "citizenship", "suspicion", "referralSource", "personDocumented"];

    /// <summary>The record as text cells: empty for null, lists joined with commas, booleans true or false.</summary>
    public IReadOnlyList<string> Cells() =>
    [
        Text(RegistrationYear), RegistrationMonth is { } m ? Text(m) : string.Empty, AgeBroad ?? string.Empty, MajorityStatus, Gender, Citizenship, Suspicion,
        TraffickingStatus ?? string.Empty, TypeOfExploitation ?? string.Empty, ReferralSource ?? string.Empty, ReferringOrganisationType ?? string.Empty,
        Text(PersonDocumented), string.Join(',', SupportGiven), string.Join(',', SupportPlanTypes), CaseStatus, ReasonForCaseClosure ?? string.Empty, Text(Returned),
        PersonGroup ?? string.Empty,
    ];

    /// <summary>The record's quasi-identifiers, as they were exported.</summary>
    public QuasiIdentifiers QuasiIdentifiers() => new(
        RegistrationYear, RegistrationMonth, AgeBroad, MajorityStatus, Gender, Citizenship,
        KebabCase.TryParse(Suspicion, out Suspicion s) ? s : throw new InvalidOperationException("Not a suspicion."),
        ReferralSource, PersonDocumented);

    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Text(bool value) => value ? "true" : "false";
}

/// <summary>What protecting a period's cases gave: the records, and how many cases were generalised or suppressed.</summary>
public sealed record ProtectedExport(IReadOnlyList<ExportRecord> Records, int Cases, int Generalised, int Suppressed, int MinGroupSize)
{
    public int Exported => Records.Count;
}

/// <summary>
/// Protection of small groups (k-anonymity by local recoding) for the national export. A record whose
/// quasi-identifiers are shared by fewer than k records of the export is generalised one level of a fixed ladder at
/// a time (<see cref="Ladder"/>), each level coarser than the one before, until its group has k records; a record
/// that is still in a smaller group at the last level is suppressed. Records in large enough groups keep their
/// detail. Every exported combination of quasi-identifiers therefore occurs at least k times, and the result says
/// how many records were generalised and how many suppressed. Records are sorted by their values, so their order
/// says nothing of when a case came in. Pure: no storage, no clock.
/// </summary>
public static class SmallGroups
{
    /// <summary>What each level changes (level 0 is the record as stored); docs/national-export.md explains why in this order.</summary>
    public static readonly IReadOnlyList<string> Ladder =
    [
        "as stored: registration month, narrow age band, gender, country of citizenship",
        "registration month to year only",
        "narrow age band to wide band (0--17, 18--29, 30--47, 48+)",
        "country of citizenship to region (sweden, eu-eea, europe-other, africa, americas, asia, oceania)",
        "age band to majority status only; gender NonConforming to NonSpecifiedUnknown",
        "region to sweden, eu-eea or outside-eu-eea",
        "age, gender and citizenship to unknown",
        "referral source to not given",
    ];

    /// <summary>The smallest group size the export may be configured with (1 would protect nothing).</summary>
    public const int MinimumGroupSize = 2;

    /// <summary>The quasi-identifiers of a case generalised to <paramref name="level"/> (0 to <see cref="Ladder"/>.Count − 1).</summary>
    public static QuasiIdentifiers At(ExportCase exported, int level)
    {
        ArgumentNullException.ThrowIfNull(exported);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, Ladder.Count);
        CaseFacts f = exported.Facts;
        string gender = Htcds.Gender(f.Gender);
        return new QuasiIdentifiers(
            exported.Year,
            level >= 1 ? null : exported.Month,
            level >= 4 ? null : level >= 2 ? AgeBands.Widen(f.Age) : AgeBands.NarrowBand(f.Age),
            level >= 6 ? Htcds.MajorityUnknown : AgeBands.MajorityStatus(f.Age),
            level >= 6 || (level >= 4 && gender == Htcds.NonConforming) ? Htcds.NonSpecifiedUnknown : gender,
            level >= 6 ? Citizenship.Unknown : level >= 5 ? Citizenship.Broad(f.Citizenship) : level >= 3 ? Citizenship.Region(f.Citizenship) : f.Citizenship,
            f.Suspicion,
            level >= 7 ? null : f.ReferralSource,
            f.PersonDocumented);
    }

    /// <summary>The record of a case at its quasi-identifiers; the outcome is never generalised.</summary>
    public static ExportRecord Record(QuasiIdentifiers q, CaseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(facts);
        return new ExportRecord(
            q.RegistrationYear,
            q.RegistrationMonth,
            q.AgeBroad,
            q.MajorityStatus,
            q.Gender,
            q.Citizenship,
            KebabCase.Name(q.Suspicion),
            Htcds.TraffickingStatus(q.Suspicion),
            Htcds.TypeOfExploitation(q.Suspicion),
            q.ReferralSource,
            Htcds.OrganisationType(q.ReferralSource),
            q.PersonDocumented,
            [.. facts.SupportGiven.Select(KebabCase.Name)],
            [.. facts.SupportGiven.Select(Htcds.SupportPlanType).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
            Htcds.CaseStatus(facts.Status),
            facts.CloseReason is { } reason ? KebabCase.Name(reason) : null,
            facts.Returned);
    }

    /// <summary>
    /// The person groups whose pseudonym the export may carry: a group with at least two exported records (one record
    /// says nothing of a person, and a suppressed record must not be hinted at), and only when at least
    /// <paramref name="minGroupSize"/> groups are so, so that "the one person reported twice" cannot be singled out. Else none.
    /// </summary>
    static HashSet<string> KeptGroups(IReadOnlyList<ExportCase> cases, int[] placedAt, int minGroupSize)
    {
        HashSet<string> kept =
        [
            .. cases.Where((c, i) => c.PersonGroup is not null && placedAt[i] >= 0)
                .GroupBy(c => c.PersonGroup!, StringComparer.Ordinal)
                .Where(g => g.Count() >= 2)
                .Select(g => g.Key),
        ];
        return kept.Count >= minGroupSize ? kept : [];
    }

    /// <summary>
    /// Generalises and suppresses so that every exported combination of quasi-identifiers occurs at least
    /// <paramref name="minGroupSize"/> times. At each level the records not yet placed take that level's values and
    /// are counted together with the records already placed; those whose combination now occurs k times or more are
    /// placed there. A placed record's group only grows afterwards, so it keeps at least k records.
    /// </summary>
    public static ProtectedExport Protect(IReadOnlyList<ExportCase> cases, int minGroupSize)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentOutOfRangeException.ThrowIfLessThan(minGroupSize, MinimumGroupSize);
        var current = new QuasiIdentifiers[cases.Count];
        int[] placedAt = [.. Enumerable.Repeat(-1, cases.Count)];
        for (int level = 0; level < Ladder.Count; level++)
        {
            var counts = new Dictionary<QuasiIdentifiers, int>();
            for (int i = 0; i < cases.Count; i++)
            {
                if (placedAt[i] < 0)
                {
                    current[i] = At(cases[i], level);
                }

                counts[current[i]] = counts.GetValueOrDefault(current[i]) + 1;
            }

            for (int i = 0; i < cases.Count; i++)
            {
                if (placedAt[i] < 0 && counts[current[i]] >= minGroupSize)
                {
                    placedAt[i] = level;
                }
            }
        }

        HashSet<string> groups = KeptGroups(cases, placedAt, minGroupSize);
        var records = new List<ExportRecord>(cases.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            if (placedAt[i] >= 0)
            {
                string? group = cases[i].PersonGroup is { } g && groups.Contains(g) ? g : null;
                records.Add(Record(current[i], cases[i].Facts) with { PersonGroup = group });
            }
        }

        List<ExportRecord> sorted =
        [
            .. records.OrderBy(r => r.RegistrationYear).ThenBy(r => r.RegistrationMonth ?? 13).ThenBy(r => string.Join(';', r.Cells()), StringComparer.Ordinal),
        ];
        return new ProtectedExport(sorted, cases.Count, placedAt.Count(l => l > 0), placedAt.Count(l => l < 0), minGroupSize);
    }
}

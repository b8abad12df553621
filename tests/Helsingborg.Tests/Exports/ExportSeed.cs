using Helsingborg.Exports;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;

namespace Helsingborg.Tests.Exports;

/// <summary>
/// A known set of cases for the export, in 2011, a year no other test uses. With k = 5: the five March cases share
/// every quasi-identifier and are exported as they are; the five Nigerian cases differ only in their month and are
/// exported with the year alone; the two reports without a person and the minor stay alone however far they are
/// generalised, and are suppressed.
/// </summary>
public static class ExportSeed
{
    public const int Year = 2011;

    public static CaseFacts Facts(
        string referral = "ngo", Suspicion suspicion = Suspicion.Both, bool person = true, string age = "18--20", Gender gender = Gender.Female,
        string citizenship = "RO", ExportStatus status = ExportStatus.Active, CloseReason? reason = null, bool returned = false, params SupportKind[] support) => new()
        {
            ReferralSource = referral,
            Suspicion = suspicion,
            PersonDocumented = person,
            Age = age,
            Gender = gender,
            Citizenship = citizenship,
            Status = status,
            CloseReason = reason,
            Returned = returned,
            SupportGiven = support,
        };

    public static IReadOnlyList<ExportCase> Known { get; } =
    [
        .. Enumerable.Range(0, 3).Select(_ => new ExportCase(Year, 3, Facts(status: ExportStatus.Closed, reason: CloseReason.Stable, support: [SupportKind.Accommodation, SupportKind.Medical]))),
        .. Enumerable.Range(0, 2).Select(_ => new ExportCase(Year, 3, Facts())),
        .. new[] { 4, 5, 6, 7 }.Select(month => new ExportCase(Year, month, Facts("law-enforcement", Suspicion.Trafficking, age: "24--26", gender: Gender.Male, citizenship: "NG"))),
        new ExportCase(Year, 8, Facts("law-enforcement", Suspicion.Trafficking, age: "24--26", gender: Gender.Male, citizenship: "NG", status: ExportStatus.FollowUp, returned: true, support: [SupportKind.Interpretation])),
        new ExportCase(Year, 9, Facts("private-sector", Suspicion.Prostitution, person: false, age: AgeBands.Unknown, gender: Gender.Unknown, citizenship: Citizenship.Unknown)),
        new ExportCase(Year, 10, Facts("private-sector", Suspicion.Prostitution, person: false, age: AgeBands.Unknown, gender: Gender.Unknown, citizenship: Citizenship.Unknown)),
        new ExportCase(Year, 11, Facts("social-welfare", Suspicion.Trafficking, age: "9--17", citizenship: "SE")),
    ];
}

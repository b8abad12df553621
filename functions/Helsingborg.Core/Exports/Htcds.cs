using Helsingborg.Intake;
using Helsingborg.Lifecycle;

namespace Helsingborg.Exports;

/// <summary>
/// The values of the Human Trafficking Case Data Standard (IOM, HTCDS 2.0 field standards) that the national export
/// codes to, and how the product's own codes map onto them; the age bands and majority status follow the CTDC global
/// dataset, which is coded to HTCDS. The mapping is documented field by field in docs/national-export.md.
/// </summary>
public static class Htcds
{
    public const string Standard = "HTCDS 2.0";

    // prs_Gender
    public const string Feminine = "Feminine";
    public const string Masculine = "Masculine";
    public const string NonConforming = "NonConforming";
    public const string NonSpecifiedUnknown = "NonSpecifiedUnknown";

    // CTDC majorityStatus
    public const string MajorityMinor = "Minor";
    public const string MajorityAdult = "Adult";
    public const string MajorityUnknown = "Unknown";

    // vic_TraffickingStatus, vic_TypeOfExploitation
    public const string PossibleVictimOfTrafficking = "PossibleVictimOfTrafficking";
    public const string SexualExploitation = "SexualExploitation";

    /// <summary>prs_Gender of the intake's gender.</summary>
    public static string Gender(Gender gender) => gender switch
    {
        Intake.Gender.Female => Feminine,
        Intake.Gender.Male => Masculine,
        Intake.Gender.Other => NonConforming,
        _ => NonSpecifiedUnknown,
    };

    /// <summary>vic_TraffickingStatus: every case is unverified, so a possible victim where trafficking is suspected; else not given.</summary>
    public static string? TraffickingStatus(Suspicion suspicion) =>
        suspicion is Suspicion.Trafficking or Suspicion.Both ? PossibleVictimOfTrafficking : null;

    /// <summary>vic_TypeOfExploitation: sexual exploitation where prostitution is suspected; else not known (not given).</summary>
    public static string? TypeOfExploitation(Suspicion suspicion) =>
        suspicion is Suspicion.Prostitution or Suspicion.Both ? SexualExploitation : null;

    /// <summary>org_Type of the referring organisation, from its referral source category; none for self-referral and other.</summary>
    public static string? OrganisationType(string? referralSource) => referralSource switch
    {
        "law-enforcement" => "LawEnforcement",
        "social-welfare" => "LocalGovernmentOrganisation",
        "ngo" => "NGO",
        "health-care" => "HealthServiceOrganisation",
        "private-sector" => "CorporateBusiness",
        _ => null,
    };

    /// <summary>cas_Status.</summary>
    public static string CaseStatus(ExportStatus status) => status.ToString();

    /// <summary>spl_Type (type of support plan) that a kind of support given falls under; none for other.</summary>
    public static string? SupportPlanType(SupportKind kind) => kind switch
    {
        SupportKind.Accommodation or SupportKind.Interpretation or SupportKind.ContactPerson => "SocialCare",
        SupportKind.Psychological or SupportKind.Medical => "Health",
        SupportKind.Material => "Financial",
        SupportKind.CounsellingLegal or SupportKind.CriminalProceedings => "Legal",
        SupportKind.EducationChildren => "Education",
        _ => null,
    };
}

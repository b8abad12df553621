using System.Text.Json.Serialization;
using Helsingborg.Lifecycle;

namespace Helsingborg.Intake;

[JsonConverter(typeof(KebabCaseEnumConverter<PlaceType>))]
public enum PlaceType { Hotel, Apartment, Street, Online, Venue, Other }

[JsonConverter(typeof(KebabCaseEnumConverter<Suspicion>))]
public enum Suspicion { Trafficking, Prostitution, Both, Unclear }

[JsonConverter(typeof(KebabCaseEnumConverter<Gender>))]
public enum Gender { Female, Male, Other, Unknown }

/// <summary>The possibly exploited person as the partner described them: all personal data.</summary>
public sealed record PersonDetails
{
    public string? Alias { get; init; }
    public int? EstimatedAge { get; init; }
    public Gender? Gender { get; init; }
    public IReadOnlyList<string>? Languages { get; init; }
    public IReadOnlyList<string>? Citizenship { get; init; }
    public string? Contact { get; init; }
    public bool? IsMinor { get; init; }

    /// <summary>A minor when flagged so or estimated under 18 (lifecycle.md, rules at intake).</summary>
    [JsonIgnore]
    public bool Minor => IsMinor == true || EstimatedAge is < 18;
}

/// <summary>A validated intake. Only the anonymous part (<see cref="Facts"/>) ever reaches the orchestration.</summary>
public sealed record IntakeSubmission
{
    public required string Municipality { get; init; }
    public required DateTimeOffset ObservedAt { get; init; }
    public required PlaceType PlaceType { get; init; }
    public required Suspicion Suspicion { get; init; }
    public required string Description { get; init; }
    public required bool PoliceNotified { get; init; }
    public string? Location { get; init; }
    public string? PoliceReference { get; init; }
    public PersonDetails? Person { get; init; }
    public YesNoUnknown? WantsSupport { get; init; }
    public YesNoUnknown? WantsAuthorityContact { get; init; }
    public string? ReporterContact { get; init; }
    public string? OutreachSessionId { get; init; }

    [JsonIgnore]
    public bool Minor => Person?.Minor == true;

    /// <summary>The personal part, sealed in the case vault as one field.</summary>
    public IntakePersonalData PersonalData() => new(Description, Location, PoliceReference, ReporterContact, Person);
}

/// <summary>What the vault holds of an intake (field <see cref="VaultField"/>).</summary>
public sealed record IntakePersonalData(string Description, string? Location, string? PoliceReference, string? ReporterContact, PersonDetails? Person)
{
    public const string VaultField = "intake";
}

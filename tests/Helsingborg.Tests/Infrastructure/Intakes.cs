namespace Helsingborg.Tests.Infrastructure;

/// <summary>Sample intakes. Canary values are unique made-up strings that must never appear in plain text in storage or logs.</summary>
public static class Intakes
{
    public static object Valid(bool policeNotified = true, bool minor = false, string? description = null, object? person = null, string municipality = "helsingborg", string wantsAuthorityContact = "unknown") => new
    {
        municipality,
        observedAt = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"),
        placeType = "hotel",
        location = "Room 214, Hotel Example",
        suspicion = "trafficking",
        description = description ?? "Woman, about 20, escorted by a man who held her passport.",
        policeNotified,
        policeReference = "5000-K123456-26",
        person = person ?? new
        {
            alias = "Maria",
            estimatedAge = minor ? 16 : 20,
            gender = "female",
            languages = new[] { "ro", "en" },
            citizenship = new[] { "RO" },
            contact = "+46 70 000 00 00",
            isMinor = minor,
        },
        wantsSupport = "unknown",
        wantsAuthorityContact,
        reporterContact = "night manager, +46 42 000 00 00",
    };

    /// <summary>A set of canary values unique to one test.</summary>
    public sealed record Canaries(string Name, string Phone, string Description, string Note, string Location, string PoliceReference, string Reporter)
    {
        public static Canaries New()
        {
            string token = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
            return new Canaries(
                $"Kanarie{token}",
                $"+46 70 {token[..3]} {token[3..6]}",
                $"Canary description {token} seen in corridor",
                $"Canary note {token} about the meeting",
                $"Canary room {token}",
                $"K{token}",
                $"Canary reporter {token}");
        }

        public IEnumerable<string> All => [Name, Phone, Description, Note, Location, PoliceReference, Reporter];

        public object Intake() => new
        {
            municipality = "landskrona",
            observedAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"),
            placeType = "apartment",
            location = Location,
            suspicion = "both",
            description = Description,
            policeNotified = false,
            policeReference = PoliceReference,
            person = new { alias = Name, estimatedAge = 30, contact = Phone, languages = new[] { "sv" } },
            reporterContact = Reporter,
        };
    }
}

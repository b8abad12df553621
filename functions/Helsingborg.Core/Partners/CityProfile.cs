using System.Text.RegularExpressions;
using Helsingborg.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Partners;

/// <summary>An organisation of the city's network and the roles it may hold.</summary>
public sealed class OrganisationProfile
{
    public const string PartnerRole = "partner";
    public const string CoordinatorRole = "coordinator";
    public const string LeadRole = "lead";

    /// <summary>The roles an organisation may hold: it reports intakes, coordinates cases, or leads them.</summary>
    public static readonly IReadOnlyList<string> KnownRoles = [PartnerRole, CoordinatorRole, LeadRole];

    /// <summary>
    /// Categories of the Human Trafficking Case Data Standard's referral source (who brought a case), used by the
    /// national export (docs in README).
    /// </summary>
    public static readonly IReadOnlyList<string> ReferralSources =
    [
        "law-enforcement", "social-welfare", "ngo", "health-care", "private-sector", "self", "other",
    ];

    public string Id { get; set; } = string.Empty;

    public string NameSv { get; set; } = string.Empty;

    public string NameEn { get; set; } = string.Empty;

    public List<string> Roles { get; set; } = [];

    /// <summary>Its category as a referral source (one of <see cref="ReferralSources"/>).</summary>
    public string ReferralSource { get; set; } = "other";

    /// <summary>The legal bases a lead organisation may process a case's data on (data-protection.md).</summary>
    public static readonly IReadOnlyList<string> LegalBases = ["consent", "public-task"];

    /// <summary>
    /// The legal basis of a lead organisation (one of <see cref="LegalBases"/>; required with the role lead):
    /// <c>public-task</c> for social services, which must keep a record under the social services act, <c>consent</c>
    /// for an organisation that helps on the person's consent.
    /// </summary>
    public string? LegalBasis { get; set; }

    public const string NetworkScope = "network";
    public const string OwnCasesScope = "own-cases";

    /// <summary>The scopes a coordinating organisation sees cases in (<see cref="Scope"/>).</summary>
    public static readonly IReadOnlyList<string> Scopes = [NetworkScope, OwnCasesScope];

    /// <summary>
    /// Which cases its coordinators see: <c>network</c> (default), every case without a lead or with a network lead, as the
    /// network's own organisations do; <c>own-cases</c>, only the cases it leads or is asked to take over (a neighbouring
    /// municipality's social services, which take a case over from the network but do not work in its cases).
    /// </summary>
    public string Scope { get; set; } = NetworkScope;

    /// <summary>Whether its coordinators see the network's cases (<see cref="Scope"/> network).</summary>
    public bool SeesNetwork => Scope != OwnCasesScope;

    public bool Holds(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public string Name(bool english) => english ? NameEn : NameSv;
}

/// <summary>A municipality whose cases the network takes: a stable code and its display name (with å, ä, ö).</summary>
public sealed class MunicipalityProfile
{
    public string Code { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// Who takes a case of this municipality over after the acute phase (transfer-requested without an organisation): an
    /// organisation with the roles lead and coordinator; unset, the profile's <see cref="LeadRules.Default"/>.
    /// </summary>
    public string? Receiver { get; set; }
}

/// <summary>Which organisation leads a case (lifecycle.md, contact-made).</summary>
public sealed class LeadRules
{
    /// <summary>Leads a minor's case from intake, and a case whose person accepts contact with the authorities.</summary>
    public string Default { get; set; } = string.Empty;

    /// <summary>
    /// Leads the case of a person who declines contact with the authorities (optional). Only this organisation's
    /// coordinators see such a case; to everyone else it does not exist.
    /// </summary>
    public string? WithoutAuthorities { get; set; }
}

/// <summary>How the public reaches the network: shown on the form, the receipt and the accessibility statement.</summary>
public sealed class ContactTexts
{
    public string Email { get; set; } = string.Empty;

    public string Phone { get; set; } = string.Empty;
}

/// <summary>
/// The city profile (configuration section <c>City</c>): the city, its network's organisations and their roles, its
/// municipalities, its lead rules and its contact texts. The case policy's clocks (<c>CasePolicy</c>) and the outreach
/// schedule (<c>Outreach</c>) belong to the same profile document (see <see cref="CityProfiles"/>). Nothing else in
/// the code names a city's organisations or municipalities.
/// </summary>
public sealed partial class CityProfile
{
    public const string SectionName = "City";

    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The prefix of the city's case references (<see cref="Cases.CaseReference"/>): two to eight capital letters, told
    /// apart from other cities' so that a reference names one city's case.
    /// </summary>
    public string CaseReferencePrefix { get; set; } = string.Empty;

    public List<OrganisationProfile> Organisations { get; set; } = [];

    public List<MunicipalityProfile> Municipalities { get; set; } = [];

    public LeadRules Leads { get; set; } = new();

    /// <summary>The organisation responsible for the web service (named by the accessibility statement).</summary>
    public string Responsible { get; set; } = string.Empty;

    public ContactTexts Contact { get; set; } = new();

    /// <summary>
    /// The organisation on call out of office hours (optional): an urgent reminder is pushed to it at once, beside the
    /// case's lead, so that a child reported on a Friday night is not left until the morning's digest. It must
    /// coordinate, because the push links to the case page.
    /// </summary>
    public string? OnCall { get; set; }

    /// <summary>
    /// The reminder kinds (kebab-case) that are pushed at once to the lead and the on-call organisation; every escalated
    /// reminder is pushed too. Unset: <see cref="DefaultUrgentReminders"/>.
    /// </summary>
    public List<string>? UrgentReminders { get; set; }

    /// <summary>A child's protection: the generic reminder and the statutory protection assessment of the same day.</summary>
    public static readonly IReadOnlyList<string> DefaultUrgentReminders = ["child-protection", "protection-assessment"];

    /// <summary>Whether a reminder is pushed at once: an urgent kind, or escalated.</summary>
    public bool IsUrgent(Lifecycle.ReminderKind kind, bool escalated) =>
        escalated || (UrgentReminders ?? DefaultUrgentReminders).Contains(KebabCase.Name(kind), StringComparer.Ordinal);

    public OrganisationProfile? Organisation(string? id) => Organisations.Find(o => o.Id == id);

    public bool IsOrganisation(string? id) => Organisation(id) is not null;

    public bool IsMunicipality(string? code) => Municipalities.Exists(m => m.Code == code);

    public string? MunicipalityName(string code) => Municipalities.Find(m => m.Code == code)?.Name;

    /// <summary>Who takes over a case of the municipality after the acute phase: its receiver, else the default lead.</summary>
    public string ReceiverOf(string? municipality) =>
        Municipalities.Find(m => m.Code == municipality)?.Receiver is { Length: > 0 } receiver ? receiver : Leads.Default;

    /// <summary>
    /// The policy a case is opened under: the configured clocks with this profile's lead rules and the lead organisations
    /// that process as a public task copied in, so the case keeps the rules it was opened with.
    /// </summary>
    public Lifecycle.CasePolicy CaseRules(Lifecycle.CasePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy with
        {
            DefaultLead = Leads.Default,
            LeadWithoutAuthorities = Leads.WithoutAuthorities,
            PublicTaskLeads = string.Join(',', Organisations.Where(o => o.Holds(OrganisationProfile.LeadRole) && o.LegalBasis == "public-task").Select(o => o.Id)),
        };
    }

    /// <summary>The organisations that may hold the role, in the profile's order.</summary>
    public IReadOnlyList<string> Holding(string role) => [.. Organisations.Where(o => o.Holds(role)).Select(o => o.Id)];

    /// <summary>What is wrong with the profile, each message naming the setting (empty when it is valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Require(Id, "City:Id");
        if (Id.Length > 0 && !IdPattern().IsMatch(Id))
        {
            errors.Add($"City:Id: \"{Id}\" must be lower-case letters, digits and hyphens.");
        }

        Require(Name, "City:Name");
        Require(CaseReferencePrefix, "City:CaseReferencePrefix");
        if (CaseReferencePrefix.Length > 0 && !Cases.CaseReference.PrefixPattern().IsMatch(CaseReferencePrefix))
        {
            errors.Add($"City:CaseReferencePrefix: \"{CaseReferencePrefix}\" must be two to eight capital letters A-Z.");
        }

        if (Organisations.Count == 0)
        {
            errors.Add("City:Organisations: the profile names no organisation.");
        }

        for (int i = 0; i < Organisations.Count; i++)
        {
            OrganisationProfile o = Organisations[i];
            string at = $"City:Organisations:{i}";
            Require(o.Id, at + ":Id");
            if (o.Id.Length > 0 && !IdPattern().IsMatch(o.Id))
            {
                errors.Add($"{at}:Id: \"{o.Id}\" must be lower-case letters, digits and hyphens.");
            }

            if (Organisations.FindIndex(p => p.Id == o.Id) < i)
            {
                errors.Add($"{at}:Id: \"{o.Id}\" is named twice.");
            }

            Require(o.NameSv, at + ":NameSv");
            Require(o.NameEn, at + ":NameEn");
            for (int r = 0; r < o.Roles.Count; r++)
            {
                if (!KnownRole(o.Roles[r]))
                {
                    errors.Add($"{at}:Roles:{r}: \"{o.Roles[r]}\" is not a role ({string.Join(", ", OrganisationProfile.KnownRoles)}).");
                }
            }

            if (o.Holds(OrganisationProfile.LeadRole) && !OrganisationProfile.LegalBases.Contains(o.LegalBasis ?? string.Empty, StringComparer.Ordinal))
            {
                errors.Add($"{at}:LegalBasis: \"{o.LegalBasis}\" is not one of {string.Join(", ", OrganisationProfile.LegalBases)} (required of a lead).");
            }

            if (!OrganisationProfile.Scopes.Contains(o.Scope, StringComparer.Ordinal))
            {
                errors.Add($"{at}:Scope: \"{o.Scope}\" is not one of {string.Join(", ", OrganisationProfile.Scopes)}.");
            }

            if (!OrganisationProfile.ReferralSources.Contains(o.ReferralSource, StringComparer.Ordinal))
            {
                errors.Add($"{at}:ReferralSource: \"{o.ReferralSource}\" is not one of {string.Join(", ", OrganisationProfile.ReferralSources)}.");
            }
        }

        if (Municipalities.Count == 0)
        {
            errors.Add("City:Municipalities: the profile names no municipality.");
        }

        for (int i = 0; i < Municipalities.Count; i++)
        {
            MunicipalityProfile m = Municipalities[i];
            string at = $"City:Municipalities:{i}";
            Require(m.Code, at + ":Code");
            if (m.Code.Length > 0 && !IdPattern().IsMatch(m.Code))
            {
                errors.Add($"{at}:Code: \"{m.Code}\" must be lower-case letters, digits and hyphens.");
            }

            if (Municipalities.FindIndex(p => p.Code == m.Code) < i)
            {
                errors.Add($"{at}:Code: \"{m.Code}\" is named twice.");
            }

            Require(m.Name, at + ":Name");
            LeadOrganisation(m.Receiver, at + ":Receiver", required: false);
        }

        LeadOrganisation(Leads.Default, "City:Leads:Default", required: true);
        LeadOrganisation(Leads.WithoutAuthorities, "City:Leads:WithoutAuthorities", required: false);
        if (!string.IsNullOrEmpty(Leads.WithoutAuthorities) && Leads.WithoutAuthorities == Leads.Default)
        {
            errors.Add("City:Leads:WithoutAuthorities: must differ from City:Leads:Default.");
        }

        if (!string.IsNullOrWhiteSpace(OnCall) && Organisation(OnCall)?.Holds(OrganisationProfile.CoordinatorRole) != true)
        {
            errors.Add($"City:OnCall: \"{OnCall}\" is not an organisation of the profile with the role coordinator.");
        }

        for (int i = 0; i < (UrgentReminders?.Count ?? 0); i++)
        {
            if (!KebabCase.TryParse(UrgentReminders![i], out Lifecycle.ReminderKind _))
            {
                errors.Add($"City:UrgentReminders:{i}: \"{UrgentReminders[i]}\" is not a reminder kind.");
            }
        }

        if (Holding(OrganisationProfile.CoordinatorRole).Count == 0)
        {
            errors.Add("City:Organisations: no organisation holds the role coordinator.");
        }

        if (Organisation(Responsible) is null)
        {
            errors.Add($"City:Responsible: \"{Responsible}\" is not an organisation of the profile.");
        }

        Require(Contact.Email, "City:Contact:Email");
        Require(Contact.Phone, "City:Contact:Phone");
        return errors;

        void Require(string? value, string setting)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{setting}: required.");
            }
        }

        void LeadOrganisation(string? id, string setting, bool required)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                if (required)
                {
                    errors.Add($"{setting}: required.");
                }

                return;
            }

            OrganisationProfile? o = Organisation(id);
            if (o is null || !o.Holds(OrganisationProfile.LeadRole) || !o.Holds(OrganisationProfile.CoordinatorRole))
            {
                errors.Add($"{setting}: \"{id}\" is not an organisation of the profile with the roles lead and coordinator.");
            }
        }

        static bool KnownRole(string role) => OrganisationProfile.KnownRoles.Contains(role, StringComparer.Ordinal);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}

/// <summary>The profile is invalid; the message names every setting at fault. The app does not start.</summary>
public sealed class InvalidCityProfileException(IReadOnlyList<string> errors)
    : InvalidOperationException("The city profile is invalid:" + string.Concat(errors.Select(e => Environment.NewLine + "  " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// The built-in profile documents (<c>profiles/*.json</c> at the repository root, embedded in this assembly) and the
/// layering: setting <c>City:Profile</c> names one (default <c>helsingborg</c>; <c>none</c> for a profile given wholly
/// by settings), whose values are the lowest layer under every other setting, so an app setting such as
/// <c>CasePolicy__ReflectionPeriod</c> or <c>City__Contact__Email</c> still overrides a single value.
/// </summary>
public static class CityProfiles
{
    public const string ProfileSetting = "City:Profile";
    public const string DefaultProfile = "helsingborg";
    public const string NoProfile = "none";
    const string ResourcePrefix = "profiles.";

    /// <summary>The names of the built-in profiles.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
    [
        .. typeof(CityProfiles).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".json".Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The configuration with the chosen built-in profile beneath it.</summary>
    public static IConfiguration Layered(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string name = configuration[ProfileSetting] is { Length: > 0 } chosen ? chosen.Trim() : DefaultProfile;
        if (name == NoProfile)
        {
            return configuration;
        }

        Stream document = typeof(CityProfiles).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")
            ?? throw new InvalidCityProfileException([$"{ProfileSetting}: \"{name}\" is not a built-in profile ({string.Join(", ", BuiltIn)}, or {NoProfile})."]);
        using (document)
        {
            // The stream is read while building, so it may be disposed afterwards.
            return new ConfigurationBuilder().AddJsonStream(document).AddConfiguration(configuration).Build();
        }
    }

    /// <summary>The profile of a layered configuration, validated; throws <see cref="InvalidCityProfileException"/>.</summary>
    public static CityProfile Read(IConfiguration layered)
    {
        ArgumentNullException.ThrowIfNull(layered);
        CityProfile profile = layered.GetSection(CityProfile.SectionName).Get<CityProfile>() ?? new CityProfile();
        var errors = new List<string>(profile.Validate());
        try
        {
            var policy = layered.GetSection(Lifecycle.CasePolicy.SectionName).Get<Lifecycle.CasePolicy>() ?? new Lifecycle.CasePolicy();
            errors.AddRange(policy.Validate().Select(name => $"{Lifecycle.CasePolicy.SectionName}:{name}: out of range."));
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the setting whose value is not a number or a time span.
            errors.Add(e.Message);
        }
        if (layered["Outreach:WeekParity"] is { } parity && parity is not ("even" or "odd"))
        {
            errors.Add($"Outreach:WeekParity: \"{parity}\" must be even or odd.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidCityProfileException(errors);
        }

        return profile;
    }

    /// <summary>
    /// The API keys that act for an organisation of the profile, each without a partner or coordinator role its
    /// organisation may not hold; <paramref name="ignored"/> says which keys were left out or cut, and why (ids only).
    /// Keys are not part of the profile: the sample settings carry demo keys for every built-in profile, and a key of
    /// another city's organisation simply cannot sign in here.
    /// </summary>
    public static IReadOnlyList<ApiKeyOptions> UsableKeys(CityProfile profile, IReadOnlyList<ApiKeyOptions> keys, out IReadOnlyList<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(keys);
        var usable = new List<ApiKeyOptions>();
        var notes = new List<string>();
        foreach (ApiKeyOptions key in keys)
        {
            OrganisationProfile? organisation = profile.Organisation(key.Organisation);
            if (organisation is null)
            {
                notes.Add($"{key.Id}: {key.Organisation} is not an organisation of the city profile; the key is not loaded.");
                continue;
            }

            List<string> refused = [.. key.Roles.Where(r => (r is OrganisationProfile.PartnerRole or OrganisationProfile.CoordinatorRole) && !organisation.Holds(r))];
            if (refused.Count > 0)
            {
                notes.Add($"{key.Id}: {organisation.Id} may not hold the role {string.Join(", ", refused)} (City:Organisations); the key acts without it.");
            }

            usable.Add(new ApiKeyOptions { Id = key.Id, Sha256 = key.Sha256, Organisation = key.Organisation, Name = key.Name, Roles = [.. key.Roles.Except(refused, StringComparer.Ordinal)] });
        }

        ignored = notes;
        return usable;
    }
}

/// <summary>Says at start-up which profile runs and which API keys it could not use (key ids and organisations only).</summary>
public sealed partial class CityProfileReport(CityProfile profile, IReadOnlyList<string> ignoredKeys, ILogger<CityProfileReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogProfile(logger, profile.Id, profile.Organisations.Count, profile.Municipalities.Count);
        foreach (string note in ignoredKeys)
        {
            LogIgnoredKey(logger, note);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "City profile {City}: {Organisations} organisations, {Municipalities} municipalities")]
    static partial void LogProfile(ILogger logger, string city, int organisations, int municipalities);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key {Note}")]
    static partial void LogIgnoredKey(ILogger logger, string note);
}

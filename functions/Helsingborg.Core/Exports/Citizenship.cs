using System.Collections.Frozen;

namespace Helsingborg.Exports;

/// <summary>
/// Citizenship for the national export: an ISO 3166-1 alpha-2 country code and the two coarser levels the
/// export generalises it to when a group is small (docs/national-export.md). A region says where the person
/// belongs from the point of view of a Swedish follow-up: Sweden itself, another EU/EEA state, or a part of the
/// world outside it (the UN M49 continents, Europe split at the EU/EEA border). Only codes listed here are
/// stored: an intake's citizenship is checked for form only, so anything else counts as unknown.
/// </summary>
public static class Citizenship
{
    /// <summary>The home country: the export's own group at every level.</summary>
    public const string HomeCountry = "SE";

    public const string Unknown = "unknown";

    public const string Sweden = "sweden";
    public const string EuEea = "eu-eea";
    public const string EuropeOther = "europe-other";
    public const string Africa = "africa";
    public const string Americas = "americas";
    public const string Asia = "asia";
    public const string Oceania = "oceania";
    public const string OutsideEuEea = "outside-eu-eea";

    /// <summary>The regions, in the order the export documents them.</summary>
    public static readonly IReadOnlyList<string> Regions = [Sweden, EuEea, EuropeOther, Africa, Americas, Asia, Oceania];

    // EU member states and the other EEA states (Iceland, Liechtenstein, Norway), with Åland (part of Finland).
    const string EuEeaCodes = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO AX";

    // The UN M49 continents, by ISO 3166-1 alpha-2 code (Taiwan with Asia). Antarctica belongs to none and counts as unknown.
    const string EuropeCodes = "AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB AX";
    const string AfricaCodes = "DZ EG LY MA SD TN EH IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG";
    const string AmericasCodes = "AI AG AR AW BS BB BZ BM BO BQ BV BR VG CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP GT GY HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX GS SR TT TC US UM VI UY VE";
    const string AsiaCodes = "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KP KR KW KG LA LB MO MY MV MN MM NP OM PK PS PH QA SA SG LK SY TW TJ TH TL TR TM AE UZ VN YE";
    const string OceaniaCodes = "AS AU CX CC CK FJ PF GU HM KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF";

    static readonly FrozenSet<string> EuEeaSet = Split(EuEeaCodes).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every country code the export knows, and its region.</summary>
    public static readonly FrozenDictionary<string, string> RegionOf = BuildRegions();

    /// <summary>The first recognised country code of a person's citizenship (as the partner listed them), else <see cref="Unknown"/>.</summary>
    public static string Of(IEnumerable<string>? codes)
    {
        foreach (string code in codes ?? [])
        {
            string upper = code.ToUpperInvariant();
            if (RegionOf.ContainsKey(upper))
            {
                return upper;
            }
        }

        return Unknown;
    }

    /// <summary>A stored value (a country code or <see cref="Unknown"/>) one level up: its region.</summary>
    public static string Region(string country) => RegionOf.GetValueOrDefault(country, Unknown);

    /// <summary>Two levels up: Sweden, another EU/EEA state, or outside the EU/EEA.</summary>
    public static string Broad(string country) => Region(country) switch
    {
        Sweden => Sweden,
        EuEea => EuEea,
        Unknown => Unknown,
        _ => OutsideEuEea,
    };

    static FrozenDictionary<string, string> BuildRegions()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string codes, string region) in new[] { (EuropeCodes, EuropeOther), (AfricaCodes, Africa), (AmericasCodes, Americas), (AsiaCodes, Asia), (OceaniaCodes, Oceania) })
        {
            foreach (string code in Split(codes))
            {
                regions[code] = code == HomeCountry ? Sweden : EuEeaSet.Contains(code) ? EuEea : region;
            }
        }

        return regions.ToFrozenDictionary(StringComparer.Ordinal);
    }

    internal static IEnumerable<string> Split(string codes) => codes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The code lists as written, for the test that no country is listed twice or missing from its continent.</summary>
    internal static IReadOnlyList<string> ContinentLists => [EuropeCodes, AfricaCodes, AmericasCodes, AsiaCodes, OceaniaCodes];

    internal static IEnumerable<string> EuEeaList => Split(EuEeaCodes);
}

namespace Helsingborg.Exports;

/// <summary>
/// Puts person groups' pseudonyms on the pooled cases of an export: each linked report on one case of the same month and
/// facts that has none yet. Pooled cases of one month and facts are alike in all the export shows, so which one carries
/// it changes nothing. Pure.
/// </summary>
public static class PersonGroupAssignment
{
    public static IReadOnlyList<ExportCase> Assign(IReadOnlyList<ExportCase> cases, IEnumerable<(int Year, int Month, CaseFacts Facts, string Group)> members)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(members);
        ExportCase[] result = [.. cases];
        foreach ((int year, int month, CaseFacts facts, string group) in members)
        {
            int at = Array.FindIndex(result, c => c.PersonGroup is null && c.Year == year && c.Month == month && c.Facts.Key == facts.Key);
            if (at >= 0)
            {
                result[at] = result[at] with { PersonGroup = group };
            }
        }

        return result;
    }
}

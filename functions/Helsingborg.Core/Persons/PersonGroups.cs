using System.Security.Cryptography;
using System.Text;
using Helsingborg.Statistics;

namespace Helsingborg.Persons;

/// <summary>A report of a group: its case id and the anonymous facts the statistics count it by.</summary>
public sealed record GroupMember(string CaseId, DateTimeOffset OpenedAt, string ReportedBy, string Municipality, bool PersonDocumented);

/// <summary>
/// Reports linked as one person (connected by same-person-as links), oldest first. Its <see cref="Id"/> is the smallest
/// case id of the group: it changes only when a link joins or splits groups, and says nothing of the person.
/// </summary>
public sealed record PersonGroup(IReadOnlyList<GroupMember> Members)
{
    public string Id => Members.Select(m => m.CaseId).Order(StringComparer.Ordinal).First();

    /// <summary>The group's first report: where and when the person counts.</summary>
    public GroupMember First => Members[0];
}

/// <summary>
/// The pure part of counting people rather than reports: the groups the link rows make, how the statistics' persons
/// counter moves for them, and the group's pseudonym in the national export. No storage, no clock.
/// </summary>
public static class PersonGroups
{
    /// <summary>The groups of two or more reports that the links make (a report without links is no group here).</summary>
    public static IReadOnlyList<PersonGroup> Of(IEnumerable<PersonLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var members = new Dictionary<string, GroupMember>(StringComparer.Ordinal);
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string id)
        {
            while (parent[id] != id)
            {
                parent[id] = parent[parent[id]];
                id = parent[id];
            }

            return id;
        }

        foreach (PersonLink link in links)
        {
            members[link.CaseId] = new GroupMember(link.CaseId, link.OpenedAt, link.ReportedBy, link.Municipality, link.PersonDocumented);
            parent.TryAdd(link.CaseId, link.CaseId);
            parent.TryAdd(link.Other, link.Other);
        }

        foreach (PersonLink link in links)
        {
            string a = Find(link.CaseId), b = Find(link.Other);
            if (a != b)
            {
                parent[string.CompareOrdinal(a, b) < 0 ? b : a] = string.CompareOrdinal(a, b) < 0 ? a : b;
            }
        }

        // A case whose own rows are missing (a half-written link) is known only as another's end: it is left out until written.
        return
        [
            .. members.Values.GroupBy(m => Find(m.CaseId), StringComparer.Ordinal)
                .Where(g => g.Count() > 1)
                .Select(g => new PersonGroup([.. g.OrderBy(m => m.OpenedAt).ThenBy(m => m.CaseId, StringComparer.Ordinal)]))
                .OrderBy(g => g.Id, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// Rows that move the persons counter of the period from reports to people: each report of a group received in the
    /// period takes back what it counted (1 when a person was described), and the group counts 1 in the cell (month,
    /// partner, municipality) of its first report, when that report was received in the period. Added to the aggregates,
    /// a group counts once, and every other figure still counts reports.
    /// </summary>
    public static IReadOnlyList<FigureRow> Corrections(IReadOnlyList<PersonGroup> groups, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(groups);
        bool InPeriod(GroupMember m) => DateOnly.FromDateTime(m.OpenedAt.UtcDateTime) is var day && day >= from && day <= to;
        FigureRow Row(GroupMember m, long persons) => new(
            StatisticsStore.MonthOf(m.OpenedAt), m.ReportedBy, m.Municipality, m.OpenedAt,
            new Dictionary<string, long>(StringComparer.Ordinal) { [CaseFigures.Persons] = persons });
        var rows = new List<FigureRow>();
        foreach (PersonGroup group in groups)
        {
            rows.AddRange(group.Members.Where(m => InPeriod(m) && m.PersonDocumented).Select(m => Row(m, -1)));
            if (InPeriod(group.First))
            {
                rows.Add(Row(group.First, 1));
            }
        }

        return rows;
    }

    /// <summary>
    /// The group's pseudonym in the national export: HMAC-SHA256 of its id under the export's key, 16 hex digits. Without
    /// the key nobody can tell which cases it stands for, and the same group has the same pseudonym in every export.
    /// </summary>
    public static string Pseudonym(string groupId, byte[] key)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(groupId)))[..16];
    }
}

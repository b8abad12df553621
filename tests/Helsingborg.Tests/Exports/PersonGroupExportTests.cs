using System.Text;
using Helsingborg.Exports;
using Helsingborg.Intake;
using Helsingborg.Persons;
using static Helsingborg.Tests.Exports.ExportSeed;

namespace Helsingborg.Tests.Exports;

/// <summary>The national export's <c>personGroup</c>: a keyed pseudonym of reports linked as one person, only where the small-group rule lets it through.</summary>
[Trait("Category", "Unit")]
public sealed class PersonGroupExportTests
{
    static readonly byte[] Key = Encoding.UTF8.GetBytes("a test key for person group pseudonyms, 32+ chars");

    /// <summary>Ten alike cases of March, the first <paramref name="groups"/> pairs of them each one person.</summary>
    static List<ExportCase> Pairs(int groups) =>
        [.. Enumerable.Range(0, 10).Select(i => new ExportCase(Year, 3, Facts(), i / 2 < groups ? PersonGroups.Pseudonym($"c_group{i / 2}", Key) : null))];

    [Fact]
    public void Five_people_reported_twice_each_keep_their_pseudonym_on_both_records()
    {
        ProtectedExport export = SmallGroups.Protect(Pairs(groups: 5), 5);

        Assert.Equal(10, export.Exported);
        Assert.Equal(5, export.Records.Select(r => r.PersonGroup).Distinct().Count());
        Assert.All(export.Records.GroupBy(r => r.PersonGroup), g => Assert.Equal(2, g.Count()));
        Assert.All(export.Records, r => Assert.Matches("^[0-9a-f]{16}$", r.PersonGroup!));
        Assert.Equal("personGroup", ExportRecord.Columns[^1]);
        Assert.Equal(export.Records[0].PersonGroup, export.Records[0].Cells()[^1]);
    }

    [Fact]
    public void Fewer_people_reported_more_than_once_than_k_get_no_pseudonym_at_all()
    {
        ProtectedExport export = SmallGroups.Protect(Pairs(groups: 2), 5);

        Assert.Equal(10, export.Exported);
        Assert.All(export.Records, r => Assert.Null(r.PersonGroup));
        Assert.All(export.Records, r => Assert.Equal(string.Empty, r.Cells()[^1]));
    }

    [Fact]
    public void A_group_whose_other_record_is_suppressed_loses_its_pseudonym_and_with_it_the_last_group_needed()
    {
        List<ExportCase> cases = Pairs(groups: 5);
        // The fifth person's second report is a lone case (a child from Sweden in November): suppressed.
        cases[9] = new ExportCase(Year, 11, Facts("social-welfare", Suspicion.Trafficking, age: "9--17", citizenship: "SE"), cases[9].PersonGroup);

        ProtectedExport export = SmallGroups.Protect(cases, 5);

        Assert.Equal(1, export.Suppressed);
        Assert.All(export.Records, r => Assert.Null(r.PersonGroup));
    }

    [Fact]
    public void A_linked_reports_pseudonym_goes_on_one_pooled_case_of_its_month_and_facts()
    {
        ExportCase[] pooled = [new(Year, 3, Facts()), new(Year, 3, Facts()), new(Year, 4, Facts())];

        IReadOnlyList<ExportCase> assigned = PersonGroupAssignment.Assign(pooled, [(Year, 3, Facts(), "g1"), (Year, 4, Facts(), "g1"), (Year, 5, Facts(), "g1")]);

        Assert.Equal(["g1", null, "g1"], assigned.Select(c => c.PersonGroup));
    }

    [Fact]
    public void The_pseudonym_is_stable_for_a_group_and_says_nothing_without_the_key()
    {
        string once = PersonGroups.Pseudonym("c_abc", Key);

        Assert.Equal(once, PersonGroups.Pseudonym("c_abc", Key));
        Assert.NotEqual(once, PersonGroups.Pseudonym("c_abd", Key));
        Assert.NotEqual(once, PersonGroups.Pseudonym("c_abc", Encoding.UTF8.GetBytes("another key for person group pseudonyms, 32+")));
        Assert.DoesNotContain("abc", once, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.PersonHints;

/// <summary>
/// Possibly the same person (issue 23; api.md, data-protection.md rule 9): two reports of one person are suggested to
/// each other by their keyed hashes, only to coordinators who may see both, never after erasure, and neither the alias
/// nor the contact is stored in clear.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class PossiblySamePersonTests(SharedHost fixture)
{
    /// <summary>An alias and a phone number no other test uses, written in two ways that must match.</summary>
    sealed record Person(string Alias, string Phone)
    {
        public static Person New()
        {
            string token = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
            string digits = string.Concat(Guid.NewGuid().ToByteArray().Take(7).Select(b => (char)('0' + (b % 10))));
            return new Person($"Kanarie{token}", $"+46 70 {digits[..3]} {digits[3..5]} {digits[5..]}");
        }

        /// <summary>The phone number in its national form (<c>070-…</c>), as another partner may write it.</summary>
        public string NationalPhone => "070-" + string.Concat(Phone[7..].Where(char.IsAsciiDigit));

        public object Intake(string wantsAuthorityContact = "unknown", bool otherWriting = false) => Intakes.Valid(
            wantsAuthorityContact: wantsAuthorityContact,
            person: new
            {
                alias = otherWriting ? $"  {Alias.ToLowerInvariant()} " : Alias,
                estimatedAge = 24,
                gender = "female",
                contact = otherWriting ? NationalPhone : Phone,
            });
    }

    TestHost Host => fixture.Host;

    async Task<List<JsonElement>> SuggestionsAsync(string caseId, string key = TestHost.CoordinatorKey) =>
        [.. (await Host.GetJsonAsync($"api/cases/{caseId}/possibly-same-person", key)).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task Two_intakes_of_the_same_alias_and_contact_are_suggested_to_each_other_and_a_third_is_not()
    {
        var person = Person.New();
        string first = await Host.SubmitIntakeAsync(person.Intake());
        string second = await Host.SubmitIntakeAsync(person.Intake(otherWriting: true));
        string other = await Host.SubmitIntakeAsync(Person.New().Intake());

        JsonElement suggested = Assert.Single(await SuggestionsAsync(first));
        Assert.Equal(second, suggested.GetProperty("caseId").GetString());
        Assert.Equal(["alias", "contact"], suggested.GetProperty("matched").EnumerateArray().Select(m => m.GetString()));
        JsonElement secondCase = await Host.GetJsonAsync($"api/cases/{second}");
        Assert.Equal(secondCase.GetProperty("reference").GetString(), suggested.GetProperty("reference").GetString());
        Assert.Equal(secondCase.GetProperty("reportedBy").GetString(), suggested.GetProperty("reportedBy").GetString());
        Assert.Equal(secondCase.GetProperty("phase").GetString(), suggested.GetProperty("phase").GetString());
        Assert.Equal(secondCase.GetProperty("openedAt").GetDateTimeOffset(), suggested.GetProperty("openedAt").GetDateTimeOffset());
        Assert.False(suggested.TryGetProperty("person", out _));

        Assert.Equal([first], (await SuggestionsAsync(second)).Select(s => s.GetProperty("caseId").GetString()));
        Assert.Empty(await SuggestionsAsync(other));
    }

    [Fact]
    public async Task One_shared_detail_is_enough_and_says_which()
    {
        var person = Person.New();
        string first = await Host.SubmitIntakeAsync(person.Intake());
        string sameContact = await Host.SubmitIntakeAsync((person with { Alias = Person.New().Alias }).Intake());

        JsonElement suggested = Assert.Single(await SuggestionsAsync(first));
        Assert.Equal(sameContact, suggested.GetProperty("caseId").GetString());
        Assert.Equal(["contact"], suggested.GetProperty("matched").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Neither_the_alias_nor_the_contact_is_stored_in_clear()
    {
        var person = Person.New();
        string first = await Host.SubmitIntakeAsync(person.Intake());
        string second = await Host.SubmitIntakeAsync(person.Intake(otherWriting: true));
        Assert.Single(await SuggestionsAsync(first));

        // The hints are there (so the scan is of a case that has them) ...
        var storage = fixture.Get<CaseStorage>();
        Assert.Equal(2, storage.Table(CaseStorage.PersonHintsTable).Query<TableEntity>(e => e.RowKey == second).Count());

        // ... and no table, queue or blob holds the alias or the phone number, as written or normalised.
        string[] values = [person.Alias, person.Phone, person.NationalPhone, string.Concat(person.NationalPhone.Where(char.IsAsciiDigit)), person.Phone.Replace(" ", "", StringComparison.Ordinal)];
        IReadOnlyList<string> hits = await StorageScan.FindAsync(await TestStorage.ConnectionStringAsync(), values);
        Assert.Empty(hits);
        Assert.DoesNotContain(Host.Logs.Lines, line => values.Any(v => line.Contains(v, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task A_coordinator_who_may_not_see_a_case_is_not_suggested_it()
    {
        var person = Person.New();
        string open = await Host.SubmitIntakeAsync(person.Intake());
        // Led without the authorities from the first minute: only that organisation's coordinators see it.
        string withoutAuthorities = await Host.SubmitIntakeAsync(person.Intake(wantsAuthorityContact: "no"));

        Assert.Empty(await SuggestionsAsync(open, TestHost.CoordinatorKey));
        using (HttpResponseMessage hidden = await Host.SendAsync(HttpMethod.Get, $"api/cases/{withoutAuthorities}/possibly-same-person", TestHost.CoordinatorKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        Assert.Equal([withoutAuthorities], (await SuggestionsAsync(open, TestHost.SalvationArmyKey)).Select(s => s.GetProperty("caseId").GetString()));
        Assert.Equal([open], (await SuggestionsAsync(withoutAuthorities, TestHost.SalvationArmyKey)).Select(s => s.GetProperty("caseId").GetString()));
    }

    [Fact]
    public async Task An_erased_case_is_suggested_no_more_and_its_hints_are_gone()
    {
        var person = Person.New();
        string kept = await Host.SubmitIntakeAsync(person.Intake());
        string erased = await Host.SubmitIntakeAsync(person.Intake(otherWriting: true));
        Assert.Single(await SuggestionsAsync(kept));

        await Host.RecordAsync(erased, new { type = "consent-withdrawn" });
        await Host.WaitForCaseAsync(erased, c => c.GetProperty("erased").GetBoolean(), "consent withdrawal to erase the case");

        Assert.Empty(await SuggestionsAsync(kept));
        Assert.Empty(await SuggestionsAsync(erased));
        TableClient hints = fixture.Get<CaseStorage>().Table(CaseStorage.PersonHintsTable);
        string own = "case|" + erased;
        Assert.Empty(hints.Query<TableEntity>(e => e.RowKey == erased || e.PartitionKey == own));
        Assert.Equal(2, hints.Query<TableEntity>(e => e.RowKey == kept).Count());
    }
}

using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.DataProtection;

/// <summary>Erased stays erased (issue 11, 1): after consent is withdrawn, nothing personal can be written to the case again.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class ErasureTests(SharedHost fixture)
{
    [Fact]
    public async Task A_note_for_an_erased_case_is_refused_and_creates_no_data_key()
    {
        TestHost host = fixture.Host;
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        await host.RecordAsync(caseId, new { type = "consent-withdrawn" });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("erased").GetBoolean() && c.GetProperty("phase").GetString() == "closed", "consent withdrawal to erase the case");

        using HttpResponseMessage refused = await host.PostEventAsync(caseId, new { type = "evaluation-recorded", outcome = "unknown", note = "She called from a new number." });
        string body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("note", out _), body);

        var storage = (CaseStorage)host.Services.GetService(typeof(CaseStorage))!;
        Assert.Empty(storage.Table(CaseStorage.DataKeysTable).Query<TableEntity>(e => e.PartitionKey == caseId));
        Assert.Empty(storage.Table(CaseStorage.SecretsTable).Query<TableEntity>(e => e.PartitionKey == caseId));

        // The event itself, without a note, is still recorded.
        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "unknown" });
        await host.WaitForPhaseAsync(caseId, "completed");
        Assert.Empty(storage.Table(CaseStorage.DataKeysTable).Query<TableEntity>(e => e.PartitionKey == caseId));
    }
}

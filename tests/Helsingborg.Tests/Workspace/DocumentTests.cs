using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

[Collection(SharedHostCollection.Name)]
public sealed class DocumentTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];
    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    async Task<HttpResponseMessage> UploadRawAsync(string caseId, byte[] content, string contentType, string? fileName, string key = TestHost.CoordinatorKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{caseId}/documents") { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Api-Key", key);
        if (fileName is not null)
        {
            request.Headers.Add("X-File-Name", Uri.EscapeDataString(fileName));
        }

        return await Host.Client.SendAsync(request);
    }

    static async Task<string> DocumentIdAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("documentId").GetString()!;
    }

    [Fact]
    public async Task A_raw_upload_lists_and_downloads_with_its_type_and_name()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        string documentId = await DocumentIdAsync(await UploadRawAsync(caseId, Pdf, "application/pdf", "Förhör Maria.pdf"));

        JsonElement list = await Host.GetJsonAsync($"api/cases/{caseId}/documents");
        JsonElement item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(documentId, item.GetProperty("documentId").GetString());
        Assert.Equal("Förhör Maria.pdf", item.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", item.GetProperty("contentType").GetString());
        Assert.Equal(Pdf.Length, item.GetProperty("size").GetInt64());

        using HttpResponseMessage download = await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/documents/{documentId}", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("Förhör Maria.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task A_multipart_upload_of_a_png_is_accepted()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "photo.png");
        using HttpRequestMessage request = Host.Request(HttpMethod.Post, $"api/cases/{caseId}/documents", TestHost.CoordinatorKey);
        request.Content = form;
        string documentId = await DocumentIdAsync(await Host.Client.SendAsync(request));

        using HttpResponseMessage download = await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/documents/{documentId}", TestHost.CoordinatorKey);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("application/pdf", "not a pdf at all")]
    [InlineData("image/png", "%PDF-1.4 pretending")]
    [InlineData("text/plain", "%PDF-1.4 a pdf called text")]
    [InlineData("application/zip", "PK\u0003\u0004")]
    public async Task Content_that_is_not_what_the_header_says_is_refused_with_415(string contentType, string content)
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        using HttpResponseMessage response = await UploadRawAsync(caseId, Encoding.UTF8.GetBytes(content), contentType, "x.bin");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Text_with_a_nul_or_invalid_utf8_is_not_text()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        using HttpResponseMessage nul = await UploadRawAsync(caseId, [0x61, 0x00, 0x62], "text/plain", "a.txt");
        using HttpResponseMessage invalid = await UploadRawAsync(caseId, [0x61, 0xC3, 0x28], "text/plain", "a.txt");
        using HttpResponseMessage valid = await UploadRawAsync(caseId, Encoding.UTF8.GetBytes("Åsa träffade oss i går."), "text/plain; charset=utf-8", "a.txt");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, nul.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
    }

    [Fact]
    public async Task A_document_over_10_MiB_is_refused_with_413_and_one_without_a_name_with_400()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        byte[] big = new byte[(10 * 1024 * 1024) + 1];
        Pdf.CopyTo(big, 0);
        using HttpResponseMessage tooBig = await UploadRawAsync(caseId, big, "application/pdf", "big.pdf");
        using HttpResponseMessage nameless = await UploadRawAsync(caseId, Pdf, "application/pdf", null);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Contains("fileName", await nameless.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Documents_are_stored_sealed_and_are_gone_after_erasure()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        string secret = "Canary document " + Guid.NewGuid().ToString("N");
        string fileName = "Canary-name-" + Guid.NewGuid().ToString("N") + ".txt";
        string documentId = await DocumentIdAsync(await UploadRawAsync(caseId, Encoding.UTF8.GetBytes(secret), "text/plain", fileName));

        BlobContainerClient container = fixture.Get<CaseStorage>().Documents;
        BlobClient blob = container.GetBlobClient($"{caseId}/{documentId}");
        var stored = await blob.DownloadContentAsync();
        string raw = Encoding.UTF8.GetString(stored.Value.Content.ToArray());
        Assert.DoesNotContain(secret, raw);
        Assert.DoesNotContain(fileName, string.Join("|", stored.Value.Details.Metadata.Values));
        Assert.DoesNotContain(fileName, raw);

        await Host.RecordAsync(caseId, new { type = "consent-withdrawn" });
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("erased").GetBoolean(), "the case to be erased");

        Assert.False((await blob.ExistsAsync()).Value);
        JsonElement list = await Host.GetJsonAsync($"api/cases/{caseId}/documents");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
        using HttpResponseMessage download = await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/documents/{documentId}", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        using HttpResponseMessage upload = await UploadRawAsync(caseId, Pdf, "application/pdf", "late.pdf");
        Assert.Equal(HttpStatusCode.Conflict, upload.StatusCode);
    }

    [Fact]
    public async Task A_document_moved_to_another_case_does_not_open()
    {
        string first = await Host.SubmitIntakeAsync(Intakes.Valid());
        string second = await Host.SubmitIntakeAsync(Intakes.Valid());
        string documentId = await DocumentIdAsync(await UploadRawAsync(first, Pdf, "application/pdf", "a.pdf"));
        BlobContainerClient container = fixture.Get<CaseStorage>().Documents;
        var original = await container.GetBlobClient($"{first}/{documentId}").DownloadContentAsync();
        await container.GetBlobClient($"{second}/{documentId}").UploadAsync(original.Value.Content, new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = original.Value.Details.Metadata });

        using HttpResponseMessage moved = await Host.SendAsync(HttpMethod.Get, $"api/cases/{second}/documents/{documentId}", TestHost.CoordinatorKey);

        Assert.Equal(HttpStatusCode.InternalServerError, moved.StatusCode);
        Assert.Equal("application/problem+json", moved.Content.Headers.ContentType?.MediaType);
        string body = await moved.Content.ReadAsStringAsync();
        Assert.Equal("Stored data failed its integrity check.", JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
        Assert.DoesNotContain("%PDF", body);
    }
}

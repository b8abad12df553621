using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Intake;

/// <summary>
/// A corpus of hostile intakes, generated here: every one is answered 4xx (never 5xx), none opens a case, and
/// no value sent is repeated in a response or a log line. Each value carries a marker unique to this run.
/// </summary>
[Collection(IntakeHostCollection.Name)]
public sealed class HostileIntakeTests(IntakeHost fixture)
{
    static readonly string Run = "HM" + Guid.NewGuid().ToString("N")[..10];
    static int counter;

    /// <summary>One hostile request: what it tries, its body bytes, its media type and headers.</summary>
    public sealed record Hostile(string Name, byte[]? Body, string? MediaType, string? Key, IReadOnlyList<(string Name, string Value)> Headers, bool Chunked = false);

    static string Marker() => $"{Run}x{Interlocked.Increment(ref counter)}";

    static JsonObject Valid() => new()
    {
        ["municipality"] = "helsingborg",
        ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        ["placeType"] = "hotel",
        ["location"] = "Room " + Marker(),
        ["suspicion"] = "trafficking",
        ["description"] = "Seen " + Marker(),
        ["policeNotified"] = true,
        ["policeReference"] = "K" + Marker(),
        ["person"] = new JsonObject { ["alias"] = "Alias" + Marker(), ["estimatedAge"] = 20, ["contact"] = "Phone " + Marker() },
        ["reporterContact"] = "Reporter " + Marker(),
    };

    static JsonObject With(Action<JsonObject> change)
    {
        JsonObject body = Valid();
        change(body);
        return body;
    }

    static JsonObject Person(JsonObject body) => body["person"]!.AsObject();

    static Hostile JsonBody(string name, string json, string? key = null) => new(name, Encoding.UTF8.GetBytes(json), "application/json", key, []);

    static Hostile Bytes(string name, byte[] body, string mediaType = "application/json") => new(name, body, mediaType, null, []);

    static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static IEnumerable<Hostile> Corpus()
    {
        string valid = Valid().ToJsonString();

        // Truncated JSON.
        foreach (int cut in new[] { 0, 1, 2, 5, 10, 17, 30, 45, 60, 80, 100, 150, 200, 250, 300, valid.Length / 2, valid.Length - 10, valid.Length - 3, valid.Length - 2, valid.Length - 1 })
        {
            yield return JsonBody($"truncated at {cut}", valid[..Math.Min(cut, valid.Length - 1)]);
        }

        // Not JSON, or not a JSON object.
        string m = Marker();
        foreach (string text in new[]
        {
            " ", "\n\t", "null", "true", "0", "-1", "1e400", $"\"{m}\"", "[]", "[{}]", "{", "}", "{}", "{\"municipality\":}", $"{{'description':'{m}'}}",
            $"{{\"description\":\"{m}\",}}", $"{{\"description\":\"{m}\" \"location\":1}}", $"{{\"description\":NaN}}", $"/* {m} */ {{}}", $"{{\"description\":\"{m}\"}} trailing",
            $"{{\"description\":\"{m}\"}}{{}}", "{\"description\":\"unterminated", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", $"{{\"description\":\"{m}\u0001\"}}",
            $"[{valid}]", $"[[{valid}]]", $"{{\"intake\":{valid}}}",
        })
        {
            yield return JsonBody("not an intake object: " + text[..Math.Min(20, text.Length)], text);
        }

        // Wrong types, field by field.
        string[] strings = ["municipality", "observedAt", "placeType", "suspicion", "description", "location", "policeReference", "wantsSupport", "wantsAuthorityContact", "reporterContact", "outreachSessionId"];
        foreach (string field in strings)
        {
            foreach (JsonNode wrong in new JsonNode[] { 12345, true, new JsonArray(Marker()), new JsonObject { ["v"] = Marker() } })
            {
                yield return JsonBody($"{field} as {wrong.GetValueKind()}", With(b => b[field] = wrong.DeepClone()).ToJsonString());
            }
        }

        foreach (string field in new[] { "alias", "contact", "gender" })
        {
            foreach (JsonNode wrong in new JsonNode[] { 7, false, new JsonArray(Marker()), new JsonObject { ["v"] = Marker() } })
            {
                yield return JsonBody($"person.{field} as {wrong.GetValueKind()}", With(b => Person(b)[field] = wrong.DeepClone()).ToJsonString());
            }
        }

        foreach (JsonNode wrong in new JsonNode[] { 1, "true", Marker(), new JsonArray(true), new JsonObject() })
        {
            yield return JsonBody($"policeNotified as {wrong.GetValueKind()}", With(b => b["policeNotified"] = wrong.DeepClone()).ToJsonString());
            yield return JsonBody($"person.isMinor as {wrong.GetValueKind()}", With(b => Person(b)["isMinor"] = wrong.DeepClone()).ToJsonString());
        }

        foreach (JsonNode wrong in new JsonNode[] { "20", Marker(), 20.5, new JsonArray(20), true })
        {
            yield return JsonBody($"person.estimatedAge as {wrong.GetValueKind()}", With(b => Person(b)["estimatedAge"] = wrong.DeepClone()).ToJsonString());
        }

        foreach (JsonNode wrong in new JsonNode[] { "ro", Marker(), new JsonArray(1), new JsonArray(new JsonArray("ro")), new JsonObject { ["ro"] = true } })
        {
            yield return JsonBody($"person.languages as {wrong.GetValueKind()}", With(b => Person(b)["languages"] = wrong.DeepClone()).ToJsonString());
            yield return JsonBody($"person.citizenship as {wrong.GetValueKind()}", With(b => Person(b)["citizenship"] = wrong.DeepClone()).ToJsonString());
        }

        foreach (JsonNode wrong in new JsonNode[] { Marker(), 1, true, new JsonArray(new JsonObject { ["alias"] = Marker() }) })
        {
            yield return JsonBody($"person as {wrong.GetValueKind()}", With(b => b["person"] = wrong.DeepClone()).ToJsonString());
        }

        // Required fields missing or null.
        foreach (string field in new[] { "municipality", "observedAt", "placeType", "suspicion", "description", "policeNotified" })
        {
            yield return JsonBody($"{field} missing", With(b => b.Remove(field)).ToJsonString());
            yield return JsonBody($"{field} null", With(b => b[field] = null).ToJsonString());
        }

        yield return JsonBody("description blank", With(b => b["description"] = "   \n ").ToJsonString());
        yield return JsonBody("description empty", With(b => b["description"] = string.Empty).ToJsonString());

        // Out of range.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach (string time in new[]
        {
            now.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), now.AddYears(-1).AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), "2026-13-01T00:00:00Z",
            "2026-02-30T10:00:00+01:00", "2026-01-01T00:00:00", "2026-01-01", "yesterday " + Marker(), "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-01T25:00:00Z",
        })
        {
            yield return JsonBody($"observedAt {time[..Math.Min(12, time.Length)]}", With(b => b["observedAt"] = time).ToJsonString());
        }

        foreach (JsonNode age in new JsonNode[] { -1, 121, 2147483648L, -2147483649L, 1e10, 1e300 })
        {
            yield return JsonBody($"estimatedAge {age.ToJsonString()}", With(b => Person(b)["estimatedAge"] = age.DeepClone()).ToJsonString());
        }

        foreach ((string field, string value) in new[]
        {
            ("municipality", "malmo"), ("municipality", "Helsingborg"), ("municipality", Marker()), ("placeType", "Hotel"), ("placeType", "HOTEL"),
            ("suspicion", "Trafficking"), ("suspicion", Marker()), ("wantsSupport", "maybe"), ("wantsAuthorityContact", "YES"),
        })
        {
            yield return JsonBody($"{field} '{value[..Math.Min(10, value.Length)]}'", With(b => b[field] = value).ToJsonString());
        }

        yield return JsonBody("gender outside the list", With(b => Person(b)["gender"] = "Female").ToJsonString());
        yield return JsonBody("eleven languages", With(b => Person(b)["languages"] = new JsonArray(Enumerable.Range(0, 11).Select(_ => (JsonNode?)"en").ToArray())).ToJsonString());
        yield return JsonBody("language in capitals", With(b => Person(b)["languages"] = new JsonArray("RO")).ToJsonString());
        yield return JsonBody("language of four letters", With(b => Person(b)["languages"] = new JsonArray("rone")).ToJsonString());
        yield return JsonBody("six citizenships", With(b => Person(b)["citizenship"] = new JsonArray(Enumerable.Range(0, 6).Select(_ => (JsonNode?)"SE").ToArray())).ToJsonString());
        yield return JsonBody("citizenship lower case", With(b => Person(b)["citizenship"] = new JsonArray("ro")).ToJsonString());
        yield return JsonBody("citizenship alpha-3", With(b => Person(b)["citizenship"] = new JsonArray("ROU")).ToJsonString());

        // Overlong strings.
        foreach ((string field, int max) in new[] { ("municipality", 50), ("location", 200), ("description", 4000), ("policeReference", 50), ("reporterContact", 200), ("outreachSessionId", 64) })
        {
            string mark = Marker();
            yield return JsonBody($"{field} over {max}", With(b => b[field] = mark + new string('x', max + 1 - mark.Length)).ToJsonString());
            yield return JsonBody($"{field} far over {max}", With(b => b[field] = mark + new string('y', 20_000)).ToJsonString());
        }

        foreach ((string field, int max) in new[] { ("alias", 100), ("contact", 200) })
        {
            string mark = Marker();
            yield return JsonBody($"person.{field} over {max}", With(b => Person(b)[field] = mark + new string('x', max + 1 - mark.Length)).ToJsonString());
        }

        // Deep nesting.
        foreach (int depth in new[] { 17, 64, 1000, 20_000 })
        {
            yield return JsonBody($"person nested {depth} deep", valid.Replace("\"person\":{", "\"person\":" + string.Concat(Enumerable.Repeat("{\"person\":", depth)) + "{", StringComparison.Ordinal) + new string('}', depth));
            yield return JsonBody($"array nested {depth} deep", $"{{\"description\":{new string('[', depth)}\"{Marker()}\"{new string(']', depth)}}}");
        }

        // Invalid UTF-8, escaped lone surrogates, control characters.
        foreach (byte[] bad in new[]
        {
            new byte[] { 0xFF }, [0xFE, 0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80],
        })
        {
            string mark = Marker();
            yield return Bytes($"invalid UTF-8 {Convert.ToHexString(bad)} in a value", Concat(Utf8(valid.Replace("\"description\":\"", "\"description\":\"" + mark, StringComparison.Ordinal)[..^1]), Utf8(",\"location\":\"" + mark), bad, Utf8("\"}")));
            yield return Bytes($"invalid UTF-8 {Convert.ToHexString(bad)} in a form", Concat(Utf8("municipality=helsingborg&description=" + mark), bad), "application/x-www-form-urlencoded");
        }

        yield return Bytes("invalid UTF-8 in a field name", Concat(Utf8(valid[..^1] + ",\""), [0xFF, 0xFE], Utf8("\":1}")));
        foreach (string escape in new[] { "\\ud800", "\\udfff", "\\ud800\\u0041", "\\udc00\\ud800" })
        {
            yield return JsonBody($"lone surrogate {escape} in a value", valid.Replace("\"description\":\"", "\"description\":\"" + Marker() + escape, StringComparison.Ordinal));
            yield return JsonBody($"lone surrogate {escape} in a name", valid[..^1] + $",\"{escape}{Marker()}\":1}}");
        }

        foreach (char control in new[] { '\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009f' })
        {
            yield return JsonBody($"control U+{(int)control:X4} in description", With(b => b["description"] = Marker() + control + "x").ToJsonString());
            yield return JsonBody($"control U+{(int)control:X4} in alias", With(b => Person(b)["alias"] = Marker() + control).ToJsonString());
        }

        // Oversized bodies, with and without a length.
        foreach (int size in new[] { 64 * 1024 + 1, 100 * 1024, 1024 * 1024 })
        {
            string mark = Marker();
            yield return JsonBody($"body of {size} bytes", With(b => b["description"] = mark + new string('z', size)).ToJsonString());
        }

        yield return new Hostile("chunked body of 200 KiB", Utf8(With(b => b["description"] = Marker() + new string('z', 200 * 1024)).ToJsonString()), "application/json", null, [], Chunked: true);
        yield return new Hostile("chunked form of 100 KiB", Utf8("description=" + Marker() + new string('z', 100 * 1024)), "application/x-www-form-urlencoded", null, [], Chunked: true);

        // Wrong media types.
        foreach (string? type in new[] { null, "text/plain", "application/xml", "text/html", "multipart/form-data; boundary=b", "application/octet-stream", "image/png", "application/json; charset=utf-16", "application/jsonx", "json", "text/json; charset=iso-8859-1" })
        {
            yield return new Hostile($"media type {type ?? "none"}", Utf8(Valid().ToJsonString()), type, null, []);
        }

        yield return new Hostile("JSON sent as a form", Utf8(Valid().ToJsonString()), "application/x-www-form-urlencoded", null, []);

        // Missing and wrong keys, with a valid body.
        foreach (string? key in new[] { "", "not-a-key", Marker(), "demo-statistics", "demo-admin", "DEMO-PARTNER-HOTEL", "demo-partner-hotelx", new string('k', 8000), "demo%2Dpartner%2Dhotel" })
        {
            yield return new Hostile($"key '{(key ?? "none")[..Math.Min(12, (key ?? "none").Length)]}'", Utf8(Valid().ToJsonString()), "application/json", key ?? string.Empty, []);
        }

        // Duplicate fields.
        foreach (string field in new[] { "municipality", "description", "policeNotified", "person" })
        {
            yield return JsonBody($"{field} given twice", valid[..^1] + $",\"{field}\":{Valid()[field]!.ToJsonString()}}}");
        }

        yield return JsonBody("person.alias given twice", valid.Replace("\"person\":{", $"\"person\":{{\"alias\":\"{Marker()}\",", StringComparison.Ordinal));
        yield return Bytes("form field given twice", Utf8($"municipality=helsingborg&municipality=bjuv&description={Marker()}&placeType=hotel&suspicion=both&policeNotified=true&observedAt={Uri.EscapeDataString(now.AddHours(-1).ToString("O"))}"), "application/x-www-form-urlencoded");

        // Unknown fields, among them attempts to name the partner or the case.
        foreach (string field in new[] { "reportedBy", "organisation", "caseId", "__proto__", "constructor", "Municipality", "phase", "person.alias", $"{Marker()} with spaces", "" })
        {
            yield return JsonBody($"unknown field '{field[..Math.Min(12, field.Length)]}'", valid[..^1] + $",\"{field}\":\"{Marker()}\"}}");
        }

        yield return JsonBody("unknown person field", valid.Replace("\"person\":{", $"\"person\":{{\"ssn\":\"{Marker()}\",", StringComparison.Ordinal));
        yield return JsonBody("a thousand unknown fields", valid[..^1] + string.Concat(Enumerable.Range(0, 1000).Select(i => $",\"f{i}\":\"{Marker()}\"")) + "}");

        // Hostile forms.
        foreach (string form in new[]
        {
            $"municipality=helsingborg&description={Marker()}&policeNotified=maybe",
            $"person.estimatedAge=abc&description={Marker()}",
            $"description=%FF%FE{Marker()}&municipality=helsingborg",
            $"person.alias.x={Marker()}",
            $"reportedBy=police&description={Marker()}",
            "=&&&=%",
        })
        {
            yield return Bytes($"form '{form[..Math.Min(16, form.Length)]}'", Utf8(form), "application/x-www-form-urlencoded");
        }

        // Hostile idempotency keys, with a valid body.
        foreach ((string, string)[] headers in new[]
        {
            new[] { ("Idempotency-Key", Marker() + new string('i', 100)) },
            [("Idempotency-Key", Marker()), ("Idempotency-Key", Marker())],
            [("Idempotency-Key", "   ")],
        })
        {
            yield return new Hostile($"idempotency key {headers.Length}×{headers[0].Item2.Length}", Utf8(Valid().ToJsonString()), "application/json", null, headers);
        }
    }

    async Task<(int Status, string Text)> SendAsync(Hostile hostile, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.TryAddWithoutValidation("X-Api-Key", hostile.Key ?? fixture.Key);
        foreach ((string name, string value) in hostile.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (hostile.Body is not null)
        {
            HttpContent content = hostile.Chunked ? new StreamContent(new MemoryStream(hostile.Body)) : new ByteArrayContent(hostile.Body);
            content.Headers.Remove("Content-Type");
            if (hostile.MediaType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", hostile.MediaType);
            }

            request.Content = content;
        }

        using HttpResponseMessage response = await fixture.Host.Client.SendAsync(request);
        string text = response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text);
    }

    [Fact]
    public async Task Every_hostile_intake_is_refused_with_4xx_opens_no_case_and_is_never_echoed()
    {
        List<Hostile> corpus = Corpus().ToList();
        Assert.True(corpus.Count >= 200, $"the corpus has {corpus.Count} requests");
        int rowsBefore = await fixture.CaseRowsAsync();
        int instancesBefore = await fixture.InstancesAsync();

        var failures = new List<string>();
        foreach (Hostile hostile in corpus)
        {
            foreach (string path in new[] { "api/intake", "intake" })
            {
                (int status, string text) = await SendAsync(hostile, path);
                if (status is < 400 or > 499)
                {
                    failures.Add($"{path} {hostile.Name}: answered {status}");
                }

                if (text.Contains(Run, StringComparison.Ordinal))
                {
                    failures.Add($"{path} {hostile.Name}: echoed a submitted value");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(rowsBefore, await fixture.CaseRowsAsync());
        Assert.Equal(instancesBefore, await fixture.InstancesAsync());
        Assert.DoesNotContain(fixture.Host.Logs.Lines, l => l.Contains(Run, StringComparison.Ordinal));

        // The counters do see a case: one honest intake moves both by one.
        await fixture.Host.SubmitIntakeAsync(Intakes.Valid(), fixture.Key);
        Assert.Equal(rowsBefore + 1, await fixture.CaseRowsAsync());
        Assert.Equal(instancesBefore + 1, await fixture.InstancesAsync());
    }

    [Fact]
    public void The_corpus_is_generated_with_every_kind_of_hostility()
    {
        List<Hostile> corpus = Corpus().ToList();
        foreach (string kind in new[] { "truncated", "not an intake", " as ", "missing", "over ", "nested", "invalid UTF-8", "lone surrogate", "control", "body of", "chunked", "media type", "key '", "twice", "unknown field", "form '", "idempotency key", "estimatedAge 1E+300" })
        {
            Assert.Contains(corpus, h => h.Name.Contains(kind, StringComparison.OrdinalIgnoreCase));
        }
    }
}

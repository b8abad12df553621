using System.Collections.Concurrent;
using System.Reflection;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Helsingborg.Web;

/// <summary>
/// The coordinator dashboard at <c>/</c>: an anonymous HTML shell (<see cref="DashboardView"/>), and the app's own
/// scripts and styles of every page, served from embedded resources (Web/Assets) under the one policy of <see cref="WebPage"/>.
/// Acting needs a coordinator key (entered once per browser session) or, in Azure, Entra sign-in; the
/// data comes from the API. Swedish by default, English with <c>?lang=en</c>.
/// </summary>
public sealed class DashboardPage(Partners.CityProfile profile)
{
    static readonly IReadOnlyDictionary<string, string> Assets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["site.js"] = "text/javascript; charset=utf-8",
        ["site.css"] = "text/css; charset=utf-8",
        ["referrals.js"] = "text/javascript; charset=utf-8",
        ["dom.js"] = "text/javascript; charset=utf-8",
        ["referrals.css"] = "text/css; charset=utf-8",
        ["intake.js"] = "text/javascript; charset=utf-8",
        ["choices.js"] = "text/javascript; charset=utf-8",
        ["outreach.js"] = "text/javascript; charset=utf-8",
        ["intake.css"] = "text/css; charset=utf-8",
        ["statistics.js"] = "text/javascript; charset=utf-8",
        ["statistics.css"] = "text/css; charset=utf-8",
    };

    /// <summary>The events of "my cases" that the case page offers as its own actions, not in the general event form.</summary>
    static readonly object WorkerEvents = new
    {
        assign = KebabCase.Name(Lifecycle.CaseEventType.WorkerAssigned),
        release = KebabCase.Name(Lifecycle.CaseEventType.WorkerReleased),
    };

    /// <summary>The events of one person's reports that the case page offers in its own section, not in the general event form.</summary>
    static readonly object PersonEvents = new
    {
        link = KebabCase.Name(Lifecycle.CaseEventType.SamePersonAs),
        unlink = KebabCase.Name(Lifecycle.CaseEventType.SamePersonUnlinked),
        merge = KebabCase.Name(Lifecycle.CaseEventType.MergedInto),
    };

    /// <summary>The events of a transfer that the case page offers in its handover section, not in the general event form.</summary>
    static readonly object TransferEvents = new
    {
        accept = KebabCase.Name(Lifecycle.CaseEventType.TransferAccepted),
        decline = KebabCase.Name(Lifecycle.CaseEventType.TransferDeclined),
    };

    static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The schema of the event bodies (<see cref="Lifecycle.CaseEventSchema"/>) and the lifecycle's words, by language,
    /// for the script to build the event form and name values: they change only with the code and the city profile.
    /// </summary>
    readonly ConcurrentDictionary<string, object> Vocabulary = new(StringComparer.Ordinal);

    public Task<IResult> ShellAsync(ApiCall call)
    {
        string lang = call.Request.Query["lang"].FirstOrDefault() == "en" ? "en" : "sv";
        IReadOnlyList<DataBlock> data =
        [
            new("city-profile", City(lang == "en")),
            new("case-event-schema", Vocabulary.GetOrAdd("schema-" + lang, _ => Lifecycle.CaseEventSchema.Build(profile, lang == "en"))),
            new("words", Vocabulary.GetOrAdd("words-" + lang, _ => Language.Glossary.Block(lang == "en"))),
            new("worker-events", WorkerEvents),
            new("person-events", PersonEvents),
            new("transfer-events", TransferEvents),
        ];
        return WebPage.RenderAsync<DashboardView>(call, new Dictionary<string, object?>
        {
            [nameof(DashboardView.Lang)] = lang,
            [nameof(DashboardView.Data)] = data,
        });
    }

    public Task<IResult> AssetAsync(ApiCall call)
    {
        string name = call.Route("asset");
        if (!Assets.TryGetValue(name, out string? type))
        {
            return Task.FromResult(Problems.NotFound());
        }

        WebPage.Secure(call.Request.HttpContext.Response);
        call.Request.HttpContext.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        return Task.FromResult(Results.Bytes(Resource(name), type));
    }

    /// <summary>The city profile's network as the script needs it.</summary>
    object City(bool english) => new
    {
        name = profile.Name,
        organisations = profile.Organisations.ToDictionary(o => o.Id, o => o.Name(english)),
        municipalities = profile.Municipalities.Select(m => new[] { m.Code, m.Name }),
        leads = profile.Holding(Partners.OrganisationProfile.LeadRole),
        referencePrefix = profile.CaseReferencePrefix,
    };

    static byte[] Resource(string name) => Cache.GetOrAdd(name, n =>
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Helsingborg.Web.Assets." + n)
            ?? throw new InvalidOperationException($"The embedded asset {n} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });
}

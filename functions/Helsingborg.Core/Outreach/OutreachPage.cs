using Helsingborg.Http;
using Helsingborg.Partners;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Outreach;

/// <summary>
/// <c>GET /outreach</c>: the coordinators' page for the every-other-Thursday outreach, where the outreach reminder
/// leads. It records a session through <c>POST /api/outreach-sessions</c> and lists the past year's through
/// <c>GET /api/outreach-sessions</c>, with the coordinator key of the browser session (as the dashboard keeps it). The
/// markup is <see cref="OutreachView"/>, the script outreach.js. Swedish by default, English with <c>?lang=en</c>.
/// </summary>
public sealed class OutreachPage(CityProfile profile)
{
    public Task<IResult> GetAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        bool english = call.Request.Query["lang"].FirstOrDefault() == "en";
        return WebPage.RenderAsync<OutreachView>(call, new Dictionary<string, object?>
        {
            [nameof(OutreachView.English)] = english,
            [nameof(OutreachView.Words)] = english ? OutreachPageTexts.English : OutreachPageTexts.Swedish,
            [nameof(OutreachView.Profile)] = profile,
        });
    }
}

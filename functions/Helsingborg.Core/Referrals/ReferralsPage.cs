using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Referrals;

/// <summary>
/// <c>GET /referrals</c>, the receiving partner's inbox: an anonymous HTML shell whose script and styles are the app's
/// own assets (<c>/dashboard/referrals.js</c>, <c>intake.css</c>, <c>referrals.css</c>) under the app's one strict
/// Content-Security-Policy (<see cref="WebPage"/>), no inline script; the markup is <see cref="ReferralInboxView"/>. The script keeps the partner key in sessionStorage as the intake form
/// does, reads <c>GET /api/referrals</c> and sends the answers; nothing of a referral is in the page itself. The words
/// the script needs, the vocabulary from the API's own enums among them, travel in a JSON data block (not run).
/// Swedish by default, English with <c>?lang=en</c>.
/// </summary>
public sealed class ReferralsPage(Partners.CityProfile profile)
{
    public Task<IResult> ShellAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        bool english = string.Equals(call.Request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase);
        IReadOnlyList<DataBlock> data =
        [
            new("inbox-data", new
            {
                texts = Words(english),
                reasons = KebabCase.Names<DeclineReason>(),
                fields = KebabCase.Names<SharedField>(),
            }),
        ];
        return WebPage.RenderAsync<ReferralInboxView>(call, new Dictionary<string, object?>
        {
            [nameof(ReferralInboxView.English)] = english,
            [nameof(ReferralInboxView.Words)] = Words(english),
            [nameof(ReferralInboxView.Data)] = data,
            [nameof(ReferralInboxView.Profile)] = profile,
        });
    }

    /// <summary>The words of a language (for the tests that check every vocabulary word has them).</summary>
    public static IReadOnlyDictionary<string, string> Words(bool english) => english ? ReferralsPageTexts.English : ReferralsPageTexts.Swedish;

    /// <summary>The vocabulary the page shows, by prefix: each name the API can answer needs its words.</summary>
    public static IEnumerable<string> VocabularyKeys() =>
        KebabCase.Names<SupportKind>().Select(n => "kind." + n)
            .Concat(KebabCase.Names<ReferralStatus>().Select(n => "status." + n))
            .Concat(KebabCase.Names<DeclineReason>().Select(n => "reason." + n))
            .Concat(KebabCase.Names<SharedField>().Select(n => "field." + n))
            .Concat(KebabCase.Names<Gender>().Select(n => "gender." + n));
}

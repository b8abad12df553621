using Helsingborg.Http;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Intake;

/// <summary>
/// <c>GET /intake</c>, the partner form, and <c>POST /intake</c>, its submit: the form's script (Web/Assets/intake.js)
/// keeps the partner key in sessionStorage, posts the form with it as <c>X-Api-Key</c>, and shows the HTML
/// receipt this answers (<see cref="IntakeReceiptView"/>), or the field errors of the problem in the form's error summary
/// (<see cref="IntakeFormView"/>).
/// Swedish by default, English with <c>?lang=en</c>. Nothing submitted is ever written back into a page.
/// </summary>
public sealed class IntakePage(IntakeHandler intake, Partners.CityProfile profile)
{
    public Task<IResult> FormAsync(ApiCall call)
    {
        bool english = English(call.Request);
        return WebPage.RenderAsync<IntakeFormView>(call, new Dictionary<string, object?>
        {
            [nameof(IntakeFormView.English)] = english,
            [nameof(IntakeFormView.Words)] = Words(english),
            [nameof(IntakeFormView.Profile)] = profile,
        });
    }

    /// <summary>The browser's submit: a 202 HTML receipt with the case reference, else the same problem as the API.</summary>
    public async Task<IResult> SubmitAsync(ApiCall call)
    {
        (IntakeHandler.IntakeReceipt? receipt, IResult? problem) = await intake.AcceptAsync(call);
        if (receipt is null)
        {
            return problem!;
        }

        bool english = English(call.Request);
        return await WebPage.RenderAsync<IntakeReceiptView>(call, new Dictionary<string, object?>
        {
            [nameof(IntakeReceiptView.English)] = english,
            [nameof(IntakeReceiptView.Words)] = Words(english),
            [nameof(IntakeReceiptView.CaseId)] = receipt.CaseId,
            [nameof(IntakeReceiptView.Reference)] = receipt.Reference,
            [nameof(IntakeReceiptView.ReceivedAt)] = receipt.ReceivedAt,
            [nameof(IntakeReceiptView.Profile)] = profile,
        }, StatusCodes.Status202Accepted);
    }

    static bool English(HttpRequest request) => string.Equals(request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase);

    static IReadOnlyDictionary<string, string> Words(bool english) => english ? IntakePageTexts.English : IntakePageTexts.Swedish;
}

/// <summary>The form body of the intake routes: <see cref="IntakeSubmission"/>'s fields as form fields.</summary>
public sealed class IntakeFormBody : Http.IJsonSchemaDeclared
{
    public static System.Text.Json.Nodes.JsonObject JsonSchema => new()
    {
        ["type"] = "object",
        ["description"] = "The intake's fields as form fields: person fields as `person.alias` etc., booleans as true/false, lists comma-separated.",
        ["additionalProperties"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "string" },
    };
}

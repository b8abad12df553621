using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace Helsingborg.Tests.Web;

/// <summary>
/// The accessibility check itself, in the real browser on pages written here: one run of axe a page state still
/// catches a WCAG failure and a landmark failure, each under its own heading, and lets a sound page through.
/// </summary>
public sealed class AxeCheckTests
{
    /// <summary>Pages set as content have no server behind them; the address only gives the context a base.</summary>
    static readonly Uri NoServer = new("http://127.0.0.1:9/");

    [Fact]
    public async Task One_run_of_axe_fails_an_image_without_text_and_a_page_without_a_main_landmark_and_passes_a_sound_page()
    {
        await using BrowserSession browser = await Browser.OpenAsync(NoServer);
        IPage page = browser.Page;

        await page.SetContentAsync("""
            <!doctype html><html lang="sv"><head><title>Bild</title></head>
            <body><main><h1>Rubrik</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>
            """);
        var wcag = await Assert.ThrowsAsync<TrueException>(() => page.AssertNoAxeViolationsAsync("an image without text"));
        Assert.Contains("WCAG 2.1 A/AA violations", wcag.Message);
        Assert.Contains("image-alt", wcag.Message);

        await page.SetContentAsync("""
            <!doctype html><html lang="sv"><head><title>Ingen main</title></head>
            <body><div><h1>Rubrik</h1><p>Text utan landmärke.</p></div></body></html>
            """);
        var landmarks = await Assert.ThrowsAsync<TrueException>(() => page.AssertNoAxeViolationsAsync("a page without a main landmark"));
        Assert.Contains("landmark violations", landmarks.Message);
        Assert.Contains("landmark-one-main", landmarks.Message);

        await page.SetContentAsync("""
            <!doctype html><html lang="sv"><head><title>Sund</title></head>
            <body><header><p>Nätverket</p></header><main><h1>Rubrik</h1><p>Text.</p>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="En punkt"></main></body></html>
            """);
        await page.AssertNoAxeViolationsAsync("a sound page");
    }
}

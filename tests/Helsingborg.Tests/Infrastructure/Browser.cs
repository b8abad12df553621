using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// Real-browser tests with Microsoft.Playwright: the Chromium that <see cref="ChromiumFinder"/> finds, headless,
/// kept off the network (only the test host on loopback is reached). One Playwright driver and one Chromium for the
/// whole run, started by the first test that asks; each test gets a fresh <see cref="IBrowserContext"/> (its own
/// cookies, storage and page), closed when it is done. One test at a time: the machine has two cores and other tests
/// run beside.
/// </summary>
public static class Browser
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static readonly Lazy<Task<ChromiumFinder.Found>> Chromium = new(() => new ChromiumFinder(ChromiumFinder.ThisMachine).FindAsync());
    static IPlaywright? playwright;
    static IBrowser? shared;

    /// <summary>Headless, no sandbox (root in CI), nothing fetched in the background (the machine allows only loopback).</summary>
    static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>A fresh browser context with one page on <paramref name="baseAddress"/> (Swedish locale, Stockholm time); dispose it to close the context.</summary>
    public static async Task<BrowserSession> OpenAsync(Uri baseAddress, int width = 1280, int height = 900)
    {
        ChromiumFinder.Found chromium = await Chromium.Value;
        await Gate.WaitAsync();
        IBrowserContext? context = null;
        try
        {
            IBrowser browser = await RunningAsync(chromium);
            context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseAddress.ToString(),
                Locale = "sv-SE",
                TimezoneId = "Europe/Stockholm",
                ViewportSize = new ViewportSize { Width = width, Height = height },
                AcceptDownloads = true,
            });
            IPage page = await context.NewPageAsync();
            return new BrowserSession(context, page, Gate, MachineLoad.Start());
        }
        catch
        {
            if (context is not null)
            {
                await context.CloseAsync();
            }

            Gate.Release();
            throw;
        }
    }

    /// <summary>The run's browser, launched on first use and again if it went away (a crash closes only itself). Called under the gate.</summary>
    static async Task<IBrowser> RunningAsync(ChromiumFinder.Found chromium)
    {
        if (shared is { IsConnected: true } running)
        {
            return running;
        }

        if (playwright is null)
        {
            playwright = await Playwright.CreateAsync();
            // The driver and its Chromium end with the test process; closing them first leaves no process behind.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => playwright.Dispose();
        }

        shared = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium.ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
        return shared;
    }

    /// <summary>
    /// axe-core's landmark and heading rules, which it files under best practice rather than a WCAG criterion: each
    /// page has one main landmark, all content inside landmarks and a first-level heading (how screen-reader users
    /// find their way, WCAG 1.3.1 and 2.4.1).
    /// </summary>
    static readonly string[] LandmarkRules = ["landmark-one-main", "region", "page-has-heading-one", "landmark-unique", "landmark-no-duplicate-main"];

    /// <summary>
    /// The WCAG 2.1 A and AA rules of axe-core, and <see cref="LandmarkRules"/> with them: one run of axe a page state
    /// (a rule enabled by name runs beside the tags). Only the violations carry every element; the other results name
    /// their rule, which is all the check of how much was checked reads.
    /// </summary>
    public static readonly AxeRunOptions Wcag21AAAndLandmarks = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        Rules = LandmarkRules.ToDictionary(rule => rule, _ => new RuleOptions { Enabled = true }),
        ResultTypes = [ResultType.Violations],
    };

    /// <summary>Runs axe on the page as it is now and fails with every violation's rule, impact, elements and reasons.</summary>
    public static async Task AssertNoAxeViolationsAsync(this IPage page, string state)
    {
        AxeResult result = await page.RunAxe(Wcag21AAAndLandmarks);
        AxeResultItem[] landmarks = result.Violations.Where(v => LandmarkRules.Contains(v.Id)).ToArray();
        AxeResultItem[] wcag = result.Violations.Except(landmarks).ToArray();
        Assert.True(wcag.Length == 0, $"axe found WCAG 2.1 A/AA violations on {state} ({page.Url}):\n" + string.Join("\n", wcag.Select(Describe)));
        Assert.True(landmarks.Length == 0, $"axe found landmark violations on {state} ({page.Url}):\n" + string.Join("\n", landmarks.Select(Describe)));
        Assert.True(result.Passes.Length > 5, $"axe checked almost nothing on {state}: {string.Join(", ", result.Passes.Select(p => p.Id))}");
    }

    static string Describe(AxeResultItem violation) =>
        $"- {violation.Id} ({violation.Impact}): {violation.Help}\n" + string.Join("\n", violation.Nodes.Select(n =>
            $"    {n.Target}: {string.Join("; ", (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message))}\n      {n.Html}"));
}

/// <summary>One test's browser context and its page; script errors and console errors are collected for the test to assert on.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    readonly IBrowserContext context;
    readonly SemaphoreSlim gate;
    readonly IDisposable load;
    readonly List<string> errors = [];

    internal BrowserSession(IBrowserContext context, IPage page, SemaphoreSlim gate, IDisposable load)
    {
        this.context = context;
        this.gate = gate;
        this.load = load;
        Page = page;
        page.PageError += (_, error) => Add(error);
        page.Console += (_, message) =>
        {
            // The network's own lines (an expected 400 or 401, the favicon) are not script errors.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Add(message.Text);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Uncaught script errors and console errors (Content-Security-Policy violations among them).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (errors)
            {
                return [.. errors];
            }
        }
    }

    void Add(string error)
    {
        lock (errors)
        {
            errors.Add(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await context.CloseAsync();
        }
        finally
        {
            load.Dispose();
            gate.Release();
        }
    }
}

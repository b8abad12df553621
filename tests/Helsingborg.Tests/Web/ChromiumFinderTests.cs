using System.Runtime.InteropServices;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Web;

/// <summary>Where the browser tests find Chromium, on made-up machines: no file system, no apt-get.</summary>
public sealed class ChromiumFinderTests
{
    const string Home = "/home/dev";
    const string PlaywrightCache = "/home/dev/.cache/ms-playwright";

    sealed class FakeMachine
    {
        public HashSet<string> Files { get; } = [];

        public Dictionary<string, string> Environment { get; } = new() { ["HOME"] = Home, ["PATH"] = "/usr/local/bin:/usr/bin:/bin" };

        public bool IsRoot { get; init; }

        public bool IsDebian { get; init; }

        public (bool Installed, string Output) AptAnswer { get; init; } = (true, string.Empty);

        public int Installs { get; private set; }

        public ChromiumFinder Finder() => new(new ChromiumFinder.Machine(
            name => Environment.GetValueOrDefault(name),
            Files.Contains,
            directory => Files.Where(f => f.StartsWith(directory + "/", StringComparison.Ordinal))
                .Select(f => directory + "/" + f[(directory.Length + 1)..].Split('/')[0]).Distinct(),
            OSPlatform.Linux,
            IsRoot,
            IsDebian,
            () =>
            {
                Installs++;
                if (AptAnswer.Installed)
                {
                    Files.Add(ChromiumFinder.DebianHeadlessShell);
                }

                return Task.FromResult(AptAnswer);
            }));
    }

    [Fact]
    public async Task Playwrights_own_chromium_comes_first_the_newest_headless_shell_before_a_full_browser()
    {
        var machine = new FakeMachine { IsRoot = true, IsDebian = true };
        machine.Files.Add($"{PlaywrightCache}/chromium-1300/chrome-linux64/chrome");
        machine.Files.Add($"{PlaywrightCache}/chromium_headless_shell-1100/chrome-linux/headless_shell");
        machine.Files.Add($"{PlaywrightCache}/chromium_headless_shell-1200/chrome-headless-shell-linux64/chrome-headless-shell");
        machine.Files.Add("/usr/bin/chromium-headless-shell");

        ChromiumFinder.Found found = await machine.Finder().FindAsync();

        Assert.Equal($"{PlaywrightCache}/chromium_headless_shell-1200/chrome-headless-shell-linux64/chrome-headless-shell", found.ExecutablePath);
        Assert.Equal(ChromiumFinder.Source.PlaywrightFolder, found.Source);
        Assert.Equal(0, machine.Installs);

        machine.Files.RemoveWhere(f => f.Contains("headless_shell", StringComparison.Ordinal));
        Assert.Equal($"{PlaywrightCache}/chromium-1300/chrome-linux64/chrome", (await machine.Finder().FindAsync()).ExecutablePath);
    }

    [Fact]
    public async Task Of_the_installed_browsers_Debians_headless_shell_comes_before_its_full_chromium()
    {
        var machine = new FakeMachine { IsRoot = true, IsDebian = true };
        machine.Files.Add(ChromiumFinder.DebianChromium);
        Assert.Equal(ChromiumFinder.DebianChromium, (await machine.Finder().FindAsync()).ExecutablePath);

        machine.Files.Add(ChromiumFinder.DebianHeadlessShell);
        Assert.Equal(ChromiumFinder.DebianHeadlessShell, (await machine.Finder().FindAsync()).ExecutablePath);
        Assert.Equal(0, machine.Installs);
    }

    [Fact]
    public async Task Playwrights_folder_is_the_one_PLAYWRIGHT_BROWSERS_PATH_names()
    {
        var machine = new FakeMachine();
        machine.Environment["PLAYWRIGHT_BROWSERS_PATH"] = "/opt/pw";
        machine.Files.Add("/opt/pw/chromium-1200/chrome-linux64/chrome");

        Assert.Equal("/opt/pw/chromium-1200/chrome-linux64/chrome", (await machine.Finder().FindAsync()).ExecutablePath);
    }

    [Fact]
    public async Task Without_Playwrights_browser_a_chromium_or_chrome_already_installed_is_used_and_nothing_is_installed()
    {
        var machine = new FakeMachine { IsRoot = true, IsDebian = true };
        machine.Files.Add("/usr/bin/google-chrome");

        ChromiumFinder.Found found = await machine.Finder().FindAsync();

        Assert.Equal("/usr/bin/google-chrome", found.ExecutablePath);
        Assert.Equal(ChromiumFinder.Source.Installed, found.Source);
        Assert.Equal(0, machine.Installs);
    }

    [Fact]
    public async Task As_root_on_Debian_with_no_browser_Debians_chromium_headless_shell_package_is_installed()
    {
        var machine = new FakeMachine { IsRoot = true, IsDebian = true };

        ChromiumFinder.Found found = await machine.Finder().FindAsync();

        Assert.Equal(ChromiumFinder.DebianHeadlessShell, found.ExecutablePath);
        Assert.Equal(ChromiumFinder.Source.DebianPackage, found.Source);
        Assert.Equal(1, machine.Installs);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public async Task Without_root_or_apt_and_no_browser_the_failure_says_how_to_install_one_and_apt_is_never_run(bool root, bool debian)
    {
        var machine = new FakeMachine { IsRoot = root, IsDebian = debian };

        var failure = await Assert.ThrowsAsync<BrowserNotFoundException>(() => machine.Finder().FindAsync());

        Assert.Equal(0, machine.Installs);
        Assert.Contains("playwright.ps1 install chromium", failure.Message);
        Assert.Contains("CHROMIUM_PATH", failure.Message);
        Assert.Contains(PlaywrightCache, failure.Message);
    }

    [Fact]
    public async Task When_apt_fails_the_failure_gives_its_output_and_the_install_hint()
    {
        var machine = new FakeMachine { IsRoot = true, IsDebian = true, AptAnswer = (false, "E: Unable to locate package chromium-headless-shell") };

        var failure = await Assert.ThrowsAsync<BrowserNotFoundException>(() => machine.Finder().FindAsync());

        Assert.Contains("Unable to locate package chromium-headless-shell", failure.Message);
        Assert.Contains("playwright.ps1 install chromium", failure.Message);
    }

    [Fact]
    public async Task CHROMIUM_PATH_wins_and_a_wrong_one_is_named()
    {
        var machine = new FakeMachine();
        machine.Files.Add("/usr/bin/chromium");
        machine.Files.Add("/opt/chrome/chrome");
        machine.Environment["CHROMIUM_PATH"] = "/opt/chrome/chrome";
        Assert.Equal(ChromiumFinder.Source.Configured, (await machine.Finder().FindAsync()).Source);

        machine.Environment["CHROMIUM_PATH"] = "/nowhere/chrome";
        var failure = await Assert.ThrowsAsync<BrowserNotFoundException>(() => machine.Finder().FindAsync());
        Assert.Contains("/nowhere/chrome", failure.Message);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// docs/rules/accessibility.md measured on the running system: axe (WCAG 2.1 A/AA rules) on every kiosk screen in the
/// standard screen and in 关怀版, and on the public dashboard; the rating flow by keyboard alone; 关怀版 sizes from the
/// computed styles; the language switch; and what the kiosk asks the browser to say. Each screen is saved to
/// artifacts/screenshots.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed partial class KioskAccessibilityTests(ServiceHallSystem system, ITestOutputHelper output)
{
    private static readonly ViewportSize Portrait = new() { Width = 1080, Height = 1920 };
    private static readonly ViewportSize Landscape = new() { Width = 1920, Height = 1080 };

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>Replaces the browser's speech synthesis with a recorder, so a test can read what was spoken.</summary>
    private const string SpeechRecorder = """
        window.__spoken = [];
        const recorder = {
            speaking: false, pending: false, paused: false,
            speak(utterance) { window.__spoken.push({ text: utterance.text, lang: utterance.lang }); },
            cancel() {}, pause() {}, resume() {}, getVoices() { return []; },
            addEventListener() {}, removeEventListener() {},
        };
        Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => recorder });
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryKioskScreen_StandardAndElderly_HasNoWcag21AAViolations(bool elderly)
    {
        var mode = elderly ? "elderly" : "standard";
        var page = await OpenKioskAsync(Portrait);
        var findings = new List<string>();
        if (elderly)
        {
            await page.GetByTestId("large-text").ClickAsync();
        }

        async Task Check(string screen, bool fullPage = false)
        {
            // 关怀版 is remembered from screen to screen until the session resets.
            await Expect(page.GetByTestId("large-text")).ToHaveAttributeAsync("aria-pressed", elderly ? "true" : "false");
            // What the citizen sees; a long page is saved whole as well.
            await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath($"kiosk-{screen}-{mode}") });
            if (fullPage)
            {
                await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath($"kiosk-{screen}-{mode}-full"), FullPage = true });
            }
            findings.AddRange(await AxeViolationsAsync(page, $"{screen} ({mode})"));
            findings.AddRange(await MeasureAsync(page, $"{screen} ({mode})", elderly));
        }

        await Check("home");

        await page.GetByTestId("browse-items").ClickAsync();
        await Expect(page.Locator(".item-link").First).ToBeVisibleAsync();
        await Check("items");

        await page.Locator(".item-link").First.ClickAsync();
        await Expect(page.GetByTestId("rate-item")).ToBeVisibleAsync();
        await Check("item-detail", fullPage: true);

        await page.GetByTestId("go-home").ClickAsync();
        await page.GetByTestId("start-rating").ClickAsync();
        await Expect(page.Locator("[data-testid^='window-']").First).ToBeVisibleAsync();
        await Check("rate-1-window");

        await page.GetByTestId("pick-item").ClickAsync();
        await Expect(page.Locator("[data-testid^='target-item-']:not([data-testid='target-item-search'])").First).ToBeVisibleAsync();
        await Check("rate-1-item");
        await page.GetByTestId("pick-window").ClickAsync();

        await page.Locator("[data-testid^='window-']").First.ClickAsync();
        await Expect(page.GetByTestId("level-5")).ToBeVisibleAsync();
        await Check("rate-2-level");

        // A good level is recorded on its tap; a mis-tap can be changed (here into a 差评, which takes the good one back).
        await page.GetByTestId("level-2").ClickAsync();
        await Expect(page.GetByTestId("recorded")).ToBeVisibleAsync();
        await Check("rate-2-recorded");
        await page.GetByTestId("change-level").ClickAsync();
        await Expect(page.GetByTestId("level-5")).ToBeVisibleAsync();
        await page.GetByTestId("level-5").ClickAsync();
        await page.GetByTestId("next-step").ClickAsync();
        await Expect(page.GetByTestId("step-message")).ToBeVisibleAsync();
        await Check("rate-3-reasons");

        await page.Locator("[data-testid^='tag-']").First.ClickAsync();
        await page.GetByTestId("next-step").ClickAsync();
        await Expect(page.GetByTestId("submit-anonymous")).ToBeVisibleAsync();
        await Check("rate-4-contact");

        await page.GetByTestId("submit-anonymous").ClickAsync();
        await Expect(page.GetByTestId("thank-you")).ToBeVisibleAsync();
        await Check("rate-5-thank-you");

        Assert.True(findings.Count == 0, string.Join("\n", findings));

        // After the thank-you pause the kiosk goes home and the next citizen gets the standard screen.
        await Expect(page.GetByTestId("start-rating")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("large-text")).ToHaveAttributeAsync("aria-pressed", "false");
        await page.CloseAsync();
    }

    [Fact]
    public async Task KioskInEnglish_Landscape_HasNoWcag21AAViolations()
    {
        var page = await OpenKioskAsync(Landscape);
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByTestId("start-rating")).ToContainTextAsync("Rate a service");
        var findings = new List<string>();

        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-home-english-landscape") });
        findings.AddRange(await AxeViolationsAsync(page, "home (English)"));
        await page.GetByTestId("start-rating").ClickAsync();
        await page.Locator("[data-testid^='window-']").First.ClickAsync();
        await Expect(page.GetByTestId("level-1")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-rate-2-level-english-landscape") });
        findings.AddRange(await AxeViolationsAsync(page, "level (English)"));

        Assert.True(findings.Count == 0, string.Join("\n", findings));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_DisclosuresAndConsoleSignIn_HaveNoWcag21AAViolations()
    {
        await system.ApproveDraftsAsync();
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Landscape, Locale = "zh-CN" });
        var findings = new List<string>();
        await page.GotoAsync(new Uri(system.Dashboard, "disclosures").ToString());
        await Expect(page.GetByTestId("publication-list")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        findings.AddRange(await AxeViolationsAsync(page, "dashboard /disclosures"));

        await page.GetByTestId("publication-list").Locator("a").First.ClickAsync();
        await Expect(page.GetByTestId("indicator-value-rating_count")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        findings.AddRange(await AxeViolationsAsync(page, "dashboard publication"));

        await page.GotoAsync(new Uri(system.Dashboard, "console/sign-in").ToString());
        await Expect(page.GetByTestId("sign-in-submit")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        findings.AddRange(await AxeViolationsAsync(page, "console sign-in"));

        Assert.True(findings.Count == 0, string.Join("\n", findings));
        await page.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_PublicPage_HasNoWcag21AAViolations()
    {
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Landscape, Locale = "zh-CN" });
        await page.GotoAsync(system.Dashboard.ToString());
        await Expect(page.GetByTestId("bad-count")).ToHaveTextAsync(new Regex(@"\d"), new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-a11y-home"), FullPage = true });

        var findings = await AxeViolationsAsync(page, "dashboard /");

        Assert.True(findings.Count == 0, string.Join("\n", findings));
        await page.CloseAsync();
    }

    [Fact]
    public async Task AxeHarness_AKnownViolationOnTheKiosk_IsReported()
    {
        // The zero counts above mean something only if this set-up can find a violation at all.
        var page = await OpenKioskAsync(Portrait);
        await page.EvaluateAsync("""() => { const b = document.createElement("button"); b.id = "unnamed"; document.querySelector(".kiosk-main").append(b); }""");

        var findings = await AxeViolationsAsync(page, "home with an unnamed button");

        Assert.Contains(findings, f => f.Contains("button-name", StringComparison.Ordinal) && f.Contains("#unnamed", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    [Fact]
    public async Task RatingFlow_KeyboardOnly_TabAndEnterRecordAGoodRating()
    {
        var page = await OpenKioskAsync(Portrait);
        var before = system.CountStored("device_id = 'kiosk-e2e' AND level = 2");

        await TabToAndPressEnterAsync(page, "start-rating");
        await Expect(page.Locator("[data-testid^='window-']").First).ToBeVisibleAsync();
        await TabToAndPressEnterAsync(page, "window-");
        await Expect(page.GetByTestId("level-2")).ToBeVisibleAsync();
        // The new step's heading takes the focus once it is drawn; tabbing starts from there.
        await Expect(page.Locator("h1")).ToBeFocusedAsync();
        await TabToAndPressEnterAsync(page, "level-2");
        await Expect(page.GetByTestId("recorded")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-keyboard-recorded") });
        await TabToAndPressEnterAsync(page, "recorded-done");
        await Expect(page.GetByTestId("start-rating")).ToBeVisibleAsync();
        await WaitUntilAsync(() => system.CountStored("device_id = 'kiosk-e2e' AND level = 2") == before + 1, "the keyboard rating stored");
        await page.CloseAsync();
    }

    [Fact]
    public async Task ElderlyMode_ComputedSizes_MeetTheElderlySpecs()
    {
        var page = await OpenKioskAsync(Portrait);
        var standardBody = await FontSizeAsync(page, ".home-welcome");

        await page.GetByTestId("large-text").ClickAsync();
        await Expect(page.GetByTestId("large-text")).ToHaveAttributeAsync("aria-pressed", "true");

        Assert.True(await FontSizeAsync(page, ".home-welcome") >= 24, "body text ≥ 24px (18pt)");
        Assert.True(await FontSizeAsync(page, "h1") >= 40, "h1 ≥ 40px (30pt)");
        Assert.True(await FontSizeAsync(page, ".home-action-hint") >= 24, "hint text ≥ 24px");
        Assert.True(await FontSizeAsync(page, ".home-welcome") >= standardBody, "关怀版 is never smaller than standard");

        await page.GetByTestId("start-rating").ClickAsync();
        await page.Locator("[data-testid^='window-']").First.ClickAsync();
        var box = await page.GetByTestId("level-3").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width >= 60 && box.Height >= 60, $"level button {box.Width}×{box.Height}");
        // One column: the five levels stand one under another.
        var boxes = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => page.GetByTestId($"level-{i}").BoundingBoxAsync()));
        Assert.Single(boxes.Select(b => b!.X).Distinct());
        Assert.True(await FontSizeAsync(page, ".level-label") >= 40);
        Assert.True(await LineHeightRatioAsync(page, ".lead") >= 1.3);
        await page.CloseAsync();
    }

    [Fact]
    public async Task LanguageSwitch_ShowsEnglishOnEveryScreen_AndBackToTheExactChineseLabels()
    {
        var page = await OpenKioskAsync(Portrait);

        await page.GetByTestId("language").ClickAsync();
        await Expect(page.GetByTestId("language")).ToHaveTextAsync("中文", new() { UseInnerText = true });
        await Expect(page.GetByTestId("kiosk")).ToHaveAttributeAsync("lang", "en-US");
        await Expect(page.GetByTestId("large-text")).ToContainTextAsync("Senior mode");
        await page.GetByTestId("start-rating").ClickAsync();
        await page.Locator("[data-testid^='window-']").First.ClickAsync();
        await Expect(page.Locator(".level-label")).ToHaveTextAsync(
            ["Very satisfied", "Satisfied", "Basically satisfied", "Dissatisfied", "Very dissatisfied"]);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Please rate this service");
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-rate-2-level-english") });

        // Switching mid-rating keeps the rating where it was.
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.Locator(".level-label")).ToHaveTextAsync(["非常满意", "满意", "基本满意", "不满意", "非常不满意"]);
        await Expect(page.GetByTestId("kiosk")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.GetByTestId("language")).ToHaveTextAsync("English", new() { UseInnerText = true });
        await page.CloseAsync();
    }

    [Fact]
    public async Task Voice_ReadAloudAndStepPrompts_SpeakWhatTheScreenShows_AndCanBeTurnedOff()
    {
        var page = await OpenKioskAsync(Portrait, SpeechRecorder);

        await page.GetByTestId("read-aloud").ClickAsync();
        var home = await WaitForSpokenAsync(page, 1);
        Assert.Contains("欢迎您！请选择您要办理的事情。", home[0].Text, StringComparison.Ordinal);
        Assert.Contains(await page.Locator("h1").InnerTextAsync(), home[0].Text, StringComparison.Ordinal);
        Assert.Equal("zh-CN", home[0].Lang);

        await page.GetByTestId("start-rating").ClickAsync();
        await page.Locator("[data-testid^='window-']").First.ClickAsync();
        await Expect(page.GetByTestId("level-1")).ToBeVisibleAsync();
        var spoken = await WaitForSpokenAsync(page, 3);
        Assert.Equal("请选择为您办理业务的窗口 窗口号写在窗口上方和工作人员的桌牌上。", spoken[1].Text);
        Assert.Equal("请对本次服务进行评价 请选择您的满意程度。", spoken[2].Text);
        // Every spoken prompt is on screen as text.
        Assert.Equal($"{await page.Locator("h1").InnerTextAsync()} {await page.Locator(".lead").InnerTextAsync()}", spoken[2].Text);

        await page.GetByTestId("voice-prompts").ClickAsync();
        await Expect(page.GetByTestId("voice-prompts")).ToHaveAttributeAsync("aria-pressed", "false");
        await page.GetByTestId("level-1").ClickAsync();
        await Expect(page.GetByTestId("recorded")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(3, (await SpokenAsync(page)).Count);

        // The read-aloud button still reads on request, in English when the screen is English.
        await page.GetByTestId("language").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Thank you! Your rating is recorded");
        await page.GetByTestId("read-aloud").ClickAsync();
        var english = (await WaitForSpokenAsync(page, 4))[3];
        Assert.StartsWith("Thank you! Your rating is recorded.", english.Text, StringComparison.Ordinal);
        Assert.Contains("Very satisfied", english.Text, StringComparison.Ordinal);
        Assert.Equal("en-US", english.Lang);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Voice_BrowserWithoutSpeechSynthesis_RatingStillWorks()
    {
        var page = await OpenKioskAsync(Portrait, """Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => undefined });""");
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GetByTestId("read-aloud").ClickAsync();
        await page.GetByTestId("start-rating").ClickAsync();
        await page.Locator("[data-testid^='window-']").First.ClickAsync();
        await page.GetByTestId("level-1").ClickAsync();
        await Expect(page.GetByTestId("recorded")).ToBeVisibleAsync();
        await page.GetByTestId("recorded-done").ClickAsync();

        await Expect(page.GetByTestId("start-rating")).ToBeVisibleAsync();
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    private async Task<IPage> OpenKioskAsync(ViewportSize viewport, string? initScript = null)
    {
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = viewport, Locale = "zh-CN" });
        if (initScript is not null)
        {
            await page.AddInitScriptAsync(initScript);
        }
        await page.GotoAsync(system.Kiosk.ToString());
        await Expect(page.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        return page;
    }

    /// <summary>Runs axe with the WCAG 2.1 A/AA rules; one line per violation with its id, impact and targets.</summary>
    private async Task<List<string>> AxeViolationsAsync(IPage page, string screen)
    {
        var result = await page.RunAxe(Wcag21AA);
        output.WriteLine($"axe {screen}: {result.Violations.Length} violations, {result.Passes.Length} rules passed, {result.Incomplete.Length} to review");
        return
        [
            .. result.Violations.Select(v => $"axe {screen}: {v.Id} ({v.Impact}) {v.Help} at " +
                string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))),
        ];
    }

    /// <summary>
    /// Measures the screen: in 关怀版 every visible text ≥ 24px with line height ≥ 1.3, h1 ≥ 40px and every control
    /// ≥ 60×60 (适老化); on the standard screen every control ≥ 44×44.
    /// </summary>
    private static async Task<List<string>> MeasureAsync(IPage page, string screen, bool elderly)
    {
        var problems = await page.EvaluateAsync<string[]>("""
            ([elderly]) => {
                const problems = [];
                const root = document.querySelector(".kiosk");
                const visible = el => {
                    const r = el.getBoundingClientRect();
                    const cs = getComputedStyle(el);
                    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none";
                };
                const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
                const minTarget = elderly ? 60 : 44;
                for (const el of root.querySelectorAll("button, a[href], input, textarea")) {
                    if (!visible(el)) continue;
                    const r = el.getBoundingClientRect();
                    if (r.width < minTarget || r.height < minTarget) problems.push(`target ${name(el)} "${el.textContent.trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`);
                }
                if (elderly) {
                    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                    while (walker.nextNode()) {
                        const node = walker.currentNode;
                        const el = node.parentElement;
                        if (!node.textContent.trim() || !visible(el)) continue;
                        const cs = getComputedStyle(el);
                        // What is drawn: 关怀版 draws the page at a zoom, which the computed size does not include.
                        const zoom = el.currentCSSZoom || 1;
                        const size = parseFloat(cs.fontSize) * zoom;
                        const height = (cs.lineHeight === "normal" ? parseFloat(cs.fontSize) * 1.2 : parseFloat(cs.lineHeight)) * zoom;
                        const min = el.closest("h1") ? 40 : 24;
                        if (size < min) problems.push(`text ${name(el)} "${node.textContent.trim().slice(0, 20)}" ${size}px < ${min}px`);
                        if (height / size < 1.295) problems.push(`line height ${name(el)} "${node.textContent.trim().slice(0, 20)}" ${(height / size).toFixed(2)}`);
                    }
                }
                return problems;
            }
            """, new object[] { elderly });
        return [.. problems.Distinct().Select(p => $"measure {screen}: {p}")];
    }

    /// <summary>Presses Tab until the focused element's data-testid starts with <paramref name="testId"/>, then Enter.</summary>
    private static async Task TabToAndPressEnterAsync(IPage page, string testId)
    {
        var seen = new StringBuilder();
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-testid')");
            seen.Append(focused ?? "·").Append(' ');
            if (focused is not null && focused.StartsWith(testId, StringComparison.Ordinal))
            {
                // The focused control shows it (WCAG 2.4.7): the kiosk's focus ring is a 4px outline.
                var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
                Assert.NotEqual("none", outline);
                await page.Keyboard.PressAsync("Enter");
                return;
            }
        }
        Assert.Fail($"Tab never reached {testId}; focus went: {seen}");
    }

    private static Task<double> FontSizeAsync(IPage page, string selector) =>
        // The drawn size: 关怀版 draws the page at a zoom, which the computed size does not include.
        page.Locator(selector).First.EvaluateAsync<double>("el => parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom || 1)");

    private static Task<double> LineHeightRatioAsync(IPage page, string selector) =>
        page.Locator(selector).First.EvaluateAsync<double>(
            "el => { const cs = getComputedStyle(el); return parseFloat(cs.lineHeight) / parseFloat(cs.fontSize); }");

    private static async Task<List<Utterance>> SpokenAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("() => JSON.stringify(window.__spoken || [])");
        return JsonSerializer.Deserialize<List<Utterance>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];
    }

    private static async Task<List<Utterance>> WaitForSpokenAsync(IPage page, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var spoken = await SpokenAsync(page);
            if (spoken.Count >= count)
            {
                return spoken;
            }
            await Task.Delay(100);
        }
        var last = await SpokenAsync(page);
        Assert.Fail($"expected {count} utterances within 10 s, got {last.Count}: {string.Join(" | ", last.Select(u => u.Text))}");
        return last;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    private sealed record Utterance(string Text, string Lang);
}

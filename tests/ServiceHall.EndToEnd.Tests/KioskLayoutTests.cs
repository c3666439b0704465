using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// The kiosk's screens — home, the rating steps, the code keypad and the 追评 page — at the sizes a hall has — a kiosk in portrait, a 10-inch window pad in landscape and in portrait —
/// in the standard screen and in 关怀版, in Chinese and in English: on each, what the citizen must reach (the faces and
/// their labels, the step's main buttons) lies fully inside the screen without scrolling, nothing of it overlaps, a
/// level's label stays on one line, the header's controls stay on one row with their words unbroken, 关怀版 keeps its
/// 60 × 60 targets and 24 px text, and axe finds nothing on the level screen. One page per mode and language walks the
/// screens; each screen is measured at every size by resizing the page it is on, and saved to artifacts/screenshots.
/// A phone (390 × 844) is measured as the others: its own layout (phone.css) keeps the same promises.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class KioskLayoutTests(ServiceHallSystem system, ITestOutputHelper output)
{
    private static readonly (string Name, ViewportSize Size)[] Devices =
    [
        ("kiosk-portrait", new() { Width = 1080, Height = 1920 }),
        ("pad-landscape", new() { Width = 1280, Height = 800 }),
        ("pad-portrait", new() { Width = 800, Height = 1280 }),
        ("phone", new() { Width = 390, Height = 844 }),
    ];

    /// <summary>
    /// The devices of a hall (kiosk and window pads): the 主动公开 and 依申请公开 screens are laid out for them; a phone opens
    /// only the rating screens (by a receipt's QR code), and those are measured on it too.
    /// </summary>
    private static readonly (string Name, ViewportSize Size)[] HallDevices = Devices[..3];

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task RatingScreens_OnEveryDevice_WhatMustBeReachedIsInViewAndNothingOverlaps(bool elderly, bool english)
    {
        var variant = $"{(elderly ? "elderly" : "standard")}-{(english ? "en" : "zh")}";
        var page = await OpenKioskAsync(elderly, english);
        var problems = new List<string>();
        // The main ways in stay in view; the secondary entries below them (rate with a code, 主动公开, 依申请公开) may need a
        // scroll in 关怀版 on a small screen.
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "home", variant, [".home-actions .home-action"]));

        await page.GetByTestId("start-rating").ClickAsync();
        await page.GetByTestId("window-B03").ClickAsync();
        await Expect(page.GetByTestId("level-5")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "level", variant,
            ["[data-testid^='level-'] .level-face", "[data-testid^='level-'] .level-label"], oneLine: ".level-label", withAxe: true));

        await page.GetByTestId("level-2").ClickAsync();
        await Expect(page.GetByTestId("recorded")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "recorded", variant,
            ["[data-testid='recorded-done']", "[data-testid='change-level']", ".recorded h1"]));

        await page.GetByTestId("change-level").ClickAsync();
        await page.GetByTestId("level-5").ClickAsync();
        await Expect(page.GetByTestId("next-step")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "reasons", variant,
            ["[data-testid='next-step']", "[data-testid='step-back']", ".page-heading h1"]));

        await page.Locator("[data-testid^='tag-']").First.ClickAsync();
        await page.GetByTestId("next-step").ClickAsync();
        await Expect(page.GetByTestId("submit-anonymous")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "contact", variant,
            ["[data-testid='submit-rating']", "[data-testid='submit-anonymous']", "[data-testid='callback-phone']"]));

        await page.GetByTestId("cancel-rating").ClickAsync();

        // Rating with the receipt's code, and its 追评 page (reached from there; nothing is sent in this walk).
        await page.GetByTestId("rate-by-code").ClickAsync();
        await Expect(page.GetByTestId("code-key-delete")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "code", variant,
            ["[data-testid='code-display']", "[data-testid^='code-key-']", "[data-testid='code-submit']", "[data-testid='code-home']"]));
        await page.EvaluateAsync("() => Blazor.navigateTo('follow-up/ABCD2345')");
        await Expect(page.GetByTestId("follow-up-text")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "follow-up", variant,
            ["[data-testid='follow-up-text']", "[data-testid='follow-up-submit']", "[data-testid='follow-up-cancel']", ".page-heading h1"]));

        await page.CloseAsync();
        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task PublishedScreens_OnEveryDevice_WhatMustBeReachedIsInViewAndNothingOverlaps(bool elderly, bool english)
    {
        var variant = $"{(elderly ? "elderly" : "standard")}-{(english ? "en" : "zh")}";
        var page = await OpenKioskAsync(elderly, english);
        var problems = new List<string>();

        await page.GetByTestId("published-entry").ClickAsync();
        await Expect(page.GetByTestId("published-guide")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "published-home", variant,
            ["[data-testid='published-guide']", "[data-testid='published-open-policies']", ".published .page-heading h1"], withAxe: true, hallOnly: true));

        await page.GetByTestId("published-open-policies").ClickAsync();
        await Expect(page.GetByTestId("filter-open")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByTestId("days-left").First).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "published-open", variant,
            ["[data-testid='published-search']", "[data-testid='back-to-published']"], withAxe: true, hallOnly: true));

        await page.GetByTestId("back-to-published").ClickAsync();
        await page.GetByTestId("published-kind-Policy").ClickAsync();
        await page.Locator("[data-testid^='published-doc-']").First.ClickAsync();
        await Expect(page.GetByTestId("interpretation").First).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "published-policy", variant,
            ["[data-testid='back-to-published-list']", "#doc-title"], withAxe: true, hallOnly: true));

        await page.CloseAsync();
        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// The 依申请公开 screens (docs/rules/disclosure-requests.md#the-kiosk) on the same devices, modes and languages: the step's
    /// buttons and heading in view without scrolling, every field reachable by scrolling and never hidden under the header
    /// or the step's buttons, faults shown, axe clean; then the receipt.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task DisclosureScreens_OnEveryDevice_ButtonsInViewFieldsReachableAndAxeClean(bool elderly, bool english)
    {
        var variant = $"{(elderly ? "elderly" : "standard")}-{(english ? "en" : "zh")}";
        var page = await OpenKioskAsync(elderly, english);
        var problems = new List<string>();
        string[] buttons = ["[data-testid='disclosure-next']", ".disclosure .step-nav .is-secondary", ".disclosure h1"];

        await page.GetByTestId("start-disclosure").ClickAsync();
        await Expect(page.GetByTestId("disclosure-next")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        // Next on the empty step: every fault shows, the longest the step gets.
        await page.GetByTestId("disclosure-next").ClickAsync();
        await Expect(page.GetByTestId("error-phone")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "disclosure-applicant", variant, buttons, withAxe: true, hallOnly: true));
        problems.AddRange(await ReachEveryFieldAsync(page, "disclosure-applicant", variant));

        await page.GetByTestId("applicant_kind-NaturalPerson").ClickAsync();
        await KioskDisclosureScreen.FillAsync(page, "applicant_name", "张三");
        await KioskDisclosureScreen.FillAsync(page, "id_document_number", KioskDisclosureScreen.IdCard);
        await KioskDisclosureScreen.FillAsync(page, "phone", "13812341234");
        await page.GetByTestId("disclosure-next").ClickAsync();
        await Expect(page.GetByTestId("input-information_description")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "disclosure-information", variant, buttons, withAxe: true, hallOnly: true));
        problems.AddRange(await ReachEveryFieldAsync(page, "disclosure-information", variant));

        await KioskDisclosureScreen.FillAsync(page, "information_name", "2025年度区级部门预算公开说明");
        await page.GetByTestId("disclosure-next").ClickAsync();
        await page.GetByTestId("form-Paper").ClickAsync();
        await page.GetByTestId("delivery-Post").ClickAsync();
        await Expect(page.GetByTestId("input-postal_address")).ToBeVisibleAsync();
        string[] submit = ["[data-testid='disclosure-submit']", "[data-testid='disclosure-back']", ".disclosure h1"];
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "disclosure-delivery", variant, submit, withAxe: true, hallOnly: true));
        problems.AddRange(await ReachEveryFieldAsync(page, "disclosure-delivery", variant));

        await KioskDisclosureScreen.FillAsync(page, "postal_address", "济南市槐荫区经十路西段28号 250022");
        await page.GetByTestId("disclosure-submit").ClickAsync();
        await Expect(page.GetByTestId("receipt-confirmed")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "disclosure-receipt", variant,
            ["[data-testid='receipt-number']", "[data-testid='receipt-due-day']", "[data-testid='receipt-done']"], withAxe: true, hallOnly: true));

        await page.GetByTestId("receipt-done").ClickAsync();
        await page.CloseAsync();
        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// 办事咨询, its receipt, 查看答复 and 办不成事反映 (docs/rules/questions-and-reports.md) on every device, mode and language: the
    /// screen's buttons and heading in view, every field reachable, faults shown, axe clean.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task EnquiryScreens_OnEveryDevice_ButtonsInViewFieldsReachableAndAxeClean(bool elderly, bool english)
    {
        var variant = $"{(elderly ? "elderly" : "standard")}-{(english ? "en" : "zh")}";
        var page = await OpenKioskAsync(elderly, english);
        var problems = new List<string>();

        await page.GetByTestId("start-question").ClickAsync();
        await Expect(page.GetByTestId("question-submit")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        // Confirm with nothing written: the faults show, the longest the screen gets.
        await page.GetByTestId("question-submit").ClickAsync();
        await Expect(page.GetByTestId("error-text")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "enquiry-question", variant,
            ["[data-testid='question-submit']", "[data-testid='question-cancel']", ".enquiry h1"], withAxe: true));
        problems.AddRange(await ReachEveryFieldAsync(page, "enquiry-question", variant));

        await KioskDisclosureScreen.FillAsync(page, "text", "大厅的停车场周末开放吗？");
        await page.GetByTestId("question-submit").ClickAsync();
        await Expect(page.GetByTestId("question-receipt")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "enquiry-question-receipt", variant,
            ["[data-testid='question-pickup-code']", "[data-testid='question-due-day']", "[data-testid='question-done']"], withAxe: true));
        var code = (await page.GetByTestId("question-pickup-code").GetAttributeAsync("data-code"))!;

        await page.GetByTestId("question-read-answer").ClickAsync();
        await Expect(page.GetByTestId("answer-key-clear")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        foreach (var key in code)
        {
            await page.GetByTestId($"answer-key-{key}").ClickAsync();
        }
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "enquiry-answer", variant,
            ["[data-testid='answer-code-display']", "[data-testid^='answer-key-']", "[data-testid='answer-submit']", "[data-testid='answer-home']"],
            withAxe: true));
        // Not answered yet: the result takes the keypad's place, and with the code, 修改取件码 and 返回首页 stays in view.
        await page.GetByTestId("answer-submit").ClickAsync();
        await Expect(page.GetByTestId("answer-not-found")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "enquiry-answer-not-found", variant,
            ["[data-testid='answer-code-display']", "[data-testid='answer-not-found']", "[data-testid='answer-retype']", "[data-testid='answer-home']"],
            withAxe: true));

        await page.GetByTestId("answer-home").ClickAsync();
        await page.GetByTestId("start-report").ClickAsync();
        await Expect(page.GetByTestId("report-submit")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("report-submit").ClickAsync();
        await Expect(page.GetByTestId("error-what")).ToBeVisibleAsync();
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "enquiry-report", variant,
            ["[data-testid='report-submit']", "[data-testid='report-cancel']", ".enquiry h1"], withAxe: true));
        problems.AddRange(await ReachEveryFieldAsync(page, "enquiry-report", variant));

        await KioskDisclosureScreen.FillAsync(page, "what", "取号机坏了，没取到号");
        await KioskDisclosureScreen.FillAsync(page, "contact_phone", "13812341234");
        await page.GetByTestId("report-submit").ClickAsync();
        await Expect(page.GetByTestId("report-receipt")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        problems.AddRange(await MeasureOnEveryDeviceAsync(page, "enquiry-report-receipt", variant,
            ["[data-testid='report-number']", "[data-testid='report-due-day']", "[data-testid='report-done']"], withAxe: true));

        await page.GetByTestId("report-done").ClickAsync();
        await page.CloseAsync();
        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The kiosk's home screen, live, in the mode and language asked for (one tap each, as a citizen would).</summary>
    private async Task<IPage> OpenKioskAsync(bool elderly, bool english)
    {
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Devices[0].Size, Locale = "zh-CN" });
        await page.GotoAsync(system.Kiosk.ToString());
        await Expect(page.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        if (elderly)
        {
            await page.GetByTestId("large-text").ClickAsync();
            await Expect(page.GetByTestId("large-text")).ToHaveAttributeAsync("aria-pressed", "true");
        }
        if (english)
        {
            await page.GetByTestId("language").ClickAsync();
            await Expect(page.GetByTestId("kiosk")).ToHaveAttributeAsync("lang", "en-US");
        }
        return page;
    }

    /// <summary>
    /// Each field of the step, scrolled to as a finger would: fully inside the screen and not under the header, the step's
    /// buttons or the keyboard.
    /// </summary>
    private static async Task<List<string>> ReachEveryFieldAsync(IPage page, string screen, string variant)
    {
        var problems = new List<string>();
        foreach (var (device, size) in HallDevices)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            var found = await page.EvaluateAsync<string[]>("""
                async () => {
                    const problems = [];
                    const covers = [...document.querySelectorAll(".kiosk-header, .step-footer, .osk:not([hidden])")];
                    for (const field of document.querySelectorAll(".disclosure [data-testid^='field-']")) {
                        field.scrollIntoView({ block: "center" });
                        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                        const r = field.getBoundingClientRect();
                        const name = field.getAttribute("data-testid");
                        if (r.top < -0.5 || r.bottom > window.innerHeight + 0.5 || r.left < -0.5 || r.right > window.innerWidth + 0.5) {
                            problems.push(`${name} cannot be brought fully into view (${Math.round(r.top)}–${Math.round(r.bottom)} of ${window.innerHeight})`);
                            continue;
                        }
                        for (const c of covers) {
                            if (c.contains(field)) continue;
                            const f = c.getBoundingClientRect();
                            if (Math.min(r.bottom, f.bottom) - Math.max(r.top, f.top) > 1 && Math.min(r.right, f.right) - Math.max(r.left, f.left) > 1) {
                                problems.push(`${name} lies under ${c.className}`);
                            }
                        }
                    }
                    window.scrollTo(0, 0);
                    return problems;
                }
                """);
            problems.AddRange(found.Select(p => $"{screen} on {device} ({size.Width}×{size.Height}, {variant}): {p}"));
        }
        await page.SetViewportSizeAsync(Devices[0].Size.Width, Devices[0].Size.Height);
        return problems;
    }

    [Fact]
    public async Task ElderlyMode_EveryTextOnTheRatingScreens_IsAtLeastOneAndAHalfTimesTheStandardSize()
    {
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Devices[0].Size, Locale = "zh-CN" });
        await page.GotoAsync(system.Kiosk.ToString());
        await Expect(page.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        var problems = new List<string>();

        // Each screen is measured as it is, then again after the one tap on 关怀版, then switched back.
        async Task CompareAsync(string screen)
        {
            var headings = (await page.Locator("h1").AllInnerTextsAsync()).Select(h => h.Trim()).ToHashSet();
            var standard = await page.EvaluateAsync<Dictionary<string, double>>(TextSizes);
            await page.GetByTestId("large-text").ClickAsync();
            await Expect(page.GetByTestId("large-text")).ToHaveAttributeAsync("aria-pressed", "true");
            var elderly = await page.EvaluateAsync<Dictionary<string, double>>(TextSizes);
            await page.GetByTestId("large-text").ClickAsync();
            await Expect(page.GetByTestId("large-text")).ToHaveAttributeAsync("aria-pressed", "false");
            Assert.NotEmpty(standard);
            // Texts shown in both (关怀版 leaves out the step indicator: its heading names the step). Headings, already
            // drawn at 40 px or more, need only keep that size; every other text grows at least 1.5 ×.
            var compared = standard.Keys.Intersect(elderly.Keys).ToList();
            Assert.True(compared.Count >= 5, $"{screen}: only {compared.Count} texts in both modes");
            foreach (var text in compared)
            {
                var (size, larger) = (standard[text], elderly[text]);
                if (headings.Contains(text))
                {
                    if (larger < Math.Max(40, size) - 0.5)
                    {
                        problems.Add($"{screen}: heading \"{text}\" {size:0.#}px → {larger:0.#}px");
                    }
                }
                else if (larger < size * 1.5 - 0.5)
                {
                    problems.Add($"{screen}: \"{text}\" {size:0.#}px → {larger:0.#}px ({larger / size:0.00}×)");
                }
            }
        }

        await page.GetByTestId("start-rating").ClickAsync();
        await Expect(page.GetByTestId("window-B03")).ToBeVisibleAsync();
        await CompareAsync("windows");
        await page.GetByTestId("window-B03").ClickAsync();
        await Expect(page.GetByTestId("level-5")).ToBeVisibleAsync();
        await CompareAsync("levels");
        await page.GetByTestId("level-5").ClickAsync();
        await Expect(page.GetByTestId("next-step")).ToBeVisibleAsync();
        await CompareAsync("reasons");
        await page.Locator("[data-testid^='tag-']").First.ClickAsync();
        await page.GetByTestId("next-step").ClickAsync();
        await Expect(page.GetByTestId("submit-anonymous")).ToBeVisibleAsync();
        await CompareAsync("contact");
        await page.GetByTestId("cancel-rating").ClickAsync();
        await page.CloseAsync();

        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// The drawn size of every visible text in the page (not the header), by its text (its first occurrence): the
    /// computed font size times the zoom it is drawn at.
    /// </summary>
    private const string TextSizes = """
        () => {
            const sizes = {};
            const main = document.querySelector(".kiosk-main");
            const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const el = node.parentElement;
                const text = node.textContent.trim();
                const r = el.getBoundingClientRect();
                if (!text || r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
                const key = text.slice(0, 24);
                if (key in sizes) continue;
                sizes[key] = parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom || 1);
            }
            return sizes;
        }
        """;

    private static async Task<List<string>> MeasureOnEveryDeviceAsync(
        IPage page, string screen, string variant, string[] mustReach, string? oneLine = null, bool withAxe = false,
        bool hallOnly = false)
    {
        var problems = new List<string>();
        var elderly = variant.StartsWith("elderly", StringComparison.Ordinal);
        foreach (var (device, size) in hallOnly ? HallDevices : Devices)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            // Two frames: the resize is laid out before anything is measured.
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath($"layout-{screen}-{device}-{variant}") });
            var found = await page.EvaluateAsync<string[]>(Measure, new object?[] { mustReach, oneLine, elderly });
            if (withAxe)
            {
                var axe = await page.RunAxe(Wcag21AA);
                found = [.. found, .. axe.Violations.Select(v => $"axe: {v.Id} ({v.Impact}) {v.Help} at " +
                    string.Join(", ", v.Nodes.Select(n => n.Target?.ToString())))];
            }
            problems.AddRange(found.Select(p => $"{screen} on {device} ({size.Width}×{size.Height}, {variant}): {p}"));
        }
        await page.SetViewportSizeAsync(Devices[0].Size.Width, Devices[0].Size.Height);
        return problems;
    }

    /// <summary>
    /// Every element of each selector: fully inside the viewport, not overlapped by another measured element nor by the
    /// page's fixed or sticky parts (header, step footer) unless it belongs to them; the one-line elements on one line.
    /// </summary>
    private const string Measure = """
        ([selectors, oneLine, elderly]) => {
            const problems = [];
            const vw = window.innerWidth, vh = window.innerHeight;
            const label = el => (el.getAttribute("data-testid") || el.className || el.tagName) + ` "${el.textContent.trim().slice(0, 16)}"`;
            // Lines of text in an element: its text boxes grouped into rows that do not overlap vertically.
            const lineCount = el => {
                const range = document.createRange();
                range.selectNodeContents(el);
                const boxes = [...range.getClientRects()].filter(r => r.height > 0 && r.width > 0).sort((a, b) => a.top - b.top);
                let lines = 0, bottom = -Infinity;
                for (const r of boxes) {
                    if (r.top >= bottom - 1) { lines++; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
                }
                return lines;
            };
            const measured = [];
            for (const selector of selectors) {
                const found = [...document.querySelectorAll(selector)];
                if (found.length === 0) problems.push(`nothing matches ${selector}`);
                for (const el of found) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 || r.height === 0) { problems.push(`${label(el)} is not shown`); continue; }
                    if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5) {
                        problems.push(`${label(el)} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} is not fully inside ${vw}×${vh}`);
                    }
                    measured.push({ el, r });
                }
            }
            const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
            for (let i = 0; i < measured.length; i++) {
                for (let j = i + 1; j < measured.length; j++) {
                    const a = measured[i], b = measured[j];
                    if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
                    // A face and its own label share their button, never each other's space.
                    if (overlap(a.r, b.r)) problems.push(`${label(a.el)} overlaps ${label(b.el)}`);
                }
            }
            // The parts that stay put while the page scrolls must not cover what the citizen has to reach.
            const fixed = [...document.querySelectorAll(".kiosk-header, .step-footer, .osk:not([hidden])")];
            for (const { el, r } of measured) {
                for (const f of fixed) {
                    if (f.contains(el)) continue;
                    const fr = f.getBoundingClientRect();
                    if (fr.height > 0 && overlap(r, fr)) problems.push(`${label(el)} is covered by ${f.className}`);
                }
            }
            // 关怀版 stays 关怀版 however dense the screen: every control at least 60 × 60 px and every text at least 24 px as drawn.
            if (elderly) {
                for (const el of document.querySelectorAll(".kiosk button, .kiosk a[href], .kiosk input")) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 || r.height === 0 || el.closest("[hidden]")) continue;
                    if (r.width < 59.5 || r.height < 59.5) problems.push(`${label(el)} is ${Math.round(r.width)}×${Math.round(r.height)}, under 60×60`);
                }
                const walker = document.createTreeWalker(document.querySelector(".kiosk"), NodeFilter.SHOW_TEXT);
                while (walker.nextNode()) {
                    const el = walker.currentNode.parentElement;
                    if (!walker.currentNode.textContent.trim() || el.closest(".sr-only, [hidden]")) continue;
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 || r.height === 0) continue;
                    const drawn = parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom || 1);
                    if (drawn < 23.5) problems.push(`${label(el)} text is ${drawn.toFixed(1)} px, under 24 px`);
                }
            }
            // The header's one-tap controls side by side in one row, none with its words broken; the hall's name (long in
            // English) on at most two short lines.
            const controls = [...document.querySelectorAll(".kiosk-header .header-button")].map(el => el.getBoundingClientRect()).filter(r => r.height > 0);
            if (controls.length > 1 && Math.max(...controls.map(r => r.top)) >= Math.min(...controls.map(r => r.bottom))) {
                problems.push(`the header's controls take more than one row`);
            }
            for (const r of controls) {
                if (r.left < -0.5 || r.right > vw + 0.5) problems.push(`a header control at ${Math.round(r.left)}–${Math.round(r.right)} is not fully inside ${vw} px`);
            }
            for (const el of document.querySelectorAll(".kiosk-header .header-button")) {
                const lines = lineCount(el);
                if (lines > 1) problems.push(`${label(el)} in the header wraps onto ${lines} lines`);
            }
            for (const el of document.querySelectorAll(".kiosk-header .brand-name")) {
                if (el.getBoundingClientRect().width <= 1) continue; // visually hidden on a portrait pad
                const lines = lineCount(el);
                if (lines > 2) problems.push(`the hall's name in the header wraps onto ${lines} lines`);
            }
            if (oneLine) {
                for (const el of document.querySelectorAll(oneLine)) {
                    const range = document.createRange();
                    range.selectNodeContents(el);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (lines.size > 1) problems.push(`${label(el)} wraps onto ${lines.size} lines`);
                }
            }
            return problems;
        }
        """;
}

using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// The dashboard's live hall screen on a wall (1920 × 1080 and 3840 × 2160) and on a phone (390 × 844), in the standard
/// screen and in 长辈版, with its 差评处理 panel and the ticker of a published month's rectified 差评: nothing overlaps (cards, panels, their charts and tables), no page is
/// wider than its screen, on a wall the whole screen fits without scrolling (nobody scrolls a wall), and on a wall its
/// figures (the 差评处理 figures and stages too), headings, table and chart labels are at least the size read at 5 m (docs/rules/accessibility.md#hall-screen), and axe finds nothing.
/// One page per mode is loaded and resized to each size; each is saved to artifacts/screenshots.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed partial class HallScreenLayoutTests(ServiceHallSystem system, ITestOutputHelper output)
{
    private static readonly (string Name, ViewportSize Size, bool Wall)[] Screens =
    [
        ("wall-1080p", new() { Width = 1920, Height = 1080 }, true),
        ("wall-4k", new() { Width = 3840, Height = 2160 }, true),
        ("phone", new() { Width = 390, Height = 844 }, false),
    ];

    /// <summary>
    /// The smallest text read at 5 m, in CSS px on a 1920 × 1080 wall screen: a character at least 1/200 of the distance
    /// high (25 mm at 5 m) on a 65-inch 16:9 screen (0.75 mm per pixel at 1920 × 1080) is 33 px; 32 px allows for
    /// rounding. A 3840 × 2160 screen of the same size needs twice as many pixels.
    /// </summary>
    private const double ReadAt5mOn1080p = 32;

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HallScreen_OnTheWallAndOnAPhone_FitsReadsFromAfarAndNothingOverlaps(bool large)
    {
        var mode = large ? "large" : "standard";
        // A month published, so the ticker of its rectified 差评 is on the screen too.
        await system.ApproveDraftsAsync();
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Screens[0].Size, Locale = "zh-CN" });
        await page.GotoAsync(new Uri(system.Dashboard, large ? "/?wall=1&large=1" : "/?wall=1").ToString());
        await Expect(page.GetByTestId("bad-count")).ToHaveTextAsync(DigitPattern(), new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("outcome-ticker-row")).ToContainTextAsync("整改：", new() { Timeout = 20_000 });
        var problems = new List<string>();

        foreach (var (name, size, wall) in Screens)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            // The charts redraw on the resize and take their new type size from it (16 px on a phone, 20 px in 长辈版):
            // wait until both have.
            var minimum = wall ? ReadAt5mOn1080p * size.Height / 1080 : 0;
            var labels = wall ? minimum : large ? 20 : 16;
            await page.WaitForFunctionAsync(ChartsSettled, new object[] { labels, 2 }, new() { Timeout = 10_000, PollingInterval = 100 });
            await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath($"hall-screen-{name}-{mode}"), FullPage = !wall });
            var found = await page.EvaluateAsync<string[]>(Measure, new object[] { wall, minimum });
            var axe = await page.RunAxe(Wcag21AA);
            found = [.. found, .. axe.Violations.Select(v => $"axe: {v.Id} ({v.Impact}) {v.Help} at " +
                string.Join(", ", v.Nodes.Select(n => n.Target?.ToString())))];
            problems.AddRange(found.Select(p => $"{name} ({size.Width}×{size.Height}, {mode}): {p}"));
        }
        await page.CloseAsync();

        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// The district screen (/district: the 差评处理 panel with its trend, and the departments) on a 1920 × 1080 wall: it
    /// fits without scrolling, nothing overlaps, and its figures, headings and chart labels read at 5 m.
    /// </summary>
    [Fact]
    public async Task DistrictScreen_OnAWall_FitsAndReadsFromAfar()
    {
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Screens[0].Size, Locale = "zh-CN" });
        await page.GotoAsync(new Uri(system.Dashboard, "/district").ToString());
        await Expect(page.GetByTestId("handling-open")).ToHaveTextAsync(DigitPattern(), new() { Timeout = 20_000 });
        await page.WaitForFunctionAsync(ChartsSettled, new object[] { ReadAt5mOn1080p, 1 }, new() { Timeout = 10_000, PollingInterval = 100 });
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("district-screen-wall-1080p") });
        var problems = await page.EvaluateAsync<string[]>(Measure, new object[] { true, ReadAt5mOn1080p });
        await page.CloseAsync();

        foreach (var problem in problems)
        {
            output.WriteLine(problem);
        }
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }

    [GeneratedRegex(@"\d")]
    private static partial Regex DigitPattern();

    /// <summary>
    /// Every chart on show (at least the given number) drawn at its host's width, its labels at the given size. A chart
    /// the layout does not display (the 差评 trend where the wall has no room for it) is not read.
    /// </summary>
    private const string ChartsSettled = """
        ([size, charts]) => {
            const hosts = [...document.querySelectorAll(".chart-canvas")].filter(host => host.getClientRects().length > 0);
            if (hosts.length < charts || typeof echarts === "undefined") return false;
            return hosts.every(host => {
                const chart = echarts.getInstanceByDom(host.querySelector("[_echarts_instance_]") || host.firstElementChild);
                if (!chart) return false;
                const option = chart.getOption();
                return Math.abs(chart.getWidth() - host.clientWidth) < 2 && Math.abs((option.textStyle?.[0]?.fontSize ?? option.textStyle?.fontSize ?? 0) - size) < 0.5;
            });
        }
        """;

    /// <summary>
    /// The screen's parts (header, headline cards, panels, footer): none overlaps another, each chart and table inside its
    /// panel, the page no wider than the screen; on a wall, everything inside the screen without scrolling and every text
    /// read from afar (figures, titles, headings, table, chart labels) at least the minimum size.
    /// </summary>
    private const string Measure = """
        ([wall, minimum]) => {
            const problems = [];
            const vw = window.innerWidth, vh = window.innerHeight;
            const name = el => (el.getAttribute("data-testid") || el.className || el.tagName) + ` "${el.textContent.trim().slice(0, 12)}"`;
            const parts = [...document.querySelectorAll(".screen-header, .headline-card, .panel, .outcome-ticker, .screen-footer")];
            const boxes = parts.map(el => ({ el, r: el.getBoundingClientRect() })).filter(b => b.r.height > 0);
            const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
            for (let i = 0; i < boxes.length; i++) {
                for (let j = i + 1; j < boxes.length; j++) {
                    if (boxes[i].el.contains(boxes[j].el) || boxes[j].el.contains(boxes[i].el)) continue;
                    if (overlap(boxes[i].r, boxes[j].r)) problems.push(`${name(boxes[i].el)} overlaps ${name(boxes[j].el)}`);
                }
            }
            // The text itself, not only its box: a figure or a heading wider than its card shows past the card's edge.
            for (const el of document.querySelectorAll(".headline-card__title, .headline-card__value, .headline-card__detail, .panel h2, .department-table tr, " +
                ".handling-figure__title, .handling-figure__value, .handling-figure__detail, .handling-stage")) {
                const range = document.createRange();
                range.selectNodeContents(el);
                const t = range.getBoundingClientRect(), p = el.closest(".panel, .headline-card").getBoundingClientRect();
                if (t.width > 0 && (t.left < p.left - 1 || t.right > p.right + 1)) problems.push(`the text of ${name(el)} runs past its card`);
            }
            for (const panel of document.querySelectorAll(".panel, .headline-card")) {
                const p = panel.getBoundingClientRect();
                for (const inner of panel.querySelectorAll(".chart-canvas, .table-scroll, h2, .headline-card__value, .handling-figure, .handling-stage, .chart-caption")) {
                    const r = inner.getBoundingClientRect();
                    if (r.height === 0) continue;
                    if (r.left < p.left - 1 || r.right > p.right + 1 || r.top < p.top - 1 || r.bottom > p.bottom + 1) {
                        problems.push(`${name(inner)} spills out of ${name(panel)}`);
                    }
                }
            }
            // Every level has its row and every hour its column: the charts are tall enough for their labels.
            const levelChart = document.querySelector(".panel--levels .chart-canvas")?.getBoundingClientRect();
            const labelSize = minimum || 16;
            if (levelChart && levelChart.height < 5 * labelSize * 1.4) {
                problems.push(`the level chart is ${Math.round(levelChart.height)} px high, too short for five rows of ${labelSize} px labels`);
            }
            const page = document.scrollingElement;
            if (page.scrollWidth > vw + 1) problems.push(`the page is ${page.scrollWidth} px wide on a ${vw} px screen`);
            if (wall) {
                if (page.scrollHeight > vh + 1) problems.push(`the page is ${page.scrollHeight} px high on a ${vh} px wall`);
                for (const { el, r } of boxes) {
                    if (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5) {
                        problems.push(`${name(el)} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} is not fully on the ${vw}×${vh} wall`);
                    }
                }
                // Nobody scrolls a wall: nothing hidden in a scrolling box either (every department's row shown).
                for (const box of document.querySelectorAll(".table-scroll")) {
                    if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) {
                        problems.push(`${name(box.closest(".panel"))} hides part of its table (${box.scrollWidth}×${box.scrollHeight} in ${box.clientWidth}×${box.clientHeight})`);
                    }
                }
                const read = ".screen-header h1, .headline-card__title, .headline-card__value, .headline-card__detail, .panel h2, .department-table th, .department-table td, " +
                    ".handling-figure__title, .handling-figure__value, .handling-figure__detail, .handling-stage__label, .handling-stage__count, .handling-stage__overdue, .chart-caption, " +
                    ".handling-table th, .handling-table td, .outcome-ticker__label, .outcome-ticker__row > span";
                const small = new Set();
                for (const el of document.querySelectorAll(read)) {
                    if (el.closest(".sr-only") || el.getBoundingClientRect().height === 0) continue;
                    const size = parseFloat(getComputedStyle(el).fontSize);
                    if (size < minimum - 0.5) small.add(`${el.className || el.tagName} ${size.toFixed(1)} px`);
                }
                for (const s of small) problems.push(`${s}, under the ${minimum.toFixed(0)} px read at 5 m`);
                for (const host of document.querySelectorAll(".chart-canvas")) {
                    if (host.getClientRects().length === 0) continue;
                    const chart = echarts.getInstanceByDom(host.querySelector("[_echarts_instance_]") || host.firstElementChild);
                    const option = chart.getOption();
                    const sizes = [
                        ...option.xAxis.map(a => a.axisLabel?.show === false ? Infinity : a.axisLabel?.fontSize),
                        ...option.yAxis.map(a => a.axisLabel?.show === false ? Infinity : a.axisLabel?.fontSize),
                        ...option.series.map(s => s.label?.show === false ? Infinity : s.label?.fontSize),
                        ...(option.legend ?? []).map(l => l.show === false ? Infinity : l.textStyle?.fontSize),
                    ].map(s => s ?? option.textStyle?.[0]?.fontSize ?? option.textStyle?.fontSize ?? 12);
                    const smallest = Math.min(...sizes);
                    if (smallest < minimum - 0.5) problems.push(`a chart label of ${smallest} px, under the ${minimum.toFixed(0)} px read at 5 m`);
                }
            }
            return problems;
        }
        """;
}

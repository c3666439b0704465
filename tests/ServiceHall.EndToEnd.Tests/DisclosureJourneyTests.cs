using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

[Collection(SystemCollection.Name)]
public sealed partial class DisclosureJourneyTests(ServiceHallSystem system, ITestOutputHelper output)
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task LatestMonthlyDisclosure_OpenedFromTheLivePage_ShowsTheOpenDataFiguresOnDesktopAndPhone()
    {
        await system.ApproveDraftsAsync();
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Desktop, Locale = "zh-CN" });
        await page.GotoAsync(system.Dashboard.ToString());
        // The hall screen links to the disclosures; the list is opened at that address (a tap on the hall screen before it
        // is live would change the address while the hall screen stays).
        var link = page.GetByTestId("disclosures-link");
        await Expect(link).ToHaveAttributeAsync("href", "/disclosures");
        await page.GotoAsync(new Uri(system.Dashboard, "disclosures").ToString());
        await Expect(page).ToHaveURLAsync(new Regex("/disclosures$"));

        // The server drafts the last closed month on start and the officer approved it; the list is newest first, so the first monthly entry
        // ("publication-2026-10-v1", not a quarter's "2026-Q3" or a year's) is the latest.
        var items = page.Locator("[data-testid=publication-list] > li");
        await Expect(items.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var testIds = await items.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.testid)");
        var latestMonthly = testIds.First(id => MonthlyListEntry().IsMatch(id));
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosures-list-1440"), FullPage = true });
        await page.GetByTestId(latestMonthly).Locator("a").First.ClickAsync();

        await Expect(page).ToHaveURLAsync(MonthlyPageAddress(), new() { Timeout = 10_000 });
        var address = MonthlyPageAddress().Match(page.Url);
        var (periodKey, version) = (address.Groups["key"].Value, int.Parse(address.Groups["version"].Value, CultureInfo.InvariantCulture));
        output.WriteLine($"latest monthly disclosure: {periodKey} v{version}");
        var ratingCount = page.GetByTestId("indicator-value-rating_count");
        await Expect(ratingCount).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // The figure on the page is the open-data document's (同源发布), fetched as any consumer would.
        using var http = new HttpClient();
        var json = await http.GetStringAsync(new Uri(system.ServerWeb, $"open-data/publications/{periodKey}/v{version}.json"));
        using var document = JsonDocument.Parse(json);
        var headline = document.RootElement.GetProperty("content").GetProperty("headline").EnumerateArray().ToList();
        var published = headline.Single(i => i.GetProperty("code").GetString() == "rating_count").GetProperty("numerator").GetInt32();
        Assert.Equal(published.ToString(CultureInfo.InvariantCulture), (await ratingCount.InnerTextAsync()).Trim());
        foreach (var indicator in headline)
        {
            await Expect(page.GetByTestId("indicator-value-" + indicator.GetProperty("code").GetString()))
                .ToHaveTextAsync(indicator.GetProperty("display").GetString()!);
        }

        var jsonLink = await page.GetByTestId("download-json").GetAttributeAsync("href");
        Assert.Equal(new Uri(system.ServerWeb, $"open-data/publications/{periodKey}/v{version}.json").ToString(), jsonLink);
        var csvLink = await page.GetByTestId("download-bad-reviews").GetAttributeAsync("href");
        using var csv = await http.GetAsync(csvLink);
        Assert.True(csv.IsSuccessStatusCode, $"{csvLink} answered {csv.StatusCode}");

        // Charts are drawn once the page is interactive.
        await Expect(page.Locator(".disclosure-chart canvas").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-1440"), FullPage = true });
        // Each 差评's outcome columns, at the right of its scrolling table: what was done, when, how long, callback, verdict.
        var reviews = page.GetByTestId("bad-review-table");
        await reviews.EvaluateAsync("table => table.parentElement.scrollLeft = table.parentElement.scrollWidth");
        await Expect(reviews.Locator("thead")).ToContainTextAsync("评价人意见");
        await page.Locator("section:has([data-testid=bad-review-table])").ScreenshotAsync(
            new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-bad-reviews-1440") });

        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await Expect(ratingCount).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // charts follow the resize
        // Wide tables scroll inside their own box: the page itself never scrolls sideways on a phone.
        var (scrollWidth, viewport) = await ScrollWidthAsync(page);
        Assert.True(scrollWidth <= viewport, $"page is {scrollWidth}px wide in a {viewport}px viewport");
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-390"), FullPage = true });

        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".disclosure-bar")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("downloads")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-print"), FullPage = true });
        await page.PdfAsync(new() { Path = Path.ChangeExtension(ServiceHallSystem.ScreenshotPath("dashboard-disclosure"), ".pdf"), Format = "A4", PrintBackground = true });
    }

    [Fact]
    public async Task DisclosureList_OnAPhone_FitsTheScreen()
    {
        await system.ApproveDraftsAsync();
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = Phone, Locale = "zh-CN" });
        await page.GotoAsync(new Uri(system.Dashboard, "disclosures").ToString());
        await Expect(page.GetByTestId("publication-list")).ToBeVisibleAsync(new() { Timeout = 20_000 });

        var (scrollWidth, viewport) = await ScrollWidthAsync(page);
        Assert.True(scrollWidth <= viewport, $"page is {scrollWidth}px wide in a {viewport}px viewport");
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosures-list-390"), FullPage = true });
    }

    private static async Task<(int ScrollWidth, int Viewport)> ScrollWidthAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        return (widths[0], widths[1]);
    }

    [GeneratedRegex(@"^publication-\d{4}-\d{2}-v\d+$")]
    private static partial Regex MonthlyListEntry();

    [GeneratedRegex(@"/disclosures/(?<key>\d{4}-\d{2})/v(?<version>\d+)$")]
    private static partial Regex MonthlyPageAddress();
}

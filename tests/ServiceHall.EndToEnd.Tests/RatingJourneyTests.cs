using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

[Collection(SystemCollection.Name)]
public sealed partial class RatingJourneyTests(ServiceHallSystem system, ITestOutputHelper output)
{
    private static readonly ViewportSize Portrait = new() { Width = 1080, Height = 1920 };
    private static readonly ViewportSize Landscape = new() { Width = 1920, Height = 1080 };

    [Fact]
    public async Task BadReviewTappedOnTheKiosk_StoredOnceAndShownOnTheOpenDashboard()
    {
        var dashboard = await system.Browser.NewPageAsync(new() { ViewportSize = Landscape, Locale = "zh-CN" });
        await dashboard.GotoAsync(system.Dashboard.ToString());
        var badCount = dashboard.GetByTestId("bad-count");
        await Expect(badCount).ToHaveTextAsync(Number(), new() { Timeout = 20_000 });
        var before = ReadNumber(await badCount.InnerTextAsync());

        var kiosk = await system.Browser.NewPageAsync(new() { ViewportSize = Portrait, Locale = "zh-CN" });
        await kiosk.GotoAsync(system.Kiosk.ToString());
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-home-portrait") });
        await kiosk.GetByTestId("start-rating").ClickAsync();

        await kiosk.Locator("[data-testid^='window-']").First.ClickAsync();
        await Expect(kiosk.GetByTestId("level-5")).ToBeVisibleAsync();
        // Nothing is preselected: no level button is marked pressed before the citizen taps one.
        await Expect(kiosk.Locator("[data-testid^='level-'][aria-pressed='true']")).ToHaveCountAsync(0);
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-rating-levels-portrait") });
        await kiosk.GetByTestId("level-5").ClickAsync();

        // A 差评 cannot go on without a reason.
        await kiosk.GetByTestId("next-step").ClickAsync();
        await Expect(kiosk.GetByTestId("step-message")).ToBeVisibleAsync();
        await kiosk.Locator("[data-testid^='tag-']").First.ClickAsync();
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-rating-reasons-portrait") });
        await kiosk.GetByTestId("next-step").ClickAsync();

        await kiosk.GetByTestId("submit-anonymous").ClickAsync();
        await Expect(kiosk.GetByTestId("thank-you")).ToBeVisibleAsync();
        var thanked = Stopwatch.StartNew();
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-thank-you-portrait") });

        await Expect(badCount).ToHaveTextAsync(new Regex($"^{before + 1}\\b"), new() { Timeout = 10_000 });
        output.WriteLine($"thank-you shown → dashboard 差评数 changed: {thanked.ElapsedMilliseconds} ms");
        await dashboard.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-live-landscape"), FullPage = true });

        Assert.Equal(1, system.CountStored("level = 5 AND device_id = 'kiosk-e2e' AND reason_tag_codes <> ''"));
    }

    [Fact]
    public async Task GoodRating_OnTheKiosk_TwoTapsOnTheRatingScreenAndStoredOnce()
    {
        var before = system.CountStored("device_id = 'kiosk-e2e' AND level = 1 AND window_code = 'B03'");
        var kiosk = await system.Browser.NewPageAsync(new() { ViewportSize = Portrait, Locale = "zh-CN" });
        await kiosk.GotoAsync(system.Kiosk.ToString());
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("start-rating").ClickAsync();
        await Expect(kiosk.GetByTestId("window-B03")).ToBeVisibleAsync();

        // The citizen's taps from the rating screen: the window, then the face. Recorded when the second lands.
        var taps = 0;
        var clock = Stopwatch.StartNew();
        await kiosk.GetByTestId("window-B03").ClickAsync();
        taps++;
        await kiosk.GetByTestId("level-1").ClickAsync();
        taps++;
        await Expect(kiosk.GetByTestId("recorded")).ToBeVisibleAsync();
        var recorded = clock.Elapsed;
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-recorded-portrait") });

        Assert.Equal(2, taps);
        output.WriteLine($"good rating on the kiosk: {taps} taps on the rating screen (3 from home), recorded {recorded.TotalSeconds:0.00} s after the first");
        // Nothing more to do: the screen closes itself and the rating goes out once.
        await Expect(kiosk.GetByTestId("start-rating")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await UntilStoredAsync(() => system.CountStored("device_id = 'kiosk-e2e' AND level = 1 AND window_code = 'B03'") == before + 1);
        await Task.Delay(1000);
        Assert.Equal(before + 1, system.CountStored("device_id = 'kiosk-e2e' AND level = 1 AND window_code = 'B03'"));
        await kiosk.CloseAsync();
    }

    [Fact]
    public async Task Comment_TypedInChineseOnTheScreenKeyboard_WithNoPhysicalKeyboard()
    {
        var kiosk = await system.Browser.NewPageAsync(new() { ViewportSize = Portrait, Locale = "zh-CN" });
        await kiosk.GotoAsync(system.Kiosk.ToString());
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("start-rating").ClickAsync();
        await kiosk.GetByTestId("window-B03").ClickAsync();
        await kiosk.GetByTestId("level-4").ClickAsync();

        // A tap on the comment field opens the keyboard; pinyin "paidui" offers 排 then 队.
        await kiosk.GetByTestId("rating-text").ClickAsync();
        var keyboard = kiosk.GetByTestId("keyboard");
        await Expect(keyboard).ToBeVisibleAsync();
        foreach (var (pinyin, character) in new[] { ("pai", "排"), ("dui", "队") })
        {
            foreach (var letter in pinyin)
            {
                await keyboard.Locator($".hg-button[data-skbtn='{letter}']").ClickAsync();
            }
            await keyboard.Locator(".hg-candidate-box-list-item", new() { HasTextString = character }).First.ClickAsync();
        }
        foreach (var key in new[] { "1", "2", "。" })
        {
            await keyboard.Locator($".hg-button[data-skbtn='{key}']").ClickAsync();
        }
        await Expect(kiosk.GetByTestId("rating-text")).ToHaveValueAsync("排队12。");
        await Expect(kiosk.GetByTestId("rating-text")).ToBeFocusedAsync();

        // The field and the step's button stay above the keyboard.
        var top = (await keyboard.BoundingBoxAsync())!.Y;
        Assert.True((await kiosk.GetByTestId("rating-text").BoundingBoxAsync())!.Y + 40 <= top, "the field is not covered");
        var next = (await kiosk.GetByTestId("next-step").BoundingBoxAsync())!;
        Assert.True(next.Y + next.Height <= top + 1, $"the next button ends at {next.Y + next.Height}, the keyboard starts at {top}");
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-keyboard-pinyin-portrait") });

        await keyboard.GetByTestId("osk-hide").ClickAsync();
        await Expect(keyboard).ToBeHiddenAsync();
        await kiosk.GetByTestId("next-step").ClickAsync();
        await kiosk.GetByTestId("submit-anonymous").ClickAsync();
        await Expect(kiosk.GetByTestId("thank-you")).ToBeVisibleAsync();
        await UntilStoredAsync(() => system.CountStored("device_id = 'kiosk-e2e' AND text = '排队12。'") == 1);
        await kiosk.CloseAsync();
    }

    private static async Task UntilStoredAsync(Func<bool> condition)
    {
        for (var i = 0; i < 150 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition(), "the rating reached the server");
    }

    [Fact]
    public async Task ServiceItems_SearchedAndOpened_ShowEveryFieldOfTheGuide()
    {
        var kiosk = await system.Browser.NewPageAsync(new() { ViewportSize = Landscape, Locale = "zh-CN" });
        await kiosk.GotoAsync(system.Kiosk.ToString());
        // The screen is live before anything is typed: a search typed into the prerendered page is never seen.
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-home-landscape") });
        await kiosk.GetByTestId("browse-items").ClickAsync();
        await Expect(kiosk.GetByTestId("item-search")).ToBeEditableAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("item-search").FillAsync("社保卡");
        var results = kiosk.Locator("[data-testid^='item-']:not([data-testid='item-search'])");
        // The whole list shows until the search has gone round the server: wait for its result, not any first item.
        await Expect(results.First).ToContainTextAsync("社会保障卡");
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-items-landscape") });
        await results.First.ClickAsync();

        foreach (var heading in new[] { "受理条件", "申报材料", "办理流程", "办结时限", "收费", "咨询电话", "监督电话" })
        {
            await Expect(kiosk.GetByText(heading).First).ToBeVisibleAsync();
        }

        await Expect(kiosk.GetByText("社保卡").First).ToBeVisibleAsync();
        // 网上办理 is a QR code to scan, the address in small print beside it.
        var qr = kiosk.GetByTestId("online-qr").Locator("img");
        await Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<int>("img => img.naturalWidth") > 100, "the QR code image is drawn");
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-item-landscape"), FullPage = true });
    }

    private static Regex Number() => NumberPattern();

    private static int ReadNumber(string text) => int.Parse(NumberPattern().Match(text).Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d+")]
    private static partial Regex NumberPattern();
}

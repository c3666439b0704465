using System.Globalization;
using Microsoft.Playwright;
using ServiceHall.Protos.V1;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// Issue 15's "done when": a 差评 tapped on the kiosk shows on the open hall screen and the console's triage header at once,
/// follows the handler's steps through the stages on both, moves the month's 按时整改率 when it closes, and the hall screen,
/// the statistics page and the publication's figures agree for the same period. Counts are compared as changes, so cases
/// left by the collection's other tests do not matter.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HandlingFiguresJourneyTests(ServiceHallSystem system)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };
    private static readonly LocatorAssertionsToHaveTextOptions Step = new() { Timeout = 15_000 };

    // The live push's bound: from the citizen's tap to the figure on both screens.
    private static readonly LocatorAssertionsToHaveTextOptions Pushed = new() { Timeout = 2_000 };

    private static readonly (string HallLabel, string ConsoleStage)[] Stages =
    [
        ("待分派", "AwaitingAssignment"), ("待回访", "AwaitingCallback"), ("整改中", "Rectifying"), ("待反馈", "AwaitingFeedback"),
        ("待评价整改", "AwaitingVerdict"), ("申诉处理", "Appeal"),
    ];

    private static readonly string[] CaseRates = ["rectified_rate", "rectified_in_time_rate", "callback_rate", "fix_satisfaction_rate"];

    private static ILocator HallStage(IPage hall, string label) => hall.GetByTestId($"stage-{label}").Locator(".handling-stage__count");

    private static ILocator ConsoleStage(IPage console, string stage) => console.GetByTestId($"triage-stage-{stage}").Locator("strong");

    private static async Task<int> NumberAsync(ILocator locator) => int.Parse((await locator.InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Every stage's count on both screens, once they have stopped changing (an earlier test's last push may still land).</summary>
    private static async Task<Dictionary<string, (int Hall, int Console)>> SettledCountsAsync(IPage hall, IPage console)
    {
        async Task<Dictionary<string, (int, int)>> ReadAsync()
        {
            var counts = new Dictionary<string, (int, int)>();
            foreach (var (label, stage) in Stages)
            {
                counts[label] = (await NumberAsync(HallStage(hall, label)), await NumberAsync(ConsoleStage(console, stage)));
            }

            return counts;
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        var last = await ReadAsync();
        while (true)
        {
            await Task.Delay(1_000);
            var now = await ReadAsync();
            if (now.SequenceEqual(last) || DateTime.UtcNow > deadline)
            {
                return now;
            }

            last = now;
        }
    }

    /// <summary>Both screens show each stage changed by <paramref name="delta"/> from <paramref name="before"/> (the ones not named unchanged).</summary>
    private static async Task ExpectStagesAsync(
        IPage hall, IPage console, Dictionary<string, (int Hall, int Console)> before, Dictionary<string, int> delta, LocatorAssertionsToHaveTextOptions within)
    {
        foreach (var (label, stage) in Stages)
        {
            var change = delta.GetValueOrDefault(label);
            await Expect(HallStage(hall, label)).ToHaveTextAsync((before[label].Hall + change).ToString(CultureInfo.InvariantCulture), within);
            await Expect(ConsoleStage(console, stage)).ToHaveTextAsync((before[label].Console + change).ToString(CultureInfo.InvariantCulture), within);
        }
    }

    [Fact]
    public async Task BadReviewFromTheKiosk_FollowsItsStagesOnTheHallScreenAndConsole_AndEveryFigureOfTheMonthAgrees()
    {
        var hall = await system.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "zh-CN" });
        await hall.GotoAsync(system.Dashboard.ToString());
        await Expect(hall.GetByTestId("handling-open")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var console = await ConsoleBrowser.SignInAsync(system, "manager");
        await Expect(console.GetByTestId("triage")).ToBeVisibleAsync(Live);
        var before = await SettledCountsAsync(hall, console);
        var openBefore = await NumberAsync(hall.GetByTestId("handling-open"));
        var inTime = hall.Locator(".handling-figure:has([data-testid='handling-in-time']) .handling-figure__detail");
        var inTimeBefore = Fraction(await inTime.InnerTextAsync());

        // The citizen taps 非常不满意 at window A01 and submits anonymously.
        var kiosk = await system.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1080, Height = 1920 }, Locale = "zh-CN" });
        await kiosk.GotoAsync(system.Kiosk.ToString());
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("start-rating").ClickAsync();
        await kiosk.GetByTestId("window-A01").ClickAsync();
        await kiosk.GetByTestId("level-4").ClickAsync();
        await kiosk.GetByTestId("rating-text").FillAsync("叫号后窗口长时间无人，等了四十分钟。");
        await kiosk.GetByTestId("next-step").ClickAsync();
        await kiosk.GetByTestId("submit-anonymous").ClickAsync();

        // Within 2 s of the tap: one more open 差评 on the hall screen, one more 待分派 on the hall screen and the console.
        await Expect(hall.GetByTestId("handling-open")).ToHaveTextAsync((openBefore + 1).ToString(CultureInfo.InvariantCulture), Pushed);
        await Expect(HallStage(hall, "待分派")).ToHaveTextAsync((before["待分派"].Hall + 1).ToString(CultureInfo.InvariantCulture), Pushed);
        await Expect(ConsoleStage(console, "AwaitingAssignment")).ToHaveTextAsync((before["待分派"].Console + 1).ToString(CultureInfo.InvariantCulture), Pushed);
        await Expect(kiosk.GetByTestId("thank-you")).ToBeVisibleAsync();
        await kiosk.CloseAsync();
        await ExpectStagesAsync(hall, console, before, new() { ["待分派"] = 1 }, Step);
        await hall.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("handling-hall-new-case") });

        // The case is the one the console's alert points to.
        var alertLink = console.GetByTestId("new-case-alert").GetByRole(AriaRole.Link).First;
        await Expect(alertLink).ToBeVisibleAsync(Live);
        var caseHref = await alertLink.GetAttributeAsync("href");
        Assert.NotNull(caseHref);
        var manager = await ConsoleBrowser.SignInAsync(system, "manager");
        await manager.GotoAsync(new Uri(system.Dashboard, caseHref.TrimStart('/')).ToString());
        await Expect(manager.GetByTestId("case-state")).ToHaveTextAsync("待分派", Step);
        var assign = manager.Locator("details:has(form[data-testid='action-assign'])");
        if (await assign.GetAttributeAsync("open") is null)
        {
            await assign.Locator("summary").ClickAsync();
        }

        await manager.Locator("#act-assign-department_code").SelectOptionAsync("XZSP");
        await manager.GetByTestId("act-assign").ClickAsync();
        await Expect(manager.GetByTestId("case-state")).ToHaveTextAsync("已分派", Step);
        await ExpectStagesAsync(hall, console, before, new() { ["待回访"] = 1 }, Step);

        var handler = await ConsoleBrowser.SignInAsync(system, "handler");
        await handler.GotoAsync(new Uri(system.Dashboard, caseHref.TrimStart('/')).ToString());
        await Expect(handler.GetByTestId("case-state")).ToHaveTextAsync("已分派", Step);
        await ConsoleBrowser.ActWithTextsAsync(handler, "skip_callback_anonymous");
        await ExpectStagesAsync(hall, console, before, new() { ["整改中"] = 1 }, Step);
        await ConsoleBrowser.ActWithTextsAsync(handler, "fix_at_once", "当日调整叫号规则，窗口人员离岗须有人顶岗。");
        await ExpectStagesAsync(hall, console, before, new() { ["待反馈"] = 1 }, Step);
        await ConsoleBrowser.ActWithTextsAsync(handler, "give_feedback", "整改情况已在大厅公示栏公示。");
        await Expect(handler.GetByTestId("case-state")).ToHaveTextAsync("已办结", Step);

        // Closed on time: back to where the stages were, and the month's 按时整改率 counts it above and below the line.
        await ExpectStagesAsync(hall, console, before, [], Step);
        await Expect(hall.GetByTestId("handling-open")).ToHaveTextAsync(openBefore.ToString(CultureInfo.InvariantCulture), Step);
        await Expect(inTime).ToHaveTextAsync($"{inTimeBefore.Numerator + 1}/{inTimeBefore.Denominator + 1}", Step);
        await hall.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("handling-hall-closed") });

        // The same month on the hall screen, through GetHandlingFigures, on the statistics page and as the publication counts it.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var fromDay = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var toDay = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var figures = (await new CaseService.CaseServiceClient(await system.SignedInAsync("manager"))
            .GetHandlingFiguresAsync(new GetHandlingFiguresRequest { FromDay = fromDay, ToDay = toDay })).Period.Total;
        var published = (await new DisclosureService.DisclosureServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(system.ServerGrpc))
            .GetIndicatorsAsync(new GetIndicatorsRequest { ScopeKind = ScopeKind.Hall, ScopeCode = ServiceHallSystem.HallCode, FromDay = fromDay, ToDay = toDay }))
            .Indicators.ToDictionary(i => i.Code);
        var statistics = await ConsoleBrowser.SignInAsync(system, "manager");
        await statistics.GetByTestId("nav-statistics").ClickAsync();
        await Expect(statistics.GetByTestId("stat-received")).ToBeVisibleAsync(Live);
        foreach (var code in CaseRates)
        {
            var rate = figures.Rates.Single(r => r.Code == code);
            Assert.Equal((published[code].Numerator, published[code].Denominator, published[code].Display), (rate.Numerator, rate.Denominator, rate.Display));
            await Expect(statistics.GetByTestId($"stat-rate-{code}")).ToHaveTextAsync(rate.Display);
            await Expect(statistics.GetByTestId($"stat-fraction-{code}")).ToHaveTextAsync($"{rate.Numerator}/{rate.Denominator}");
        }

        var inTimeRate = figures.Rates.Single(r => r.Code == "rectified_in_time_rate");
        var callbackRate = figures.Rates.Single(r => r.Code == "callback_rate");
        await Expect(hall.GetByTestId("handling-in-time")).ToHaveTextAsync(inTimeRate.Display);
        await Expect(inTime).ToHaveTextAsync($"{inTimeRate.Numerator}/{inTimeRate.Denominator}");
        await Expect(hall.GetByTestId("handling-callback")).ToHaveTextAsync(callbackRate.Display);
        await Expect(statistics.GetByTestId("stat-received")).ToHaveTextAsync(figures.Received.ToString(CultureInfo.InvariantCulture));

        // The statistics page as a hall manager reads it for the month-end 通报, at the console's two screen sizes.
        await Expect(statistics.GetByTestId("stat-window-ranking")).ToBeVisibleAsync();
        await statistics.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-statistics-1440"), FullPage = true });
        await statistics.SetViewportSizeAsync(1280, 800);
        await statistics.GetByTestId("stat-breakdown").SelectOptionAsync("Department");
        await statistics.GetByTestId("stat-query").ClickAsync();
        await Expect(statistics.Locator("#stat-groups-heading")).ToHaveTextAsync("按部门统计", Step);
        await statistics.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-statistics-1280"), FullPage = true });
    }

    private static (int Numerator, int Denominator) Fraction(string text)
    {
        var parts = text.Trim().Split('/');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}

using System.Globalization;
using Microsoft.Playwright;
using ServiceHall.Protos.V1;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// An information-disclosure request handed in on the kiosk's screen appears in the 政务公开 office's console, is sent
/// for 补正 (the clock stops, then restarts from the supplement), assigned, extended once, answered 部分公开 by the department,
/// approved and delivered, and the year's table counts it in the 自然人 column of 部分公开 (docs/rules/disclosure-requests.md).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DisclosureRequestJourneyTests(ServiceHallSystem system)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };
    private static readonly LocatorAssertionsToHaveTextOptions LiveText = new() { Timeout = 15_000 };

    private static async Task<int> PartlyDisclosedByPersonsAsync(DisclosureRequestService.DisclosureRequestServiceClient office, int year) =>
        (await office.GetDisclosureAnnualReportAsync(new GetDisclosureAnnualReportRequest { Year = year })).Rows
        .Single(r => r.Code == "partly_disclosed").Counts[0];

    [Fact]
    public async Task Request_SupplementExtendedAnsweredPartly_CountedInTheYearsTable()
    {
        var office = new DisclosureRequestService.DisclosureRequestServiceClient(await system.SignedInAsync("officer"));
        var submittedAt = DateTimeOffset.UtcNow;

        // The citizen applies on the kiosk's screen; the receipt names the number and the reply day the server computed.
        var kiosk = await system.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1080, Height = 1920 }, Locale = "zh-CN" });
        await kiosk.GotoAsync(system.Kiosk.ToString());
        await KioskDisclosureScreen.ApplyAsync(kiosk, "张三", "槐荫区老旧小区改造的年度计划");
        await Expect(kiosk.GetByTestId("receipt-confirmed")).ToBeVisibleAsync(Live);
        var receipt = new
        {
            RequestNumber = (await kiosk.GetByTestId("receipt-number").TextContentAsync())!.Trim(),
            ReplyDueDay = DateOnly.ParseExact((await kiosk.GetByTestId("receipt-due-day").TextContentAsync())!.Trim(), "yyyy年M月d日",
                CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-disclosure-receipt-portrait") });
        await kiosk.CloseAsync();
        var year = DateOnly.ParseExact(receipt.ReplyDueDay, "yyyy-MM-dd", CultureInfo.InvariantCulture).Year;
        var yearOfReply = submittedAt.ToOffset(TimeSpan.FromHours(8)).Year;
        var before = await PartlyDisclosedByPersonsAsync(office, yearOfReply);

        var page = await ConsoleBrowser.SignInAsync(system, "officer");
        await page.GotoAsync(new Uri(system.Dashboard, "console/disclosure-requests").ToString());
        var row = page.GetByTestId($"request-{receipt.RequestNumber}");
        await Expect(row).ToBeVisibleAsync(Live);
        await Expect(row).ToContainTextAsync("自然人");
        await Expect(row).Not.ToContainTextAsync("张");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("request-state")).ToHaveTextAsync("待登记", LiveText);
        await Expect(page.GetByTestId("applicant")).ToContainTextAsync("张*");
        await Expect(page.GetByTestId("reply-due")).ToHaveTextAsync(receipt.ReplyDueDay);
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-disclosure-request-1440") });

        await ConsoleBrowser.ActAsync(page, "register");
        var supplementDue = await page.Locator("#act-request_supplement-due_day").GetAttributeAsync("max");
        await ConsoleBrowser.ActAsync(page, "request_supplement", ("what", "请写明所需计划的年度和发布单位"), ("due_day", supplementDue!));
        await Expect(page.GetByTestId("clock-state")).ToHaveTextAsync("补正中，停止计时");
        await ConsoleBrowser.ActAsync(page, "record_supplement", ("content", "2026年度，槐荫区住房城乡建设局发布"));
        await Expect(page.GetByTestId("clock-state")).ToHaveTextAsync("计时中");
        var restarted = await page.GetByTestId("reply-due").TextContentAsync();

        await ConsoleBrowser.ActAsync(page, "assign", ("department_code", "XZSP"));
        var extendedTo = await page.Locator("#act-extend-new_due_day").GetAttributeAsync("max");
        await ConsoleBrowser.ActAsync(page, "extend", ("new_due_day", extendedTo!), ("approver", "赵公开"), ("reason", "需与相关部门协调，区分处理"),
            ("applicant_told", "已电话告知申请人"));
        await Expect(page.GetByTestId("reply-due")).ToHaveTextAsync(extendedTo!);
        await Expect(page.GetByTestId("extension")).ToHaveTextAsync("20 个工作日");
        Assert.NotEqual(restarted, extendedTo);
        await Expect(page.Locator("form[data-testid='action-extend']")).ToHaveCountAsync(0);

        var handler = await ConsoleBrowser.SignInAsync(system, "handler");
        await handler.GotoAsync(page.Url);
        await Expect(handler.GetByTestId("request-state")).ToHaveTextAsync("承办中", LiveText);
        await Expect(handler.GetByTestId("applicant")).ToHaveCountAsync(0);
        await ConsoleBrowser.ActAsync(handler, "draft_reply", ("outcome", "partly_disclosed"), ("content", "公开改造计划，住户名单涉及个人隐私不予公开"),
            ("legal_basis", "《中华人民共和国政府信息公开条例》第十五条、第三十七条"));

        await page.ReloadAsync();
        await Expect(page.GetByTestId("request-state")).ToHaveTextAsync("答复待审批", LiveText);
        await ConsoleBrowser.ActAsync(page, "approve_reply", ("approver", "赵公开"));
        await ConsoleBrowser.ActAsync(page, "send_reply", ("delivered_by", "collect"));
        await Expect(page.GetByTestId("request-state")).ToHaveTextAsync("已答复");
        await Expect(page.GetByTestId("outcome")).ToHaveTextAsync("部分公开");
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-disclosure-request-answered-1440") });

        await page.GotoAsync(new Uri(system.Dashboard, $"console/disclosure-requests/report?year={yearOfReply}").ToString());
        var cell = page.GetByTestId("row-partly_disclosed").Locator("td").First;
        await Expect(cell).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture), LiveText);
        await Expect(page.GetByTestId("report-csv")).ToHaveAttributeAsync("download", $"政府信息公开申请情况-{yearOfReply}.csv");

        // The office enters the year's 行政复议 figures (the server does not see those proceedings); the total is their sum.
        await page.GetByTestId("proceedings-edit").ClickAsync();
        foreach (var (column, value) in new[] { (0, "2"), (1, "1") })
        {
            await page.GetByTestId($"proceeding-0-{column}").FillAsync(value);
            await page.GetByTestId($"proceeding-0-{column}").PressAsync("Tab");
        }
        await page.GetByTestId("proceedings-save").ClickAsync();
        await Expect(page.GetByTestId("proceedings-message")).ToHaveTextAsync("已保存", LiveText);
        await page.ReloadAsync();
        var review = page.GetByTestId("proceedings-0").Locator("td");
        await Expect(review.Nth(0)).ToHaveTextAsync("2", LiveText);
        await Expect(review.Nth(4)).ToHaveTextAsync("3");
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-disclosure-annual-report-1440"), FullPage = true });
        Assert.True(year >= yearOfReply);
    }
}

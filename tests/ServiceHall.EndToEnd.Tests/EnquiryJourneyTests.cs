using Microsoft.Playwright;
using ServiceHall.Protos.V1;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// 办事咨询 and 办不成事反映 (docs/rules/questions-and-reports.md): a question asked at the kiosk about a service item is answered
/// by the item's department through the staff API and read at the kiosk, on a fresh screen, with the receipt's pickup code;
/// a 办不成事 report handed in at the kiosk is in the hall manager's list.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class EnquiryJourneyTests(ServiceHallSystem system)
{
    // 有限责任公司设立登记, an item of 区行政审批服务局 (XZSP), whose handler is the fixture's "handler".
    private const string CompanyRegistration = "11370104MB2851301K000105001000";

    private static readonly ViewportSize KioskPortrait = new() { Width = 1080, Height = 1920 };
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };

    /// <summary>The kiosk at <paramref name="path"/> in a fresh browser context: nothing of another screen's session carries over.</summary>
    private async Task<IPage> OpenKioskAsync(string path = "")
    {
        var context = await system.Browser.NewContextAsync(new() { ViewportSize = KioskPortrait, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(system.Kiosk, path).ToString());
        return page;
    }

    [Fact]
    public async Task Question_AskedAboutAnItemAtTheKiosk_AnsweredByTheDepartment_ReadWithThePickupCodeOnAnotherScreen()
    {
        var text = $"设立有限公司需要法定代表人本人到场吗？（{Guid.NewGuid().ToString("N")[..6]}）";

        // From the item's page, "我要咨询" carries the item; the citizen leaves a phone (full-width, as an input method gives
        // it) and agrees to an FAQ entry.
        var kiosk = await OpenKioskAsync($"items/{CompanyRegistration}");
        // The screen is live before anything is tapped: a tap on the prerendered page may be lost.
        await Expect(kiosk.GetByTestId("rate-item")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("ask-item").ClickAsync();
        await Expect(kiosk.GetByTestId("question-submit")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await Expect(kiosk.GetByTestId("enquiry-item-name")).ToHaveTextAsync("有限责任公司设立登记");
        await KioskDisclosureScreen.FillAsync(kiosk, "text", text);
        await KioskDisclosureScreen.FillAsync(kiosk, "contact_phone", "１３８１２３４５６７８");
        await kiosk.GetByTestId("faq-consent").ClickAsync();
        await Expect(kiosk.GetByTestId("faq-consent")).ToHaveAttributeAsync("aria-checked", "true");
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("enquiry-question-filled-kiosk-portrait") });
        await kiosk.GetByTestId("question-submit").ClickAsync();

        await Expect(kiosk.GetByTestId("question-receipt")).ToBeVisibleAsync(Live);
        var code = (await kiosk.GetByTestId("question-pickup-code").GetAttributeAsync("data-code"))!;
        Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", code);
        await Expect(kiosk.GetByTestId("question-pickup-code")).ToHaveTextAsync($"{code[..4]} {code[4..]}");
        await Expect(kiosk.GetByTestId("question-due-day")).ToContainTextAsync("年");
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("enquiry-question-receipt-kiosk-portrait") });
        await kiosk.Context.CloseAsync();

        // Not answered yet: the same "not found" as any unknown code.
        var early = await OpenKioskAsync("answer");
        await TypeCodeAsync(early, code);
        await Expect(early.GetByTestId("answer-not-found")).ToBeVisibleAsync(Live);
        await early.Context.CloseAsync();

        // The item's department answers it in the console (the server routed it there at once); the phone is never shown.
        var handler = new QuestionService.QuestionServiceClient(await system.SignedInAsync("handler"));
        var listed = await handler.ListQuestionsAsync(new ListQuestionsRequest { States = { QuestionState.Routed } });
        var question = Assert.Single(listed.Questions, q => q.Text == text);
        Assert.Equal(CompanyRegistration, question.ServiceItemCode);
        Assert.True(question.FaqConsent);
        Assert.True(question.HasContact);
        var console = await ConsoleBrowser.SignInAsync(system, "handler");
        await console.GetByTestId("nav-questions").ClickAsync();
        var row = console.Locator("[data-testid^=question-row-]", new() { HasText = text });
        await Expect(row).ToBeVisibleAsync(Live);
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(console.GetByTestId("question-text")).ToHaveTextAsync(text, new() { Timeout = 15_000 });
        Assert.DoesNotContain("13812345678", await console.ContentAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.ActAsync(console, "answer", ("answer", "需要。法定代表人本人持身份证到A01窗口办理，也可网上全程办理。"));
        await console.Context.CloseAsync();

        // Any kiosk, a fresh screen: the code typed on the keypad shows the question and its answer.
        var reader = await OpenKioskAsync("answer");
        await TypeCodeAsync(reader, code);
        await Expect(reader.GetByTestId("answer-found")).ToBeVisibleAsync(Live);
        await Expect(reader.GetByTestId("answer-question")).ToHaveTextAsync(text);
        await Expect(reader.GetByTestId("answer-text")).ToHaveTextAsync("需要。法定代表人本人持身份证到A01窗口办理，也可网上全程办理。");
        await reader.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("enquiry-answer-found-kiosk-portrait") });
        await reader.Context.CloseAsync();
    }

    [Fact]
    public async Task CouldNotBeDoneReport_HandedInAtTheKiosk_IsInTheHallManagersList()
    {
        var what = $"办理有限公司设立登记时被告知材料不全，但没有一次性告知缺什么（{Guid.NewGuid().ToString("N")[..6]}）";

        var kiosk = await OpenKioskAsync();
        // The screen is live before anything is tapped: a tap on the prerendered page may be lost.
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("start-report").ClickAsync();
        await Expect(kiosk.GetByTestId("report-submit")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await KioskDisclosureScreen.FillAsync(kiosk, "what", what);
        await KioskDisclosureScreen.FillAsync(kiosk, "window", "A01");
        await kiosk.GetByTestId("happened-yesterday").ClickAsync();
        await KioskDisclosureScreen.FillAsync(kiosk, "contact_phone", "0531-87598110");
        await kiosk.GetByTestId("report-submit").ClickAsync();

        await Expect(kiosk.GetByTestId("report-receipt")).ToBeVisibleAsync(Live);
        var number = (await kiosk.GetByTestId("report-number").TextContentAsync())!.Trim();
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("enquiry-report-receipt-kiosk-portrait") });
        await kiosk.Context.CloseAsync();

        var manager = new QuestionService.QuestionServiceClient(await system.SignedInAsync("manager"));
        var reports = await manager.ListCouldNotBeDoneReportsAsync(new ListCouldNotBeDoneReportsRequest());
        var report = Assert.Single(reports.Reports, r => r.ReportNumber == number);
        Assert.Equal(what, report.What);
        Assert.Equal("A01", report.Window);
        Assert.Equal(CouldNotBeDoneState.Received, report.State);
    }

    private static async Task TypeCodeAsync(IPage page, string code)
    {
        await Expect(page.GetByTestId("answer-key-clear")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        foreach (var key in code)
        {
            await page.GetByTestId($"answer-key-{key}").ClickAsync();
        }
        await page.GetByTestId("answer-submit").ClickAsync();
    }
}

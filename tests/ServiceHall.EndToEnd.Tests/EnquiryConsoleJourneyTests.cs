using Google.Protobuf.WellKnownTypes;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Playwright;
using ServiceHall.Protos.V1;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// A question (办事咨询) handed in through the kiosk's contract is answered in the console by the department's handler, its
/// FAQ entry accepted by the hall manager (it then shows in the item's FAQ the kiosks receive and the answer by pickup code);
/// a "could not get it done" report handed in the same way is called back (the number revealed with a reason, recorded in
/// the trail) and concluded in the console (docs/rules/questions-and-reports.md).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class EnquiryConsoleJourneyTests(ServiceHallSystem system)
{
    // A service item of the demo district, handled by 区行政审批服务局 (XZSP), the department of the fixture's handler.
    private const string Item = "11370104MB2851301K000105001000";

    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };
    private static readonly LocatorAssertionsToHaveTextOptions LiveText = new() { Timeout = 15_000 };

    private QuestionService.QuestionServiceClient KioskClient() =>
        new(GrpcChannel.ForAddress(system.ServerGrpc).CreateCallInvoker().Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + system.KioskCredential);
            return metadata;
        }));

    /// <summary>The page at 1440×900 and at a phone's 390×844.</summary>
    private static async Task ShootAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath(name + "-1440") });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath(name + "-390") });
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
    }

    [Fact]
    public async Task Question_AnsweredByTheDepartment_FaqAccepted_Report_CalledBackAndConcluded_InTheConsole()
    {
        var kiosk = KioskClient();
        var mark = Guid.NewGuid().ToString("N")[..6];
        var asked = $"营业执照变更需要带哪些材料？（{mark}）";
        var receipt = await kiosk.SubmitQuestionAsync(new SubmitQuestionRequest
        {
            RequestId = Guid.CreateVersion7().ToString(), SubmittedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Text = asked,
            ServiceItemCode = Item, ContactPhone = "13912345678", FaqConsent = true,
        });

        // The department's handler finds it in the queue, routed to them by the item, and answers it.
        var handler = await ConsoleBrowser.SignInAsync(system, "handler");
        await handler.GetByTestId("nav-questions").ClickAsync();
        var row = handler.Locator("[data-testid^=question-row-]", new() { HasText = mark });
        await Expect(row).ToBeVisibleAsync(Live);
        await Expect(row.GetByTestId("question-state")).ToHaveTextAsync("待答复");
        await Expect(row).ToContainTextAsync(receipt.AnswerDueDay);
        await ShootAsync(handler, "console-questions");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(handler.GetByTestId("question-text")).ToHaveTextAsync(asked, LiveText);
        // The citizen left a number; the console says so and never shows it.
        await Expect(handler.GetByTestId("question-contact")).ToHaveTextAsync("群众留有电话（不向工作人员显示）");
        Assert.DoesNotContain("13912345678", await handler.ContentAsync(), StringComparison.Ordinal);
        await ShootAsync(handler, "console-question");
        var answer = $"请携带营业执照正副本、股东会变更决议和经办人身份证。（{mark}）";
        await ConsoleBrowser.ActAsync(handler, "answer", ("answer", answer));
        await Expect(handler.GetByTestId("question-state")).ToHaveTextAsync("已答复待审核");
        var questionPage = handler.Url;

        // The answer shows at any kiosk by the pickup code.
        Assert.Equal(answer, (await kiosk.FindAnswerAsync(new FindAnswerRequest { PickupCode = receipt.PickupCode })).Answer);

        // The hall manager reviews the FAQ entry: the form starts from the citizen's words and the answer; the office edits.
        var manager = await ConsoleBrowser.SignInAsync(system, "manager");
        await manager.GotoAsync(questionPage);
        await Expect(manager.GetByTestId("faq-review-hint")).ToBeVisibleAsync(Live);
        await Expect(manager.Locator("#act-accept_as_faq-faq_question")).ToHaveValueAsync(asked);
        await ShootAsync(manager, "console-question-faq-review");
        var faqQuestion = $"营业执照变更要带什么材料？（{mark}）";
        await ConsoleBrowser.ActAsync(manager, "accept_as_faq", ("faq_question", faqQuestion), ("faq_answer", "营业执照正副本、股东会变更决议和经办人身份证。"));
        await Expect(manager.GetByTestId("question-state")).ToHaveTextAsync("已办结");
        await Expect(manager.GetByTestId("question-faq")).ToContainTextAsync(faqQuestion);
        var catalog = await new CatalogService.CatalogServiceClient(GrpcChannel.ForAddress(system.ServerGrpc))
            .GetCatalogAsync(new GetCatalogRequest { HallCode = ServiceHallSystem.HallCode });
        Assert.Contains(catalog.ServiceItems.Single(i => i.Code == Item).Faq, f => f.Question == faqQuestion);

        // A report that something could not be done: the hall manager reveals the number (with a reason), calls back, concludes.
        var what = $"想办营业执照变更，窗口说系统不通，让改天再来（{mark}）";
        var report = await kiosk.SubmitCouldNotBeDoneReportAsync(new SubmitCouldNotBeDoneReportRequest
        {
            RequestId = Guid.CreateVersion7().ToString(), SubmittedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), What = what,
            Window = "A01", ServiceItemCode = Item,
            HappenedOn = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ContactPhone = "13812345678",
        });
        await manager.GetByTestId("nav-could-not-be-done").ClickAsync();
        var reportRow = manager.GetByTestId($"report-row-{report.ReportNumber}");
        await Expect(reportRow).ToBeVisibleAsync(Live);
        await Expect(reportRow).ToContainTextAsync(report.DueDay);
        await ShootAsync(manager, "console-reports");
        await reportRow.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(manager.GetByTestId("report-contact")).ToHaveTextAsync("138****5678", LiveText);
        await Expect(manager.GetByTestId("report-due")).ToContainTextAsync(report.DueDay);
        await ShootAsync(manager, "console-report");
        await manager.GetByTestId("reveal-report-contact-reason").FillAsync("电话回访");
        await manager.GetByTestId("reveal-report-contact-submit").ClickAsync();
        await Expect(manager.GetByTestId("report-contact")).ToHaveTextAsync("13812345678", LiveText);
        await Expect(manager.GetByTestId("timeline")).ToContainTextAsync("电话回访");
        await ConsoleBrowser.ActAsync(manager, "record_callback", ("outcome", "reached"), ("note", "已联系，系统已恢复"));
        await Expect(manager.GetByTestId("report-calls")).ToHaveTextAsync("1 次");
        await ConsoleBrowser.ActAsync(manager, "conclude", ("outcome", "resolved"), ("what_was_done", "次日上午窗口优先办理，已办结"));
        await Expect(manager.GetByTestId("report-state")).ToHaveTextAsync("已办结");
        await Expect(manager.GetByTestId("report-outcome")).ToContainTextAsync("已解决");
        await ShootAsync(manager, "console-report-concluded");

        await handler.Context.CloseAsync();
        await manager.Context.CloseAsync();
    }
}

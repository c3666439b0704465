using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>A 差评 tapped on the kiosk reaches the manager console live and is seen through to the end.</summary>
[Collection(SystemCollection.Name)]
public sealed class ConsoleJourneyTests(ServiceHallSystem system)
{
    private static readonly ViewportSize Desktop = ConsoleBrowser.Desktop;
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };

    /// <summary>Rates window A01 不满意 with a text; with a phone number the rating is real-name (it must be called back).</summary>
    private async Task RateBadAsync(string text, string? phone = null)
    {
        var kiosk = await system.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1080, Height = 1920 }, Locale = "zh-CN" });
        await kiosk.GotoAsync(system.Kiosk.ToString());
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("start-rating").ClickAsync();
        await kiosk.GetByTestId("window-A01").ClickAsync();
        await kiosk.GetByTestId("level-4").ClickAsync();
        await kiosk.GetByTestId("rating-text").FillAsync(text);
        await kiosk.GetByTestId("next-step").ClickAsync();
        if (phone is null)
        {
            await kiosk.GetByTestId("submit-anonymous").ClickAsync();
        }
        else
        {
            await kiosk.GetByTestId("callback-phone").FillAsync(phone);
            await kiosk.GetByTestId("submit-rating").ClickAsync();
        }

        await Expect(kiosk.GetByTestId("thank-you")).ToBeVisibleAsync();
        await kiosk.CloseAsync();
    }

    [Fact]
    public async Task BadReviewFromTheKiosk_AlertsTheOpenConsole_HandlerClosesIt_TrailShowsEveryStep()
    {
        var manager = await ConsoleBrowser.SignInAsync(system, "manager");
        await Expect(manager.GetByTestId("queue-count")).ToBeVisibleAsync(Live);

        // A real-name 差评 whose text names the rater: the queue shows its first words without the name.
        await RateBadAsync("我是张伟，材料清单与窗口要求不一致，跑了两趟。", phone: "13812341234");

        var alert = manager.GetByTestId("new-case-alert");
        await Expect(alert).ToBeVisibleAsync(Live);
        await Expect(manager.Locator("[data-testid^='case-row-']").First).ToBeVisibleAsync(Live);

        // Earlier tests may have left cases in the queue: the alert's own link leads to the new one.
        var caseHref = await alert.GetByRole(AriaRole.Link).First.GetAttributeAsync("href") ?? "";
        var caseId = caseHref[(caseHref.LastIndexOf('/') + 1)..];
        var row = manager.GetByTestId($"case-row-{caseId}");
        await Expect(row.GetByTestId("case-excerpt")).ToContainTextAsync("我是某某，材料清单与窗口要求不一致", new() { Timeout = 15_000 });
        await Expect(row.GetByTestId("case-excerpt")).Not.ToContainTextAsync("张伟");
        await Expect(row.GetByTestId("case-window")).ToContainTextAsync("企业开办综合窗口");
        await Expect(row.GetByTestId("case-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^差评-\\d{8}-\\d{4}$"));
        await manager.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-queue-new-case") });
        await manager.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
        await manager.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-queue-laptop") });
        await manager.SetViewportSizeAsync(Desktop.Width, Desktop.Height);

        await alert.GetByRole(AriaRole.Link).First.ClickAsync();
        await manager.WaitForURLAsync("**/console/cases/**");
        // The address changes before the case page replaces the queue (whose rows show a state too).
        await Expect(manager.GetByTestId("timeline")).ToBeVisibleAsync(Live);
        await Expect(manager.GetByTestId("case-state")).ToHaveTextAsync("待分派", new() { Timeout = 15_000 });

        // 分派 is the step the case waits for: marked, open, the routed department chosen, its handlers listed by name.
        var assign = manager.GetByTestId("step-assign");
        await Expect(assign.GetByTestId("next-step")).ToHaveTextAsync("下一步");
        var department = manager.Locator("#act-assign-department_code");
        await Expect(department).ToHaveValueAsync("XZSP");
        await manager.Locator("#act-assign-handler_id").SelectOptionAsync(new SelectOptionValue { Label = "李经办" });
        await manager.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-case-assign"), FullPage = true });
        await manager.SetViewportSizeAsync(Laptop.Width, Laptop.Height);
        await manager.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-case-assign-laptop") });
        await manager.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        await manager.GetByTestId("act-assign").ClickAsync();
        await Expect(manager.GetByTestId("case-state")).ToHaveTextAsync("已分派", new() { Timeout = 15_000 });

        var handler = await ConsoleBrowser.SignInAsync(system, "handler");
        await handler.GotoAsync(new Uri(system.Dashboard, $"console/cases/{caseId}").ToString());
        await Expect(handler.GetByTestId("case-state")).ToHaveTextAsync("已分派", new() { Timeout = 15_000 });
        // The rated department reads the citizen's words without who wrote them.
        await Expect(handler.GetByTestId("rating-text")).Not.ToContainTextAsync("张伟");

        // The callback in one step: reached, and what was verified.
        var callback = handler.GetByTestId("step-record_callback");
        await Expect(callback.GetByTestId("next-step")).ToBeVisibleAsync();
        await callback.GetByLabel("已接通").CheckAsync();
        await handler.Locator("#act-record_callback-verification").FillAsync("评价人反映属实：窗口材料清单未及时更新。");
        await handler.GetByTestId("act-record_callback").ClickAsync();
        await Expect(handler.GetByTestId("case-state")).ToHaveTextAsync("已回访核实", new() { Timeout = 15_000 });

        // The dispositions the server offers now, each a form built from the step's declared inputs.
        var rectify = handler.Locator("details:has(form[data-testid='action-rectify_by_deadline'])");
        if (await rectify.GetAttributeAsync("open") is null)
        {
            await rectify.Locator("summary").ClickAsync();
        }

        await Expect(handler.Locator("form[data-testid='action-rectify_by_deadline'] input[type=date]")).ToBeVisibleAsync();
        await handler.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-case-dispositions"), FullPage = true });
        // A photo of the fix, attached from the form: kept with the case, cited by the step, listed on the page.
        var fix = handler.Locator("details:has(form[data-testid='action-fix_at_once'])");
        if (await fix.GetAttributeAsync("open") is null)
        {
            await fix.Locator("summary").ClickAsync();
        }

        byte[] photo = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        await handler.GetByTestId("act-fix_at_once-upload").SetInputFilesAsync(
            new FilePayload { Name = "整改后的材料清单.png", MimeType = "image/png", Buffer = photo });
        await Expect(handler.GetByTestId("evidence-files")).ToContainTextAsync("整改后的材料清单.png", new() { Timeout = 15_000 });
        await Expect(handler.Locator("#act-fix_at_once-evidence")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^附件:"));
        await ConsoleBrowser.ActWithTextsAsync(handler, "fix_at_once", "当日更新办事指南中的材料清单，并对窗口人员进行培训。");
        await ConsoleBrowser.ActWithTextsAsync(handler, "give_feedback", "整改结果已电话告知评价人。");
        await Expect(handler.GetByTestId("case-state")).ToHaveTextAsync("已反馈", new() { Timeout = 15_000 });
        await handler.GetByTestId("step-record_satisfaction").GetByLabel("满意", new() { Exact = true }).CheckAsync();
        var before = await handler.GetByTestId("timeline").Locator(":scope > li").CountAsync();
        await handler.GetByTestId("act-record_satisfaction").ClickAsync();
        await Expect(handler.GetByTestId("timeline").Locator(":scope > li")).ToHaveCountAsync(before + 1, new() { Timeout = 15_000 });

        await Expect(handler.GetByTestId("case-state")).ToHaveTextAsync("已办结");
        var trail = await handler.GetByTestId("timeline").Locator(":scope > li").AllInnerTextsAsync();
        Assert.Equal(6, trail.Count);
        Assert.Contains("差评立案", trail[0], StringComparison.Ordinal);
        Assert.Contains("分派", trail[1], StringComparison.Ordinal);
        Assert.Contains("manager", trail[1], StringComparison.Ordinal);
        Assert.Contains("回访核实（已接通）", trail[2], StringComparison.Ordinal);
        Assert.Contains("立行立改", trail[3], StringComparison.Ordinal);
        Assert.Contains("整改反馈", trail[4], StringComparison.Ordinal);
        Assert.All(trail.Skip(2), entry => Assert.Contains("handler", entry, StringComparison.Ordinal));
        await handler.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-case-closed"), FullPage = true });
    }

    [Fact]
    public async Task Fleet_TheHallManagerSeesTheKioskOnlineFromItsHeartbeat()
    {
        // What the intake counts when it rejects a kiosk's ratings (a rating from an outdated catalog, say).
        StoredData.Execute(
            system.DatabasePath,
            "INSERT INTO rating_rejections (device_id, field, count, last_reason, last_at_ms) " +
            $"VALUES ('kiosk-e2e', 'window_code', 3, '大厅 370104-ZWZX 没有窗口 Z09', {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}) " +
            "ON CONFLICT (device_id, field) DO NOTHING");
        var manager = await ConsoleBrowser.SignInAsync(system, "manager");

        await manager.GetByTestId("nav-kiosks").ClickAsync();

        var kiosk = manager.GetByTestId("kiosk-row-kiosk-e2e");
        await Expect(kiosk).ToBeVisibleAsync(Live);
        await Expect(kiosk).ToContainTextAsync("在线");
        await Expect(kiosk).ToContainTextAsync("大厅评价终端");
        await Expect(manager.GetByTestId("rejections-kiosk-e2e-window_code")).ToContainTextAsync("没有窗口 Z09");
        await manager.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-kiosks") });
    }

    [Fact]
    public async Task Review_TheModeratorExcludesAFlaggedRating_WithAReason()
    {
        var before = system.CountStored("1 = 1");
        await RateBadAsync("材料清单与窗口要求不一致，跑了两趟。");
        // The kiosk's outbox delivers in the background: wait, bounded, until the rating is stored.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (system.CountStored("1 = 1") == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the kiosk's rating never reached the server\n" + system.Logs);
            await Task.Delay(200);
        }

        var ratingId = StoredData.Strings(system.DatabasePath, "SELECT id FROM ratings ORDER BY received_at_ms DESC LIMIT 1").Single();
        // The scan runs every minute over ratings a minute old; the flag it would raise is written here instead.
        StoredData.Execute(
            system.DatabasePath,
            "INSERT INTO rating_flags (rating_id, pattern, detail, flagged_at_ms) " +
            $"VALUES ('{ratingId}', 3, '相同或近似的文字 7 天内出现 3 次', {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})");
        var moderator = await ConsoleBrowser.SignInAsync(system, "moderator");

        await moderator.GetByTestId("nav-review").ClickAsync();
        var item = moderator.GetByTestId($"flagged-{ratingId}");
        await Expect(item).ToContainTextAsync("相同或近似的评价文字", new() { Timeout = 15_000 });
        await moderator.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-review-queue"), FullPage = true });
        await moderator.GetByTestId($"exclude-Fabricated-{ratingId}").CheckAsync();
        await moderator.GetByTestId($"note-{ratingId}").FillAsync("同一文字由同一设备在一分钟内提交，核实为刷评。");
        await moderator.GetByTestId($"decide-{ratingId}").ClickAsync();

        await Expect(moderator.GetByTestId("review-done")).ToContainTextAsync("不再计入", new() { Timeout = 15_000 });
        await Expect(item).ToHaveCountAsync(0);
        Assert.Equal(1, StoredData.Scalar(system.DatabasePath, $"SELECT COUNT(*) FROM rating_reviews WHERE rating_id = '{ratingId}' AND excluded = 1"));
        await moderator.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-review-done") });
    }

    [Fact]
    public async Task AccountPage_AWrongOldPassword_IsRefusedByTheServer_AndNothingChanges()
    {
        var manager = await ConsoleBrowser.SignInAsync(system, "manager");

        await manager.GetByTestId("nav-account").ClickAsync();
        await Expect(manager.GetByTestId("change-password")).ToBeEnabledAsync(new() { Timeout = 15_000 });
        await manager.GetByTestId("old-password").FillAsync("not the password at all");
        await manager.GetByTestId("new-password").FillAsync("a brand new long password");
        await manager.GetByTestId("repeat-password").FillAsync("a brand new long password");
        await manager.GetByTestId("change-password").ClickAsync();

        await Expect(manager.GetByTestId("password-message")).ToHaveTextAsync("原密码：原密码不正确", new() { Timeout = 15_000 });
        await manager.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-account") });
    }
}

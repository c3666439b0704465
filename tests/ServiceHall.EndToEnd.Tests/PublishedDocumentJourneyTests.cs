using Microsoft.Playwright;
using ServiceHall.Protos.V1;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// 主动公开 end to end (docs/rules/active-disclosure.md): the 政务公开 officer writes a policy in the console, a second officer
/// approves it and its interpretation, the officer publishes it, and the kiosk's 主动公开 section shows the policy beside its
/// interpretation — and still shows it from its saved copy when the server cannot be reached.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class PublishedDocumentJourneyTests(ServiceHallSystem system)
{
    private static readonly ViewportSize KioskLandscape = new() { Width = 1920, Height = 1080 };
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 20_000 };
    private static readonly LocatorAssertionsToBeEnabledOptions Enabled = new() { Timeout = 20_000 };

    [Fact]
    public async Task PolicyPublishedInTheConsole_ShowsOnTheKiosk_AndStaysWhileTheServerIsAway()
    {
        var title = $"关于优化营业执照办理的通知（{DateTime.UtcNow:HHmmss}）";

        // The officer writes the policy in the console and submits it for review.
        var console = await ConsoleBrowser.SignInAsync(system, "officer");
        await console.GetByTestId("nav-published").ClickAsync();
        await Expect(console.GetByTestId("published-documents")).ToBeVisibleAsync(Live);
        await console.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-published-list"), FullPage = false });
        await console.GetByTestId("new-document").ClickAsync();
        await Expect(console.GetByTestId("save-document")).ToBeEnabledAsync(Enabled);
        await console.GetByTestId("doc-type").SelectOptionAsync("Policy");
        await console.GetByTestId("doc-title").FillAsync(title);
        await console.GetByTestId("doc-issuer").FillAsync("济南市槐荫区人民政府办公室");
        await console.GetByTestId("doc-number").FillAsync("槐政办发〔2026〕21号");
        await console.GetByTestId("doc-issued").FillAsync("2026-11-20");
        await console.GetByTestId("doc-body").FillAsync("第一条 营业执照全程网上办理。\n\n第二条 本通知自发布之日起施行。");
        await console.GetByTestId("doc-online").FillAsync("https://www.huaiyin.gov.cn/e2e-policy");
        await console.GetByTestId("save-document").ClickAsync();
        await Expect(console.GetByTestId("document-state")).ToHaveTextAsync("草稿", new() { Timeout = 20_000 });
        await Expect(console.GetByTestId("submit-document")).ToBeEnabledAsync(Enabled);
        var policyId = console.Url.Split('/')[^1];
        await console.GetByTestId("submit-document").ClickAsync();
        await Expect(console.GetByTestId("document-state")).ToHaveTextAsync("待审核", new() { Timeout = 15_000 });

        // A second officer approves it, and its interpretation is written and approved (谁起草谁解读).
        var officer = new PublishedDocumentService.PublishedDocumentServiceClient(await system.SignedInAsync("officer"));
        var reviewer = new PublishedDocumentService.PublishedDocumentServiceClient(await system.SignedInAsync("officer2"));
        await reviewer.ApproveDocumentAsync(new ApproveDocumentRequest { DocumentId = policyId });
        var interpretation = (await officer.SaveDocumentDraftAsync(new SaveDocumentDraftRequest
        {
            DocumentId = Guid.NewGuid().ToString(),
            Content = new DocumentContent
            {
                Type = PublishedDocumentType.Interpretation,
                Title = "《关于优化营业执照办理的通知》解读",
                IssuingBody = "槐荫区行政审批服务局",
                Body = "一、为什么出台\n\n让企业少跑腿。\n\n二、主要内容\n\n营业执照全程网上办理。",
                InterpretsPolicyId = policyId,
            },
        })).Document;
        await officer.SubmitDocumentForReviewAsync(new SubmitDocumentForReviewRequest { DocumentId = interpretation.DocumentId });
        await reviewer.ApproveDocumentAsync(new ApproveDocumentRequest { DocumentId = interpretation.DocumentId });

        // The officer publishes it in the console; the audit trail shows each step.
        await console.ReloadAsync();
        await Expect(console.GetByTestId("publish-document")).ToBeEnabledAsync(Enabled);
        await console.GetByTestId("publish-document").ClickAsync();
        await Expect(console.GetByTestId("document-state")).ToHaveTextAsync("已发布", new() { Timeout = 15_000 });
        await Expect(console.GetByTestId("document-audit")).ToContainTextAsync("审核通过");
        await console.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-published-edit"), FullPage = true });

        // The kiosk: the section asks the server when opened; the policy is listed and shown beside its interpretation.
        var kiosk = await (await system.Browser.NewContextAsync(new() { ViewportSize = KioskLandscape, Locale = "zh-CN" })).NewPageAsync();
        await kiosk.GotoAsync(system.Kiosk.ToString());
        // The screen is live before anything is tapped: a tap on the prerendered page may be lost.
        await Expect(kiosk.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await kiosk.GetByTestId("published-entry").ClickAsync();
        await Expect(kiosk.GetByTestId("published-home")).ToBeVisibleAsync(Live);
        await ShowsPolicyAsync(kiosk, policyId, title);
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-published-policy-landscape") });

        // The server away: a kiosk holding this kiosk's saved files, its server address answering nothing, still shows it.
        var data = Directory.CreateTempSubdirectory("servicehall-published-offline-").FullName;
        foreach (var file in new[] { "published.json", "catalog.json" })
        {
            File.Copy(Path.Combine(system.KioskDataDirectory, file), Path.Combine(data, file));
        }

        var offlineUrl = new Uri($"http://127.0.0.1:{AppProcess.FreePort()}/");
        await using var offline = await AppProcess.StartAsync("ServiceHall.Kiosk", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = offlineUrl.ToString(),
            ["Kiosk__ServerAddress"] = $"http://127.0.0.1:{AppProcess.FreePort()}/",
            ["Kiosk__HallCode"] = ServiceHallSystem.HallCode,
            ["Kiosk__DeviceId"] = "kiosk-e2e-offline",
            ["Kiosk__Credential"] = system.KioskCredential,
            ["Kiosk__DataDirectory"] = data,
        }, offlineUrl);
        await kiosk.GotoAsync(new Uri(offlineUrl, "disclosure").ToString());
        await Expect(kiosk.GetByTestId("published-offline")).ToBeVisibleAsync(Live);
        // Live before the first tap, as on the home screen: a tap on the prerendered page may be lost (the list it opened
        // was replaced as the screen connected).
        await Expect(kiosk.GetByTestId("large-text")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await ShowsPolicyAsync(kiosk, policyId, title);
        await kiosk.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-published-policy-offline") });
        await kiosk.Context.CloseAsync();
        await console.Context.CloseAsync();
    }

    private static async Task ShowsPolicyAsync(IPage kiosk, string policyId, string title)
    {
        await kiosk.GetByTestId("published-kind-Policy").ClickAsync();
        var link = kiosk.GetByTestId($"published-doc-{policyId}");
        await Expect(link).ToBeVisibleAsync(Live);
        await Expect(link).ToContainTextAsync(title);
        await link.ClickAsync();
        await Expect(kiosk.GetByTestId("document-number")).ToHaveTextAsync("槐政办发〔2026〕21号", new() { Timeout = 15_000 });
        await Expect(kiosk.GetByTestId("interpretation")).ToContainTextAsync("让企业少跑腿");
        await Expect(kiosk.GetByTestId("online-qr").First).ToBeVisibleAsync();
    }
}

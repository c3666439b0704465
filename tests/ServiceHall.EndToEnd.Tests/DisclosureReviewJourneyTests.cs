using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ServiceHall.Protos.V1;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// The 政务公开 officer reviews a draft in the console — a scrubbed text beside what the citizen wrote — masks words,
/// approves, and the public page shows it signed; a text withdrawn later is gone from every public output within a
/// minute (docs/rules/indicators-and-disclosure.md#review-before-release, #withdrawal).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed partial class DisclosureReviewJourneyTests(ServiceHallSystem system, ITestOutputHelper output)
{
    private static readonly ViewportSize Desktop = new() { Width = 1440, Height = 900 };
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 20_000 };

    // One of the texts the demo history gives its 差评 (server/History/RatingHistory.cs).
    private const string PhoneText = "等了一个多小时才叫到号，我的电话13905310000，希望有人回复";
    private const string Leak = "戴眼镜";

    [Fact]
    public async Task Officer_ReviewsMasksAndApproves_ThePageShowsItSigned_AWithdrawnTextIsGoneEverywhereWithinAMinute()
    {
        await system.ApproveDraftsAsync();
        var disclosure = new DisclosureService.DisclosureServiceClient(await system.SignedInAsync("supervisor"));
        var month = (await disclosure.ListPublicationsAsync(new ListPublicationsRequest())).Publications
            .Select(p => p.PeriodKey).Where(k => MonthKey().IsMatch(k)).Max()!;
        // A supervisor's correction drafts the month again, now with the history's 差评 and their texts.
        var version = (await disclosure.CorrectPublicationAsync(new CorrectPublicationRequest { PeriodKey = month, Reason = "复核历史评价" })).Header.Version;
        output.WriteLine($"reviewing {month} v{version}");

        var officer = await ConsoleBrowser.SignInAsync(system, "officer");
        // The officer works no cases: the console opens on the review.
        await officer.WaitForURLAsync("**/console/disclosures", new() { Timeout = 20_000 });

        var draft = officer.GetByTestId($"draft-{month}-v{version}");
        await Expect(draft).ToBeVisibleAsync(Live);
        var text = draft.Locator("li.review-text", new() { Has = officer.GetByText(PhoneText, new() { Exact = true }) }).First;
        await Expect(text.GetByTestId("original")).ToHaveTextAsync(PhoneText);
        await Expect(text.GetByTestId("scrubbed")).ToHaveTextAsync("等了一个多小时才叫到号，我的电话[电话已隐去]，希望有人回复");
        await Expect(text).ToContainTextAsync("已脱敏");
        await officer.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-disclosure-review-1440") });

        await text.GetByTestId("edit-text").ClickAsync();
        await text.GetByTestId("mask-words").FillAsync("一个多小时");
        await text.GetByTestId("mask").ClickAsync();
        const string Masked = "等了＊＊＊＊＊才叫到号，我的电话[电话已隐去]，希望有人回复";
        await Expect(text.GetByTestId("masked-preview")).ToHaveTextAsync(Masked);
        await text.GetByTestId("reason").FillAsync("等候时长与叫号记录不符，待核实");
        await text.GetByTestId("save-mask").ClickAsync();
        await Expect(officer.GetByTestId("review-notice")).ToContainTextAsync("已遮盖", new() { Timeout = 15_000 });
        await Expect(text.GetByTestId("published")).ToHaveTextAsync(Masked);
        await officer.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("console-disclosure-masked-1440") });

        await draft.GetByTestId("approve").ClickAsync();
        await Expect(officer.GetByTestId("review-notice")).ToContainTextAsync("已审核发布", new() { Timeout = 15_000 });
        await Expect(officer.GetByTestId("audit")).ToContainTextAsync("等候时长与叫号记录不符，待核实");

        // The public page: the masked text, no phone number, and who issued and approved it.
        var reader = await system.Browser.NewPageAsync(new() { ViewportSize = Desktop, Locale = "zh-CN" });
        await reader.GotoAsync(new Uri(system.Dashboard, $"disclosures/{month}/v{version}").ToString());
        var reviews = reader.GetByTestId("bad-review-table");
        await Expect(reviews).ToContainTextAsync(Masked, new() { Timeout = 20_000 });
        await Expect(reviews).Not.ToContainTextAsync("13905310000");
        await Expect(reader.GetByTestId("issuing-body")).ToHaveTextAsync("济南市槐荫区行政审批服务局（演示）");
        await Expect(reader.GetByTestId("approving-role")).ToHaveTextAsync("政务公开专员");
        await Expect(reviews).ToContainTextAsync(Leak);
        await reader.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-signed-1440"), FullPage = true });

        // The officer withdraws every text of this version that describes a member of staff.
        await officer.GetByTestId("withdraw-version").SelectOptionAsync($"{month}/{version}");
        var leaks = officer.Locator("[data-testid^=published-]", new() { HasText = Leak });
        await Expect(leaks.First).ToBeVisibleAsync(Live);
        for (var left = await leaks.CountAsync(); left > 0; left--)
        {
            await officer.GetByTestId("withdraw-reason").FillAsync("描述了可识别的工作人员");
            await leaks.First.GetByTestId("withdraw-text").ClickAsync();
            await Expect(leaks).ToHaveCountAsync(left - 1, new() { Timeout = 15_000 });
        }

        // The reader's open page follows within a minute, without a reload.
        await Expect(reviews).Not.ToContainTextAsync(Leak, new() { Timeout = 60_000 });
        await Expect(reader.GetByTestId("withdrawals")).ToContainTextAsync("描述了可识别的工作人员");
        await Expect(reviews).ToContainTextAsync(Masked);
        await reader.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-withdrawn-1440"), FullPage = true });
        await reader.Locator(".publication-head").ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-head-1440") });
        await reader.Locator("section[aria-labelledby=s-bad-reviews]").ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-bad-reviews-1440") });

        // The print, the list, and every file and RPC of every version.
        await reader.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.DoesNotContain(Leak, await reader.ContentAsync(), StringComparison.Ordinal);
        await reader.PdfAsync(new() { Path = Path.ChangeExtension(ServiceHallSystem.ScreenshotPath("dashboard-disclosure-withdrawn"), ".pdf"), Format = "A4" });
        await reader.EmulateMediaAsync(new() { Media = Media.Screen });
        await reader.GotoAsync(new Uri(system.Dashboard, "disclosures").ToString());
        await Expect(reader.GetByTestId("publication-list")).ToBeVisibleAsync(Live);
        Assert.DoesNotContain(Leak, await reader.ContentAsync(), StringComparison.Ordinal);

        using var http = new HttpClient();
        var anonymous = new DisclosureService.DisclosureServiceClient(Grpc.Net.Client.GrpcChannel.ForAddress(system.ServerGrpc));
        var listed = await anonymous.ListPublicationsAsync(new ListPublicationsRequest());
        Assert.DoesNotContain(Leak, listed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Leak, await http.GetStringAsync(new Uri(system.ServerWeb, "open-data/publications.json")), StringComparison.Ordinal);
        // Every version of the month (its quarter and year are not drafted yet). Other months list other citizens' 差评
        // that happen to use the same words (the demo history repeats its texts); those were not withdrawn.
        foreach (var p in listed.Publications.Where(p => p.PeriodKey == month))
        {
            Assert.DoesNotContain(Leak, (await anonymous.GetPublicationAsync(new GetPublicationRequest { PeriodKey = p.PeriodKey, Version = p.Version })).ContentJson,
                StringComparison.Ordinal);
            var files = new[] { $"open-data/publications/{p.PeriodKey}/v{p.Version}.json" }
                .Concat(new[] { "indicators", "levels", "channels", "departments", "windows", "trend", "bad-review-reasons", "bad-reviews" }
                    .Select(t => $"open-data/publications/{p.PeriodKey}/v{p.Version}/{t}.csv"));
            foreach (var file in files)
            {
                Assert.DoesNotContain(Leak, await http.GetStringAsync(new Uri(system.ServerWeb, file)), StringComparison.Ordinal);
            }
        }

        // On a phone the 差评 read as cards: nothing scrolls sideways.
        await reader.SetViewportSizeAsync(390, 844);
        await reader.GotoAsync(new Uri(system.Dashboard, $"disclosures/{month}/v{version}").ToString());
        await Expect(reader.GetByTestId("bad-review-table")).ToContainTextAsync(Masked, new() { Timeout = 20_000 });
        // (Measured through the locator, which waits for the table: the interactive render replaces the prerendered one.)
        var table = await reader.GetByTestId("bad-review-table").EvaluateAsync<int>("t => t.scrollWidth");
        var widths = await reader.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1] && table <= widths[1], $"page {widths[0]}px, table {table}px in a {widths[1]}px viewport");
        await reader.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-cards-390"), FullPage = true });
        await reader.Locator(".publication-head").ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-head-390") });
        await reader.Locator("[data-testid=bad-review-table] tbody tr").First.ScreenshotAsync(
            new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosure-card-390") });
        await reader.GotoAsync(new Uri(system.Dashboard, "disclosures").ToString());
        await Expect(reader.GetByTestId("publication-list")).ToBeVisibleAsync(Live);
        await reader.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("dashboard-disclosures-list-figures-390"), FullPage = true });
    }

    [GeneratedRegex(@"^\d{4}-\d{2}$")]
    private static partial Regex MonthKey();
}

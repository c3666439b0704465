using System.Text.Json;
using Bunit;
using Grpc.Core;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceHall.Dashboard.Components.Pages;
using ServiceHall.Dashboard.Services.Disclosures;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.Disclosures;

public sealed class DisclosurePagesTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private const string OpenDataBase = "http://open-data.example:5101";

    private readonly BunitContext _ctx = new();
    private FakeDisclosureServer _server = default!;

    public async Task InitializeAsync()
    {
        _server = await FakeDisclosureServer.StartAsync();
        TestPublications.PublishAll(_server.Service);
        _ctx.Services.AddSingleton(Options.Create(new DashboardOptions { OpenDataBaseUrl = OpenDataBase }));
        _ctx.Services.AddSingleton(new DisclosureClient(
            new DisclosureService.DisclosureServiceClient(_server.Channel), NullLogger<DisclosureClient>.Instance));
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose; // Vizor.ECharts initialises charts through JS interop
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _server.DisposeAsync();
    }

    private IRenderedComponent<DisclosurePage> RenderPublication(string? versionSegment)
    {
        var page = _ctx.Render<DisclosurePage>(p => p
            .Add(x => x.PeriodKey, TestPublications.PeriodKey)
            .Add(x => x.VersionSegment, versionSegment));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=publication]")), Bound);
        return page;
    }

    private static string[] Cells(AngleSharp.Dom.IElement row) =>
        row.Children.Select(cell => cell.TextContent.Trim()).ToArray();

    private static string Text(IRenderedComponent<DisclosurePage> page, string testId) =>
        page.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public void List_Publications_NewestFirstWithVersionDateAndCorrectionOfTheSecondVersion()
    {
        var list = _ctx.Render<DisclosureList>();

        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=publication-list]")), Bound);
        var items = list.FindAll("[data-testid=publication-list] > li");
        Assert.Equal(
            ["publication-2026-10-v2", "publication-2026-10-v1", "publication-2026-09-v1"],
            items.Select(i => i.GetAttribute("data-testid")));
        Assert.Contains("2026年10月", items[0].TextContent);
        Assert.Contains("第2版", items[0].TextContent);
        Assert.Contains("发布于 2026年11月3日 09:30", items[0].TextContent);
        Assert.Equal("更正说明：" + TestPublications.Correction, items[0].QuerySelector("[data-testid=correction]")!.TextContent.Trim());
        Assert.Equal("/disclosures/2026-10/v2", items[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("第1版", items[1].TextContent);
        Assert.Contains("发布于 2026年11月1日 00:05", items[1].TextContent);
        Assert.Null(items[1].QuerySelector("[data-testid=correction]"));
        Assert.Equal("/disclosures/2026-10/v1", items[1].QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void List_ServerUnavailable_SaysSoAndOffersRetry()
    {
        _server.Service.Failure = new Status(StatusCode.Unavailable, "down");

        var list = _ctx.Render<DisclosureList>();

        list.WaitForAssertion(() => Assert.Contains("暂时无法连接服务器", list.Find("[role=alert]").TextContent), Bound);
        _server.Service.Failure = null;
        list.Find("[role=alert] button").Click();
        list.WaitForAssertion(() => Assert.Equal(3, list.FindAll("[data-testid=publication-list] > li").Count), Bound);
    }

    [Fact]
    public void Page_Version2_ShowsTitleVersionDateAndCorrection()
    {
        var page = RenderPublication("v2");

        Assert.Equal("槐荫区 政务服务好差评情况公开（2026年10月）", Text(page, "publication-title"));
        Assert.Equal("第2版", Text(page, "publication-version"));
        Assert.Equal("发布于 2026年11月3日 09:30", Text(page, "published-at"));
        Assert.Contains(TestPublications.Correction, Text(page, "correction"));
        Assert.Contains("2026年10月1日至2026年10月31日", page.Find(".publication-head__meta").TextContent);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void Page_EveryIndicator_ShowsTheJsonsDisplayFormulaAndNumbers(string versionSegment)
    {
        var json = versionSegment == "v1" ? TestPublications.Version1 : TestPublications.Version2;
        // Read with a plain JsonDocument, independently of the dashboard's records.
        using var document = JsonDocument.Parse(json);
        var headline = document.RootElement.GetProperty("content").GetProperty("headline").EnumerateArray().ToList();

        var page = RenderPublication(versionSegment);

        Assert.Equal(10, headline.Count);
        Assert.Equal(headline.Count, page.FindAll("[data-testid=indicator-grid] > div").Count);
        foreach (var indicator in headline)
        {
            var code = indicator.GetProperty("code").GetString();
            Assert.Equal(indicator.GetProperty("display").GetString(), Text(page, $"indicator-value-{code}"));
            Assert.Equal(indicator.GetProperty("formula").GetString(), Text(page, $"indicator-formula-{code}"));
            var card = page.Find($"[data-testid=indicator-{code}]").TextContent;
            Assert.Contains(indicator.GetProperty("name").GetString()!, card, StringComparison.Ordinal);
            Assert.Contains(indicator.GetProperty("numerator").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), card, StringComparison.Ordinal);
            if (indicator.GetProperty("denominator").ValueKind == JsonValueKind.Number)
            {
                Assert.Contains("÷ 分母 " + indicator.GetProperty("denominator").GetInt32(), card, StringComparison.Ordinal);
            }
        }

        Assert.Equal("样本不足", Text(page, "indicator-value-rectified_rate"));
    }

    [Fact]
    public void Page_BadReviews_EveryRowAsPublished()
    {
        using var document = JsonDocument.Parse(TestPublications.Version2);
        var published = document.RootElement.GetProperty("content").GetProperty("badReviews").EnumerateArray()
            .Select(r => new[]
            {
                r.GetProperty("ratedOn").GetString()!,
                r.GetProperty("department").GetString()!,
                r.GetProperty("window").GetString()!,
                r.GetProperty("serviceItem").GetString()!,
                r.GetProperty("level").GetString()!,
                string.Join("；", r.GetProperty("reasons").EnumerateArray().Select(x => x.GetString())),
                r.GetProperty("text").GetString()!,
                r.GetProperty("outcome").GetString()!,
                Or(r, "whatWasDone", ""),
                r.TryGetProperty("rectifiedOn", out var on)
                    ? $"{on.GetString()}用时 {r.GetProperty("workingDaysTaken").GetInt32()} 个工作日 · {(r.GetProperty("onTime").GetBoolean() ? "按时" : "超期")}"
                    : "—",
                Or(r, "calledBack", ""),
                Or(r, "citizenVerdict", ""),
            })
            .ToList();

        var page = RenderPublication("v2");

        var rows = page.FindAll("[data-testid=bad-review-table] tbody tr").Select(Cells).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(published, rows);
        // Each row's real outcome, as published; a version published before these were kept shows none.
        Assert.Equal(["已更新一次性告知单", "2026-10-10用时 1 个工作日 · 按时", "是", "满意"], rows[0][8..]);
        Assert.Equal(["已增开一个窗口", "2026-10-28用时 6 个工作日 · 超期", "匿名", "匿名，未征询"], rows[1][8..]);
        Assert.Equal(["", "—", "", ""], rows[2][8..]);
        Assert.Equal("排队两个小时，工作人员说\"明天再来\"，电话***", rows[2][6]);
    }

    private static string Or(JsonElement row, string name, string absent) =>
        row.TryGetProperty(name, out var value) ? value.GetString()! : absent;

    [Fact]
    public void Page_Rankings_EveryRateWithItsNumeratorAndDenominator_SmallSamplesAnnotated()
    {
        var page = RenderPublication("v2");

        var departments = page.FindAll("[data-testid=department-ranking] tbody tr").ToList();
        // A rate with enough sample: the percentage, its fraction beside it.
        Assert.Equal("100.0%20/20", departments[0].QuerySelector("[data-testid=good-rate]")!.TextContent.Trim());
        // Too small a sample: the fraction, 样本不足 as its annotation.
        Assert.Equal("0/0样本不足", departments[0].QuerySelector("[data-testid=rectified-in-time-rate]")!.TextContent.Trim());
        Assert.Equal("1/2样本不足", departments[1].QuerySelector("[data-testid=rectified-in-time-rate]")!.TextContent.Trim());
        Assert.Equal("样本不足", departments[1].QuerySelector("[data-testid=rectified-in-time-rate] .rate-note")!.TextContent);
        // A version published before the fractions were kept shows the rate alone.
        Assert.Equal("样本不足", page.FindAll("[data-testid=window-ranking] tbody tr")[0].QuerySelector("[data-testid=rectified-in-time-rate]")!.TextContent.Trim());
    }

    [Fact]
    public void Page_TablesAndCharts_ShowThePublishedRowsAsTheyAre()
    {
        var page = RenderPublication("v2");

        Assert.Equal(
            [["非常满意", "30"], ["满意", "7"], ["基本满意", "2"], ["不满意", "1"], ["非常不满意", "2"]],
            page.FindAll("[data-testid=level-table] tbody tr").Select(Cells));
        Assert.Equal(
            [["政务服务大厅评价器", "37"], ["短信", "5"]],
            page.FindAll("[data-testid=channel-table] tbody tr").Select(Cells));
        Assert.Equal(
            [
                ["1", "区人力资源社会保障局", "20", "100.0%20/20", "0", "0", "0/0样本不足"],
                ["2", "区行政审批服务局", "22", "92.9%19/22", "3", "2", "1/2样本不足"],
            ],
            page.FindAll("[data-testid=department-ranking] tbody tr").Select(Cells));
        Assert.Equal("槐荫区政务服务中心 A01 综合受理窗口", Cells(page.FindAll("[data-testid=window-ranking] tbody tr")[1])[1]);
        var trend = page.FindAll("[data-testid=trend-table] tbody tr").Select(Cells).ToList();
        Assert.Equal(6, trend.Count);
        Assert.Equal(["2026年5月", "0", "样本不足", "0"], trend[0]);
        Assert.Equal(["2026年10月", "42", "92.9%", "3"], trend[5]);
        Assert.Equal(
            [["等候时间长", "3"], ["态度不好", "1"]],
            page.FindAll("[data-testid=reason-table] tbody tr").Select(Cells));
    }

    [Fact]
    public void Page_Latest_AsksForVersionZeroAndShowsVersion2()
    {
        var page = RenderPublication(null);

        Assert.Equal("第2版", Text(page, "publication-version"));
        Assert.Equal("42", Text(page, "indicator-value-rating_count"));
        Assert.Equal(0, _server.Service.LastGetRequest().Version);
    }

    [Fact]
    public void Page_Version1_ShowsItsOwnFiguresWithoutCorrection_AndLinksTheOtherVersion()
    {
        var page = RenderPublication("v1");

        Assert.Equal("第1版", Text(page, "publication-version"));
        Assert.Equal("41", Text(page, "indicator-value-rating_count"));
        Assert.Equal("95.1%", Text(page, "indicator-value-good_rate"));
        Assert.Empty(page.FindAll("[data-testid=correction]"));
        Assert.Equal(2, page.FindAll("[data-testid=bad-review-table] tbody tr").Count);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=version-list]")), Bound);
        Assert.Equal("/disclosures/2026-10/v2", page.Find("[data-testid=version-list] a").GetAttribute("href"));
        Assert.Contains("第1版（当前）", Text(page, "version-list"));
    }

    [Fact]
    public void Page_SwitchedFromVersion1ToVersion2_ShowsTheNewVersionsFigures()
    {
        var page = RenderPublication("v1");
        Assert.Equal("41", Text(page, "indicator-value-rating_count"));

        page.Render(p => p.Add(x => x.PeriodKey, TestPublications.PeriodKey).Add(x => x.VersionSegment, "v2"));

        page.WaitForAssertion(() => Assert.Equal("42", Text(page, "indicator-value-rating_count")), Bound);
        Assert.Equal("第2版", Text(page, "publication-version"));
        Assert.Equal(3, page.FindAll("[data-testid=bad-review-table] tbody tr").Count);
    }

    [Fact]
    public void Page_Downloads_LinkTheJsonAndEveryCsvTableOfThisVersionOnTheServer()
    {
        var page = RenderPublication("v1");

        Assert.Equal($"{OpenDataBase}/open-data/publications/2026-10/v1.json", page.Find("[data-testid=download-json]").GetAttribute("href"));
        foreach (var table in new[] { "indicators", "levels", "channels", "departments", "windows", "trend", "bad-review-reasons", "bad-reviews" })
        {
            Assert.Equal(
                $"{OpenDataBase}/open-data/publications/2026-10/v1/{table}.csv",
                page.Find($"[data-testid=download-{table}]").GetAttribute("href"));
        }
    }

    [Theory]
    [InlineData("2026-10", "v9")]
    [InlineData("2026-10", "latest")]
    [InlineData("2031-01", null)]
    public void Page_UnknownPeriodOrVersion_SaysNotFound(string periodKey, string? versionSegment)
    {
        var page = _ctx.Render<DisclosurePage>(p => p.Add(x => x.PeriodKey, periodKey).Add(x => x.VersionSegment, versionSegment));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=not-found]")), Bound);
        Assert.Empty(page.FindAll("[data-testid=publication]"));
    }

    [Fact]
    public void Page_ExcludedRatings_OneLineWithTheCountByReason_AbsentFromOlderPublications()
    {
        var current = RenderPublication("v2");
        var older = RenderPublication("v1");

        Assert.Equal("经人工核实排除、不计入以上各项的评价：3 条（刷评（虚假评价） 2 条，重复评价 1 条）。", Text(current, "excluded-ratings"));
        Assert.Empty(older.FindAll("[data-testid=excluded-ratings]"));
    }

    [Fact]
    public void Page_EnquiryFigures_OneRowPerKind_AbsentFromOlderPublications()
    {
        var current = RenderPublication("v2");
        var older = RenderPublication("v1");

        var rows = current.FindAll("[data-testid=enquiry-figures-row]").Select(r => r.TextContent.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["2026年10月", "办事咨询", "12", "11", "10 / 11", "1.5"], rows[0]);
        Assert.Equal(["2026年10月", "办不成事反映", "3", "0", "0 / 0", "—"], rows[1]);
        // A version published before the section existed renders without it.
        Assert.Empty(older.FindAll("[data-testid=enquiry-figures]"));
        Assert.NotEmpty(older.FindAll("[data-testid=publication]"));
    }

    [Fact]
    public void Page_EmptyMonth_ShowsInsufficientSampleAndEmptyTables()
    {
        var page = _ctx.Render<DisclosurePage>(p => p.Add(x => x.PeriodKey, "2026-09"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=publication]")), Bound);

        Assert.Equal("0", Text(page, "indicator-value-rating_count"));
        Assert.Equal("样本不足", Text(page, "indicator-value-good_rate"));
        Assert.Equal("本期无差评", page.Find("[data-testid=bad-review-table] tbody").TextContent.Trim());
        Assert.Empty(page.FindAll(".disclosure-chart"));
    }
}

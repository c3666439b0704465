using Bunit;
using Grpc.Core;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Dashboard.Components.Pages;
using ServiceHall.Dashboard.Services.Disclosures;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.Disclosures;

public sealed class DisclosureRequestsAnnualTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    // 2027-01-01 00:30 in the district (UTC+8) is still 2026 in UTC: the year shown must follow the district's calendar.
    private static readonly DateTimeOffset Now = new(2026, 12, 31, 16, 30, 0, TimeSpan.Zero);

    private static readonly string[] Columns = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"];

    private readonly BunitContext _ctx = new();
    private FakeDisclosureServer _server = default!;

    public async Task InitializeAsync()
    {
        _server = await FakeDisclosureServer.StartAsync();
        _ctx.Services.AddSingleton(Options.Create(new DashboardOptions { DistrictName = "槐荫区", TimeZone = "Asia/Shanghai" }));
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        _ctx.Services.AddSingleton(new PublishedAnnualReportClient(
            new DisclosureRequestService.DisclosureRequestServiceClient(_server.Channel), NullLogger<PublishedAnnualReportClient>.Instance));
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static GetDisclosureAnnualReportResponse Report(int year, int newRequests, int disclosed)
    {
        var report = new GetDisclosureAnnualReportResponse { Year = year };
        report.Columns.AddRange(Columns);
        AnnualTableRow Row(string label, string code, int naturalPersons) =>
            new() { Label = label, Code = code, Counts = { naturalPersons, 0, 0, 0, 0, 0, naturalPersons } };
        report.Rows.Add(Row("一、本年新收政府信息公开申请数量", "new", newRequests));
        report.Rows.Add(Row("二、上年结转政府信息公开申请数量", "carried_over", 0));
        report.Rows.Add(Row("三、本年度办理结果 （一）予以公开", "disclosed", disclosed));
        report.Rows.Add(Row("三、本年度办理结果 （三）不予公开 1.属于国家秘密", "not_disclosed_state_secret", newRequests - disclosed));
        report.Rows.Add(Row("三、本年度办理结果 （七）总计", "total", newRequests));
        report.Rows.Add(Row("四、结转下年度继续办理", "carried_forward", 0));
        return report;
    }

    /// <summary>The page as opened at <c>?year=</c>: the year comes from the address, as a link gives it.</summary>
    private IRenderedComponent<DisclosureRequestsAnnual> RenderYear(int year)
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/disclosures/requests-annual?year={year}");
        return _ctx.Render<DisclosureRequestsAnnual>();
    }

    private static string[] Cells(AngleSharp.Dom.IElement row) => [.. row.Children.Select(c => c.TextContent.Trim())];

    [Fact]
    public void Page_NoYearGiven_ShowsTheLastYearEndedInTheDistrictWithEveryRowAndColumn()
    {
        _server.AnnualReports.Publish(Report(2026, newRequests: 12, disclosed: 9));

        var page = _ctx.Render<DisclosureRequestsAnnual>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=annual-table]")), Bound);
        Assert.Equal([2026], _server.AnnualReports.Asked);
        Assert.Contains("2026 年度 收到和处理政府信息公开申请情况", page.Find("h2").TextContent);
        var headings = page.FindAll("[data-testid=annual-table] thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Equal(["项目", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"], headings);
        Assert.Equal(
            ["row-new", "row-carried_over", "row-disclosed", "row-not_disclosed_state_secret", "row-total", "row-carried_forward"],
            page.FindAll("[data-testid=annual-table] tbody tr").Select(r => r.GetAttribute("data-testid")));
        Assert.Equal(["一、本年新收政府信息公开申请数量", "12", "0", "0", "0", "0", "0", "12"], Cells(page.Find("[data-testid=row-new]")));
        Assert.Equal(["三、本年度办理结果 （一）予以公开", "9", "0", "0", "0", "0", "0", "9"], Cells(page.Find("[data-testid=row-disclosed]")));
        Assert.Equal("3", Cells(page.Find("[data-testid=row-not_disclosed_state_secret]"))[1]);
        // The table scrolls in its own box: the page never scrolls sideways on a phone.
        Assert.NotNull(page.Find("[data-testid=annual-table]").Closest(".table-scroll"));
        Assert.Equal("/disclosures/requests-annual?year=2025", page.Find("[data-testid=previous-year]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=next-year]"));
    }

    [Fact]
    public void Page_EarlierYear_AsksForItAndLinksBothWays()
    {
        _server.AnnualReports.Publish(Report(2024, newRequests: 5, disclosed: 5));

        var page = RenderYear(2024);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=annual-table]")), Bound);
        Assert.Equal([2024], _server.AnnualReports.Asked);
        Assert.Equal("5", Cells(page.Find("[data-testid=row-new]"))[1]);
        Assert.Equal("/disclosures/requests-annual?year=2023", page.Find("[data-testid=previous-year]").GetAttribute("href"));
        Assert.Equal("/disclosures/requests-annual?year=2025", page.Find("[data-testid=next-year]").GetAttribute("href"));
    }

    [Fact]
    public void Page_YearNotEnded_ShowsTheLastEndedYearInstead()
    {
        _server.AnnualReports.Publish(Report(2026, newRequests: 1, disclosed: 1));

        var page = RenderYear(2027);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=annual-table]")), Bound);
        Assert.Equal([2026], _server.AnnualReports.Asked);
    }

    [Fact]
    public void Page_YearTheServerDoesNotPublish_SaysNotYetPublished()
    {
        var page = RenderYear(2025);

        page.WaitForAssertion(() => Assert.Contains("2025 年度的数据尚未公开", page.Find("[data-testid=no-report]").TextContent), Bound);
        Assert.Empty(page.FindAll("[data-testid=annual-table]"));
    }

    [Fact]
    public void Page_ServerUnavailable_SaysSoAndRetries()
    {
        _server.AnnualReports.Publish(Report(2026, newRequests: 4, disclosed: 2));
        _server.AnnualReports.Failure = new Status(StatusCode.Unavailable, "down");

        var page = _ctx.Render<DisclosureRequestsAnnual>();

        page.WaitForAssertion(() => Assert.Contains("暂时无法连接服务器", page.Find("[role=alert]").TextContent), Bound);
        _server.AnnualReports.Failure = null;
        page.Find("[role=alert] button").Click();
        page.WaitForAssertion(() => Assert.Equal("4", Cells(page.Find("[data-testid=row-new]"))[1]), Bound);
    }
}

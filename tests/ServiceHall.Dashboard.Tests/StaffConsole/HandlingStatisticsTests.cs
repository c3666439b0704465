using System.Text;
using Bunit;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public sealed class HandlingStatisticsTests : ConsoleTestHost
{
    private static IndicatorFigure Rate(string code, string name, int numerator, int denominator, string display) =>
        new() { Code = code, Name = name, Numerator = numerator, Denominator = denominator, Display = display, Formula = name + " = …" };

    private static HandlingSummary Summary(int received, int open, int inTime, int due)
    {
        var summary = new HandlingSummary { Received = received, Open = open };
        summary.Rates.Add(Rate("rectified_rate", "差评整改率", inTime, due, due == 0 ? "样本不足" : $"{100.0 * inTime / due:0.0}%"));
        summary.Rates.Add(Rate("rectified_in_time_rate", "按时整改率", inTime, due, due == 0 ? "样本不足" : $"{100.0 * inTime / due:0.0}%"));
        summary.Rates.Add(Rate("callback_rate", "实名差评回访率", 0, 0, "样本不足"));
        summary.Rates.Add(Rate("fix_satisfaction_rate", "回访整改满意率", 0, 0, "样本不足"));
        summary.Rates.Add(new IndicatorFigure { Code = "appeal_upheld_count", Name = "申诉成立差评数", Numerator = 0, Display = "0" });
        return summary;
    }

    private static HandlingGroup Window(string code, string name, int received, int inTime, int due, IndicatorFigure good, int bad) =>
        new() { Key = "370104-ZWZX/" + code, Name = name, Summary = Summary(received, 0, inTime, due), GoodRate = good, BadCount = bad };

    [Fact]
    public async Task Render_ThisMonthByWindow_ShowsTheServersFigures_RanksTheWindows_AndExportsACsvExcelReads()
    {
        var response = new GetHandlingFiguresResponse
        {
            Period = new HandlingPeriod { Name = "期间", FirstDay = "2026-12-01", LastDay = "2026-12-06", Total = Summary(5, 2, 3, 3) },
        };
        response.Groups.Add(Window("A01", "A01 综合受理", 3, 1, 2, Rate("good_rate", "好评率", 90, 100, "90.0%"), 3));
        response.Groups.Add(Window("A02", "A02 社保医保", 2, 2, 2, Rate("good_rate", "好评率", 98, 100, "98.0%"), 2));
        response.Groups.Add(Window("A03", "A03 不动产", 0, 0, 0, Rate("good_rate", "好评率", 4, 4, "样本不足"), 0));
        Server.Cases.HandlingFigures = response;
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose; // Vizor.ECharts draws through JS interop
        await SignInAsync();

        var layout = RenderInLayout<HandlingStatisticsPage>();

        layout.WaitForAssertion(() => Assert.Equal("5", Text(layout, "stat-received")), Bound);
        var request = Assert.Single(Server.Cases.HandlingRequests);
        Assert.Equal(HandlingBreakdown.Window, request.Breakdown);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);
        Assert.Equal($"{today:yyyy-MM}-01", request.FromDay);
        Assert.Equal($"{today:yyyy-MM-dd}", request.ToDay);
        Assert.Equal("100.0%", Text(layout, "stat-rate-rectified_in_time_rate"));
        Assert.Equal("3/3", Text(layout, "stat-fraction-rectified_in_time_rate"));
        Assert.Contains("A01 综合受理", layout.Find("[data-testid='stat-group-370104-ZWZX/A01']").TextContent, StringComparison.Ordinal);
        Assert.NotNull(layout.Find("[data-testid=nav-statistics]"));

        // 好评率 first, the window without enough ratings last.
        var ranked = layout.FindAll("[data-testid=stat-window-ranking] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(3, ranked.Count);
        Assert.Contains("A02", ranked[0], StringComparison.Ordinal);
        Assert.Contains("A01", ranked[1], StringComparison.Ordinal);
        Assert.Contains("A03", ranked[2], StringComparison.Ordinal);

        var href = layout.Find("[data-testid=stat-csv]").GetAttribute("href")!;
        var bytes = Convert.FromBase64String(href[(href.IndexOf(',', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("期间,统计维度,分组,差评数,待处理,已逾期,差评整改率", lines[0], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length); // the header, the total and three windows
        Assert.Contains(",窗口,合计,5,2,0,", lines[1], StringComparison.Ordinal);
        Assert.Contains("A01 综合受理,3,0,0,50.0%,1,2,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ADepartmentHandler_IsToldThePageIsForManagers_AndNothingIsAsked()
    {
        Server.Accounts.Account.Role = StaffRole.DepartmentHandler;
        await SignInAsync();

        var layout = RenderInLayout<HandlingStatisticsPage>();

        layout.WaitForAssertion(() => Assert.Contains("大厅负责人", Text(layout, "statistics-not-allowed"), StringComparison.Ordinal), Bound);
        Assert.Empty(Server.Cases.HandlingRequests);
        Assert.Empty(layout.FindAll("[data-testid=nav-statistics]"));
    }

    [Fact]
    public void Period_MonthQuarterYearAndCustom_CoverTheirDays_AndStopAtToday()
    {
        Assert.Equal((new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)), (StatisticsPeriod.Month(2026, 2).FirstDay, StatisticsPeriod.Month(2026, 2).LastDay));
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)), (StatisticsPeriod.Quarter(2026, 4).FirstDay, StatisticsPeriod.Quarter(2026, 4).LastDay));
        Assert.Equal("2026年第四季度", StatisticsPeriod.Quarter(2026, 4).Label);
        Assert.Equal(new DateOnly(2026, 12, 6), StatisticsPeriod.Year(2026).Until(new DateOnly(2026, 12, 6)).LastDay);
        Assert.Equal(new DateOnly(2025, 12, 31), StatisticsPeriod.Year(2025).Until(new DateOnly(2026, 12, 6)).LastDay);
    }
}

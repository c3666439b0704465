using Bunit;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Dashboard.Components.Pages;
using Grpc.Core;
using ServiceHall.Dashboard.Components.Live;
using ServiceHall.Dashboard.Services;
using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Dashboard.Services.Disclosures;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests;

public sealed class HomePageTests : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly BunitContext _ctx = new();
    private readonly GrpcChannel _unusedChannel = GrpcChannel.ForAddress("http://127.0.0.1:9");
    private readonly LiveFiguresFeed _feed;
    private readonly FakeCatalog _catalog = new();

    public HomePageTests()
    {
        // Not started: the tests publish snapshots the way the stream would.
        _feed = new LiveFiguresFeed(
            new LiveFiguresService.LiveFiguresServiceClient(_unusedChannel),
            Options.Create(new DashboardOptions()),
            TimeProvider.System,
            NullLogger<LiveFiguresFeed>.Instance);
        _ctx.Services.AddSingleton(_feed);
        _ctx.Services.AddSingleton(_ => new HandlingFiguresFeed(
            new LiveFiguresService.LiveFiguresServiceClient(_unusedChannel), TimeProvider.System, NullLogger<HandlingFiguresFeed>.Instance));
        _ctx.Services.AddSingleton(Options.Create(new DashboardOptions()));
        _ctx.Services.AddSingleton<CatalogService.CatalogServiceClient>(_catalog);
        _ctx.Services.AddLogging();
        _ctx.Services.AddSingleton<HallDirectory>();
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestFigures.AsOf));
        // Nothing published can be read here: the ticker stays away (OutcomeTickerTests show it).
        _ctx.Services.AddSingleton(new DisclosureClient(
            new DisclosureService.DisclosureServiceClient(_unusedChannel), NullLogger<DisclosureClient>.Instance));
        _ctx.Services.AddSingleton<PublishedOutcomes>();
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose; // Vizor.ECharts initialises charts through JS interop
    }

    public async ValueTask DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _unusedChannel.Dispose();
    }

    private void Publish(LiveFigures message) => _feed.Publish(s => s.WithFigures(message.ToHallFigures()));

    private static string Text(IRenderedComponent<Home> page, string testId) =>
        page.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public void Render_BeforeTheServerAnswers_ShowsCalmConnectingState()
    {
        var page = _ctx.Render<Home>();

        Assert.Contains("正在连接服务器…", page.Find(".waiting-panel").TextContent);
        Assert.Equal("正在连接服务器…", Text(page, "feed-status"));
        Assert.Empty(page.FindAll("[data-testid=rating-count]"));
    }

    [Fact]
    public void Render_WithFigures_ShowsHeadlineNumbersTitleAndFormulas()
    {
        Publish(TestFigures.Typical());

        var page = _ctx.Render<Home>();

        Assert.Equal("槐荫区政务服务中心 好差评实时数据", page.Find("h1").TextContent);
        Assert.Contains("2026年3月9日 星期一", page.Find(".screen-day").TextContent);
        Assert.Equal("13", Text(page, "rating-count"));
        Assert.Equal("92.3%", Text(page, "good-rate"));
        Assert.Equal("1", Text(page, "bad-count"));
        Assert.Equal("7.7%", Text(page, "bad-rate"));
        Assert.Contains("好评率 = (非常满意+满意+基本满意) ÷ 评价数", page.Markup);
        Assert.Contains("差评率 = (不满意+非常不满意) ÷ 评价数", page.Markup);
        Assert.Equal("实时更新 · 更新于 10:15:30", Text(page, "feed-status"));
    }

    [Fact]
    public void Render_NoRatingsYet_RatesShowDashNotZero()
    {
        Publish(TestFigures.Empty());

        var page = _ctx.Render<Home>();

        Assert.Equal("0", Text(page, "rating-count"));
        Assert.Equal("—", Text(page, "good-rate"));
        Assert.Equal("0", Text(page, "bad-count"));
        Assert.Equal("—", Text(page, "bad-rate"));
    }

    [Fact]
    public void Render_Footer_LinksThePeriodicDisclosures()
    {
        var page = _ctx.Render<Home>();

        var link = page.Find("[data-testid=disclosures-link]");
        Assert.Equal("定期公开", link.TextContent.Trim());
        Assert.Equal("/disclosures", link.GetAttribute("href"));
    }

    [Fact]
    public void Render_WithFigures_DepartmentRowsInServerOrder()
    {
        Publish(TestFigures.Typical());

        var page = _ctx.Render<Home>();

        var rows = page.FindAll("[data-testid=department-table] tbody tr")
            .Select(row => row.Children.Select(cell => cell.TextContent.Trim()).ToArray())
            .ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["区人力资源社会保障局", "8", "7", "1", "87.5%"], rows[0]);
        Assert.Equal(["区行政审批服务局", "5", "5", "0", "100.0%"], rows[1]);
        Assert.Equal(["区医保局", "0", "0", "0", "—"], rows[2]);
    }

    [Fact]
    public void Render_WithFigures_ChartsHaveAccessibleTablesOfTheirNumbers()
    {
        Publish(TestFigures.Typical());

        var page = _ctx.Render<Home>();

        var levelRows = page.FindAll("[data-testid=level-table] tbody tr")
            .Select(row => (row.Children[0].TextContent, row.Children[1].TextContent))
            .ToList();
        Assert.Equal(
            [("非常满意", "6"), ("满意", "4"), ("基本满意", "2"), ("不满意", "1"), ("非常不满意", "0")],
            levelRows);
        var hourRows = page.FindAll("[data-testid=hourly-table] tbody tr");
        Assert.Equal(24, hourRows.Count); // the catalog names no opening hours: the whole day
        Assert.Equal("0时", hourRows[0].Children[0].TextContent);
        Assert.Equal("13", hourRows[10].Children[1].TextContent);
        Assert.Equal("23时", hourRows[23].Children[0].TextContent);
    }

    [Fact]
    public void Render_HallOpenNineToFive_HourlyChartSpansItsOpeningHours()
    {
        _catalog.OpeningHours = "周一至周五 上午9:00-12:00 下午13:30-17:00";
        Publish(TestFigures.Typical());

        var page = _ctx.Render<Home>();

        page.WaitForAssertion(() => Assert.Equal(8, page.FindAll("[data-testid=hourly-table] tbody tr").Count), Bound);
        var hours = page.FindAll("[data-testid=hourly-table] tbody tr").Select(row => row.Children[0].TextContent).ToList();
        Assert.Equal(["9时", "10时", "11时", "12时", "13时", "14时", "15时", "16时"], hours);
    }

    [Fact]
    public void Render_OnTheWall_HasNoControlsAndNoLinks()
    {
        // What a wall screen's browser opens (the same as Dashboard:HallScreenOnWall and HallScreenLarge).
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/?wall=1&large=1");
        Publish(TestFigures.Typical());

        var page = _ctx.Render<Home>();

        Assert.Empty(page.FindAll("button, a"));
        Assert.Contains("hall-screen--elder", page.Find("[data-testid=hall-screen]").ClassName);
    }

    [Fact]
    public void Render_Default_HasNoLargerModeButton()
    {
        Publish(TestFigures.Typical());

        var page = _ctx.Render<Home>();

        // The larger mode comes from configuration or ?large=1, never from a button on the screen.
        Assert.Empty(page.FindAll("button"));
        Assert.DoesNotContain("hall-screen--elder", page.Find("[data-testid=hall-screen]").ClassName);
    }

    [Theory]
    [InlineData("周一至周五 上午9:00-12:00 下午13:30-17:00", -1, 9, 17)]
    [InlineData("周一至周五 上午9:00-12:00 下午13:30-17:00", 18, 9, 19)]
    [InlineData("每日 8：30—17：30", -1, 8, 18)]
    [InlineData("全天开放", -1, 0, 24)]
    [InlineData("", 3, 0, 24)]
    public void ChartedHours_FromTheOpeningHoursWidenedToHoursWithRatings(string openingHours, int ratedHour, int from, int to)
    {
        var counts = new int[24];
        if (ratedHour >= 0)
        {
            counts[ratedHour] = 2;
        }

        Assert.Equal((from, to), ChartedHours.Of(openingHours, counts));
    }

    /// <summary>The catalog as the server sends it, with the opening hours a test sets.</summary>
    private sealed class FakeCatalog : CatalogService.CatalogServiceClient
    {
        public string OpeningHours { get; set; } = "";

        public override AsyncUnaryCall<GetCatalogResponse> GetCatalogAsync(
            GetCatalogRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default) =>
            new(Task.FromResult(new GetCatalogResponse { Hall = new Hall { Code = request.HallCode, OpeningHours = OpeningHours } }),
                Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    [Fact]
    public void Render_FeedPublishesNewFigures_PageUpdatesWithoutReload()
    {
        Publish(TestFigures.Typical());
        var page = _ctx.Render<Home>();

        Publish(TestFigures.Message([30, 10, 1, 2, 3], ("SPJ", "区行政审批服务局", 40, 5)));

        page.WaitForAssertion(() => Assert.Equal("46", Text(page, "rating-count")), Bound);
        Assert.Equal("89.1%", Text(page, "good-rate"));
        Assert.Equal("5", Text(page, "bad-count"));
        Assert.Equal("10.9%", Text(page, "bad-rate"));
        Assert.Single(page.FindAll("[data-testid=department-table] tbody tr"));
    }

    [Fact]
    public void Render_FirstFiguresArriveWhileConnecting_ReplacesConnectingState()
    {
        var page = _ctx.Render<Home>();

        Publish(TestFigures.Typical());

        page.WaitForAssertion(() => Assert.Equal("13", Text(page, "rating-count")), Bound);
        Assert.Empty(page.FindAll(".waiting-panel"));
    }

    [Fact]
    public void Render_FeedPublishesNewFigures_ChartsGetTheNewData()
    {
        Publish(TestFigures.Typical());
        var page = _ctx.Render<Home>();

        Publish(TestFigures.Message([41, 10, 1, 2, 3]));

        page.WaitForAssertion(
            () => Assert.Contains(
                _ctx.JSInterop.Invocations["vizorECharts.updateChart"],
                call => call.Arguments.OfType<string>().Any(json => json.Contains("\"value\":41", StringComparison.Ordinal))),
            Bound);
    }

    [Fact]
    public void Render_StreamDrops_KeepsFiguresAndSaysItIsReconnecting()
    {
        Publish(TestFigures.Typical());
        var page = _ctx.Render<Home>();

        _feed.Publish(s => s.Disconnected(DateTimeOffset.UtcNow, hallNotFound: false));

        page.WaitForAssertion(() => Assert.Equal("与服务器的连接已中断，正在重连…", Text(page, "feed-status")), Bound);
        Assert.Equal("13", Text(page, "rating-count"));
        Assert.Equal("页面数据截至 10:15:30", page.Find(".feed-stale").TextContent.Trim());
    }

    [Fact]
    public void HandlingFigures_Arrive_ThePanelShowsOpenOverdueAndTheMonthsRatesWithTheirFractions()
    {
        var page = _ctx.Render<Home>();
        Publish(TestFigures.Typical());
        // The feed's figures reach the page through its dispatcher: the panel appears with the re-render, not at once.
        page.WaitForAssertion(() => Assert.Contains("正在获取差评处理数据", page.Find("[data-testid=handling-panel]").TextContent), Bound);

        var handling = _ctx.Services.GetRequiredService<HandlingFiguresFeed>();
        handling.Publish(new DashboardOptions().HallCode, TestHandling.Figures(open: 7, overdue: 2, inTime: (19, 20), callback: (3, 4)).ToView());

        page.WaitForAssertion(() => Assert.Equal("7", Text(page, "handling-open")), Bound);
        Assert.Equal("2", Text(page, "handling-overdue"));
        Assert.Equal("95.0%", Text(page, "handling-in-time"));
        Assert.Contains("19/20", page.Find("[data-testid=handling-panel]").TextContent);
        // 4 real-name 差评 due a callback is below the minimum sample: 样本不足, with the count beside it.
        Assert.Equal("样本不足", Text(page, "handling-callback"));
        Assert.Contains("3/4", page.Find("[data-testid=handling-panel]").TextContent);
        Assert.Contains("逾期 2", page.Find("[data-testid=stage-待回访]").TextContent);
        Assert.Equal(12, page.FindAll("[data-testid=handling-trend-table] tbody tr").Count);
    }
}

/// <summary>Handling figures as the server would stream them.</summary>
internal static class TestHandling
{
    private static readonly string[] Stages = ["待分派", "待回访", "整改中", "待反馈", "待评价整改", "申诉处理"];

    public static HandlingFigures Figures(int open, int overdue, (int N, int D) inTime, (int N, int D) callback)
    {
        static IndicatorFigure Rate(string code, string name, (int N, int D) f) => new()
        {
            Code = code, Name = name, Formula = name + " = …", Numerator = f.N, Denominator = f.D,
            Display = f.D < 10 ? "样本不足" : (100.0 * f.N / f.D).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%",
            InsufficientSample = f.D < 10,
        };

        var summary = new HandlingSummary { Received = open + 10, Open = open, Overdue = overdue };
        summary.Rates.Add(Rate("rectified_rate", "差评整改率", (10, 10)));
        summary.Rates.Add(Rate("rectified_in_time_rate", "按时整改率", inTime));
        summary.Rates.Add(Rate("callback_rate", "实名差评回访率", callback));
        summary.Rates.Add(Rate("fix_satisfaction_rate", "回访整改满意率", (0, 0)));
        var load = new CaseLoad { Open = open, Overdue = overdue };
        load.Stages.AddRange(Stages.Select((label, i) => new StageCount
        {
            Stage = (HandlingStage)(i + 1), Label = label, Open = i == 1 ? open : 0, Overdue = i == 1 ? overdue : 0,
        }));
        HandlingPeriod Period(string name) => new() { Name = name, FirstDay = "2026-12-01", LastDay = "2026-12-06", Total = summary };
        var figures = new HandlingFigures
        {
            HallCode = "370104-ZWZX", ScopeName = "大厅", AsOf = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TestFigures.AsOf),
            Today = Period("今日"), Month = Period("本月"), Year = Period("本年"), OpenNow = load,
        };
        figures.Trend.AddRange(Enumerable.Range(1, 12).Select(m => new HandlingMonth
        {
            Month = $"2026-{m:D2}", Received = m, RectifiedInTime = Rate("rectified_in_time_rate", "按时整改率", (m, 12)),
        }));
        return figures;
    }
}

using System.Text.Json.Nodes;
using Bunit;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceHall.Dashboard.Components.Pages;
using ServiceHall.Dashboard.Services.Disclosures;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.Disclosures;

/// <summary>A disclosure as a signed document: its sender, what was withdrawn from it, and the list of them newest first.</summary>
public sealed class SignedDisclosureTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly DateTimeOffset Approved = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero); // 2026-11-02 09:00 in Shanghai
    private static readonly DateTimeOffset Withdrawn = new(2026, 11, 20, 2, 30, 0, TimeSpan.Zero); // 2026-11-20 10:30

    private readonly BunitContext _ctx = new();
    private FakeDisclosureServer _server = default!;

    public async Task InitializeAsync()
    {
        _server = await FakeDisclosureServer.StartAsync();
        _ctx.Services.AddSingleton(Options.Create(new DashboardOptions()));
        _ctx.Services.AddSingleton(new DisclosureClient(
            new DisclosureService.DisclosureServiceClient(_server.Channel), NullLogger<DisclosureClient>.Instance));
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static PublicationHeader Header(string periodKey, string label, int version = 1, bool withdrawn = false)
    {
        var header = new PublicationHeader
        {
            PeriodKey = periodKey, PeriodLabel = label, Version = version, Withdrawn = withdrawn,
            PublishedAt = Timestamp.FromDateTimeOffset(Approved),
            SignOff = new PublicationSignOff
            {
                IssuingBody = "济南市槐荫区行政审批服务局", Contact = "0531-12345", ApprovingRole = "政务公开专员",
                ApprovedAt = Timestamp.FromDateTimeOffset(Approved),
            },
        };
        if (!withdrawn)
        {
            header.Headline.Add(new HeadlineFigure { Code = "rating_count", Name = "评价数", Display = "41" });
            header.Headline.Add(new HeadlineFigure { Code = "good_rate", Name = "好评率", Display = "95.1%" });
            header.Headline.Add(new HeadlineFigure { Code = "callback_rate", Name = "回访率", Display = "100.0%" });
        }

        return header;
    }

    /// <summary>Version 1 of 2026-10 as the server serves it after approval and, if asked, one withdrawn text.</summary>
    private static string SignedJson(bool textWithdrawn)
    {
        var document = JsonNode.Parse(TestPublications.Version1)!.AsObject();
        document["signOff"] = new JsonObject
        {
            ["issuingBody"] = "济南市槐荫区行政审批服务局", ["contact"] = "0531-12345", ["approvedAt"] = Approved.ToString("O"), ["approvingRole"] = "政务公开专员",
        };
        if (textWithdrawn)
        {
            document["content"]!["badReviews"]![0]!["text"] = "（已撤回）";
            document["withdrawals"] = new JsonArray(new JsonObject { ["row"] = 0, ["withdrawnAt"] = Withdrawn.ToString("O"), ["reason"] = "含可识别的工作人员" });
        }

        return document.ToJsonString();
    }

    private IRenderedComponent<DisclosurePage> Render(string periodKey = "2026-10") =>
        _ctx.Render<DisclosurePage>(p => p.Add(x => x.PeriodKey, periodKey).Add(x => x.VersionSegment, "v1"));

    [Fact]
    public void Page_Approved_ShowsTheIssuingBodyContactDateAndApprovingRole()
    {
        _server.Service.Publish(Header("2026-10", "2026年10月"), SignedJson(textWithdrawn: false));

        var page = Render();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=sign-off]")), Bound);
        Assert.Equal("济南市槐荫区行政审批服务局", page.Find("[data-testid=issuing-body]").TextContent);
        Assert.Equal("0531-12345", page.Find("[data-testid=contact]").TextContent);
        Assert.Equal("2026年11月2日经政务公开专员审核发布", page.Find("[data-testid=approval]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=withdrawals]"));
    }

    [Fact]
    public void Page_ATextWithdrawn_NoticeSaysWhatWhenAndWhy_AndTheTextIsGone()
    {
        _server.Service.Publish(Header("2026-10", "2026年10月"), SignedJson(textWithdrawn: true));

        var page = Render();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=withdrawals]")), Bound);
        Assert.Equal("2026年11月20日 10:30 撤回第 1 条差评的文字。原因：含可识别的工作人员", page.Find("[data-testid=withdrawals] li").TextContent);
        Assert.Contains("（已撤回）", page.Find("[data-testid=bad-review-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_TheWholeVersionWithdrawn_OnlyTheTitleAndTheNotice()
    {
        var header = Header("2026-10", "2026年10月", withdrawn: true);
        header.Withdrawals.Add(new WithdrawalNotice { WithdrawnAt = Timestamp.FromDateTimeOffset(Withdrawn), What = "本版全部内容", Reason = "数据有误" });
        _server.Service.Publish(header, "");

        var page = Render();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=publication-withdrawn]")), Bound);
        Assert.Contains("撤回本版全部内容。原因：数据有误", page.Find("[data-testid=withdrawals]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=bad-review-table]"));
        Assert.Empty(page.FindAll("[data-testid=indicator-grid]"));
    }

    [Fact]
    public void BadReviewTable_EveryCellLabelled_SoAPhoneReadsEachRowAsACard()
    {
        _server.Service.Publish(Header("2026-10", "2026年10月"), SignedJson(textWithdrawn: false));

        var page = Render();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=bad-review-table] tbody tr")), Bound);
        var labels = page.FindAll("[data-testid=bad-review-table] tbody tr")[0].Children.Select(td => td.GetAttribute("data-label"));
        Assert.Equal(["日期", "部门", "窗口", "事项", "评价", "原因", "评价内容", "处理结果", "整改情况", "整改完成", "回访", "评价人意见"], labels);
    }

    [Fact]
    public void List_NewestPeriodFirst_AMonthBeforeItsQuarter_WithHeadlineFigures()
    {
        // Published in an order unlike the periods': the list orders by period, not by publishing time.
        _server.Service.Publish(Header("2025", "2025年度"), TestPublications.Empty("2025", "2025年度"));
        _server.Service.Publish(Header("2026-Q3", "2026年第三季度"), TestPublications.Empty("2026-Q3", "2026年第三季度"));
        _server.Service.Publish(Header("2026-10", "2026年10月"), SignedJson(false));
        _server.Service.Publish(Header("2026-09", "2026年9月"), TestPublications.Empty("2026-09", "2026年9月"));
        var withdrawn = Header("2026-08", "2026年8月", withdrawn: true);
        withdrawn.Withdrawals.Add(new WithdrawalNotice { WithdrawnAt = Timestamp.FromDateTimeOffset(Withdrawn), What = "本版全部内容", Reason = "数据有误" });
        _server.Service.Publish(withdrawn, "");

        var list = _ctx.Render<DisclosureList>();

        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=publication-list]")), Bound);
        var items = list.FindAll("[data-testid=publication-list] > li");
        Assert.Equal(
            ["publication-2026-10-v1", "publication-2026-09-v1", "publication-2026-Q3-v1", "publication-2026-08-v1", "publication-2025-v1"],
            items.Select(i => i.GetAttribute("data-testid")));
        Assert.Equal("评价数41好评率95.1%", items[0].QuerySelector("[data-testid=headline]")!.TextContent.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
        Assert.Equal("已撤回", items[3].QuerySelector("[data-testid=withdrawn]")!.TextContent);
        Assert.Contains("撤回本版全部内容：数据有误", items[3].QuerySelector("[data-testid=withdrawal]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(items[3].QuerySelector("[data-testid=headline]"));
    }
}

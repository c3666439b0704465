using Bunit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Components.Pages;
using ServiceHall.Kiosk.Published;
using ServiceHall.Kiosk.Resources;
using ServiceHall.Kiosk.Services;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

/// <summary>The kiosk's 主动公开 section: its search, its cache and its pages (docs/rules/active-disclosure.md#at-the-kiosk).</summary>
public sealed class PublishedDocumentTests : IAsyncLifetime
{
    private const string PolicyId = "0193b6a0-0000-7000-8000-000000000001";
    private const string InterpretationId = "0193b6a0-0000-7000-8000-000000000002";
    private const string OpenId = "0193b6a0-0000-7000-8000-000000000003";
    private const string ClosedId = "0193b6a0-0000-7000-8000-000000000004";

    private readonly TempDirectory _dir = new();

    // 2026-11-10 09:30 in Beijing.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 10, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly BunitContext _ctx = new();
    private readonly FakePublishedServer _server = new();

    public PublishedDocumentTests()
    {
        var options = TestCatalog.Options(_dir.Path);
        _ctx.Services.AddSingleton(Cache());
        var catalog = new CatalogCache(
            new ServiceHallClient(new FakeCatalogServer(), new FakeRatingServer(), _clock),
            TestCatalog.Wrap(options), KioskPaths.Resolve(options, "/"), _clock, NullLogger<CatalogCache>.Instance);
        _ctx.Services.AddSingleton(catalog);
        _ctx.Services.AddSingleton<TimeProvider>(_clock);
        _ctx.Services.AddSingleton(TestCatalog.Wrap(options));
        _ctx.Services.AddScoped<KioskSessionPreferences>();
        _ctx.Services.AddLogging();
        _ctx.Services.AddLocalization();
        _ctx.Services.AddScoped<KioskText>();
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
    }

    private PublishedDocumentCache Cache()
    {
        var options = TestCatalog.Options(_dir.Path);
        return new PublishedDocumentCache(
            new PublishedDocumentClient(_server, _clock), TestCatalog.Wrap(options), KioskPaths.Resolve(options, "/"), _clock,
            NullLogger<PublishedDocumentCache>.Instance);
    }

    public async Task InitializeAsync() => await _ctx.Services.GetRequiredService<PublishedDocumentCache>().RefreshAsync(CancellationToken.None);

    [Theory]
    [InlineData("社保", true)] // a colloquial word for 社会保险
    [InlineData("shbx", true)] // pinyin initials of 社会保险
    [InlineData("SHBX", true)]
    [InlineData("gsbx", false)]
    [InlineData("稳岗 返还", true)]
    [InlineData("稳岗 营业执照", false)]
    public void TextSearch_MatchesWordsSynonymsAndPinyinInitials(string query, bool found) =>
        Assert.Equal(found, TextSearch.Matches(TextSearch.Words(query), ["失业保险稳岗返还", "社会保险"]));

    [Fact]
    public void PinyinInitials_OfCommonCharacters()
    {
        Assert.Equal("yyzz", PinyinInitials.Of("营业执照"));
        Assert.Equal("hyqzwfwzx", PinyinInitials.Of("槐荫区政务服务中心"));
        Assert.Equal("2026nzcwj", PinyinInitials.Of("2026年政策文件"));
    }

    [Fact]
    public async Task Cache_AskedAgain_SendsItsVersion_AndAKioskRestartedWithTheServerAway_ShowsTheSavedSet()
    {
        var online = _ctx.Services.GetRequiredService<PublishedDocumentCache>();
        Assert.True(await online.RefreshAsync(CancellationToken.None));
        Assert.Equal("v1", _server.LastKnownVersion);
        Assert.Equal(5, online.Current!.Documents.Count);

        _server.Down = true;
        var offline = Cache();
        await offline.LoadSavedAsync(CancellationToken.None);
        Assert.False(await offline.RefreshAsync(CancellationToken.None));
        Assert.True(offline.Current!.FromSavedFile);
        var policy = Assert.IsType<PublicDocumentInfo>(offline.Current.Find(PolicyId));
        Assert.Equal("槐政办发〔2026〕8号", policy.DocumentNumber);
        Assert.Equal([InterpretationId], policy.InterpretationIds);
    }

    [Fact]
    public void Home_ShowsTheGuideWithItsDate_AndCountsTheEnterprisePoliciesOpenToday()
    {
        var cut = _ctx.Render<PublishedHome>();
        Assert.Contains("更新日期：2026-11-01", cut.Find("[data-testid=published-guide]").TextContent);
        Assert.Contains("演示数据", cut.Find("[data-testid=published-guide]").TextContent);
        Assert.Contains("共 1 项", cut.Find("[data-testid=published-open-policies]").TextContent);
        Assert.Equal("disclosure/list?kind=EnterprisePolicy&open=1", cut.Find("[data-testid=published-open-policies]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=published-offline]"));
    }

    [Fact]
    public void List_OpenNow_ShowsOnlyOpenPolicies_WithTheDaysLeft()
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("disclosure/list?kind=EnterprisePolicy&open=1");
        var cut = _ctx.Render<PublishedList>();
        Assert.Single(cut.FindAll($"[data-testid=published-doc-{OpenId}]"));
        Assert.Empty(cut.FindAll($"[data-testid=published-doc-{ClosedId}]"));
        // Open until 2026-11-30, today 2026-11-10 in Beijing.
        Assert.Equal("距截止还有 20 天", cut.Find("[data-testid=days-left]").TextContent.Trim());
    }

    [Fact]
    public void List_Search_ByPinyinInitials_FindsThePolicy()
    {
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("disclosure/list?kind=Policy");
        var cut = _ctx.Render<PublishedList>();
        cut.Find("[data-testid=published-search]").Input("xwqy");
        Assert.Single(cut.FindAll($"[data-testid=published-doc-{PolicyId}]"));
        cut.Find("[data-testid=published-search]").Input("营业执照");
        Assert.Empty(cut.FindAll($"[data-testid=published-doc-{PolicyId}]"));
    }

    [Fact]
    public void DocumentPage_ShowsThePolicyWithItsInterpretation_AndAQrCodeOfItsOnlineVersion()
    {
        var cut = _ctx.Render<PublishedDocumentPage>(p => p.Add(c => c.Id, PolicyId));
        Assert.Equal("槐政办发〔2026〕8号", cut.Find("[data-testid=document-number]").TextContent);
        Assert.Equal(["第一条 支持小微企业。", "第二条 自发布之日起施行。"], cut.FindAll("[data-testid=document-body] p").Select(p => p.TextContent));
        Assert.Contains("谁起草谁解读的解读正文", cut.Find("[data-testid=interpretation]").TextContent);
        Assert.Contains("published-pair", cut.Find("[data-testid=published-pair]").ClassName);
        Assert.StartsWith("data:image/png;base64,", cut.Find("[data-testid=online-qr] img").GetAttribute("src"));
    }

    [Fact]
    public void DocumentPage_InEnglish_SaysTheDocumentIsInChineseOnly()
    {
        _ctx.Services.GetRequiredService<KioskSessionPreferences>().ToggleLanguage();
        var cut = _ctx.Render<PublishedDocumentPage>(p => p.Add(c => c.Id, OpenId));
        Assert.Contains("published in Chinese only", cut.Markup);
        Assert.Contains("20 days left to apply", cut.Find("[data-testid=days-left]").TextContent);
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _dir.Dispose();
    }

    private sealed class FakePublishedServer : PublishedDocumentService.PublishedDocumentServiceClient
    {
        public bool Down { get; set; }

        public string? LastKnownVersion { get; private set; }

        public override AsyncUnaryCall<GetPublishedSetResponse> GetPublishedSetAsync(GetPublishedSetRequest request, CallOptions options)
        {
            LastKnownVersion = request.KnownVersion;
            var response = request.KnownVersion == "v1" ? new GetPublishedSetResponse { Version = "v1", Unchanged = true } : Set();
            return new(Down
                    ? Task.FromException<GetPublishedSetResponse>(new RpcException(new Status(StatusCode.Unavailable, "server is down")))
                    : Task.FromResult(response),
                Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        private static GetPublishedSetResponse Set()
        {
            var at = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(8)));
            DocumentContent Content(PublishedDocumentType type, string title) => new()
            {
                Type = type, Title = title, IssuingBody = "济南市槐荫区人民政府办公室", IssuedOn = "2026-10-01",
                Body = "第一条 支持小微企业。\n\n第二条 自发布之日起施行。", OnlineUrl = "https://www.huaiyin.gov.cn/p/8",
            };
            var policy = new PublicDocument { DocumentId = PolicyId, Content = Content(PublishedDocumentType.Policy, "关于支持小微企业的若干措施"), PublishedAt = at, InterpretationIds = { InterpretationId } };
            policy.Content.DocumentNumber = "槐政办发〔2026〕8号";
            var interpretation = new PublicDocument { DocumentId = InterpretationId, Content = Content(PublishedDocumentType.Interpretation, "若干措施解读"), PublishedAt = at };
            interpretation.Content.Body = "谁起草谁解读的解读正文";
            interpretation.Content.InterpretsPolicyId = PolicyId;
            var open = new PublicDocument { DocumentId = OpenId, Content = Content(PublishedDocumentType.EnterprisePolicy, "吸纳就业补贴申报"), PublishedAt = at };
            (open.Content.ApplyFrom, open.Content.ApplyUntil) = ("2026-11-01", "2026-11-30");
            open.Content.Terms = new EnterpriseTerms { Conditions = "小微企业", Materials = "申请表", Procedure = "网上申报", Contact = "0531-00000000" };
            var closed = new PublicDocument { DocumentId = ClosedId, Content = Content(PublishedDocumentType.EnterprisePolicy, "贴息申报（上一批）"), PublishedAt = at };
            (closed.Content.ApplyFrom, closed.Content.ApplyUntil) = ("2026-08-01", "2026-10-31");
            var guide = new PublicDocument { DocumentId = "0193b6a0-0000-7000-8000-000000000005", Content = Content(PublishedDocumentType.Guide, "政府信息公开指南"), PublishedAt = at };
            guide.Content.Demo = true;
            return new GetPublishedSetResponse { Version = "v1", Documents = { policy, interpretation, open, closed, guide } };
        }
    }
}

using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Resources;
using ServiceHall.Kiosk.Components.Pages;
using ServiceHall.Kiosk.Components.Shared;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

public sealed class RatingScreenTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly BunitContext _ctx = new();
    private readonly Outbox _outbox;
    private readonly BunitJSModuleInterop _speech;

    public RatingScreenTests()
    {
        _outbox = new Outbox(_dir.File("outbox.db"), _clock);
        var options = TestCatalog.Options(_dir.Path);
        var cache = new CatalogCache(
            new ServiceHallClient(new FakeCatalogServer(), new FakeRatingServer(), _clock),
            TestCatalog.Wrap(options), KioskPaths.Resolve(options, "/"), _clock, NullLogger<CatalogCache>.Instance);
        cache.RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();
        _ctx.Services.AddSingleton(cache);
        _ctx.Services.AddSingleton(_outbox);
        _ctx.Services.AddSingleton<TimeProvider>(_clock);
        _ctx.Services.AddSingleton(TestCatalog.Wrap(options));
        _ctx.Services.AddScoped<KioskSessionPreferences>();
        _ctx.Services.AddScoped<RatingSession>();
        _ctx.Services.AddLogging();
        _ctx.Services.AddSingleton<WindowPad>();
        _ctx.Services.AddLocalization();
        _ctx.Services.AddScoped<KioskText>();
        _ctx.Services.AddScoped<KioskVoice>();
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
        // wwwroot/js/speech.js: the tests read what the kiosk asked the browser to say.
        _speech = _ctx.JSInterop.SetupModule("./js/speech.js");
        _speech.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void LevelChoice_FirstShown_HasTheFiveLabelsInOrderAndNoneSelected()
    {
        var cut = _ctx.Render<LevelChoice>();

        var buttons = cut.FindAll("button.level-button");
        Assert.Equal(["非常满意", "满意", "基本满意", "不满意", "非常不满意"],
            buttons.Select(b => b.QuerySelector(".level-label")!.TextContent.Trim()));
        Assert.Equal(["level-1", "level-2", "level-3", "level-4", "level-5"], buttons.Select(b => b.GetAttribute("data-testid")));
        Assert.All(buttons, b => Assert.Equal("false", b.GetAttribute("aria-pressed")));
        Assert.All(buttons, b => Assert.False(b.HasAttribute("disabled")));
        Assert.Empty(cut.FindAll(".level-selected-mark"));
    }

    [Fact]
    public void LevelChoice_Tapped_ReportsThatLevel()
    {
        SatisfactionLevel? chosen = null;
        var cut = _ctx.Render<LevelChoice>(p => p.Add(c => c.OnChoose, level => chosen = level));

        cut.Find("[data-testid=level-4]").Click();

        Assert.Equal(SatisfactionLevel.Dissatisfied, chosen);
    }

    [Fact]
    public void OnlineLink_AnAddress_IsShownAsAQrCodeWithTheAddressBelow()
    {
        const string url = "https://zwfw.example.gov.cn/item?code=11370104MB2851302F000117010000";

        var cut = _ctx.Render<OnlineLink>(p => p.Add(c => c.Url, url).Add(c => c.NoneText, "暂无"));

        var image = cut.Find("[data-testid=online-qr] img");
        var png = Convert.FromBase64String(image.GetAttribute("src")!["data:image/png;base64,".Length..]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.NotEqual(OnlineLink.QrDataUri(url + "&x=1"), image.GetAttribute("src")); // the code carries the address
        Assert.Equal(url, cut.Find(".online-link-url").TextContent);
    }

    [Fact]
    public void OnlineLink_NoAddress_SaysSoAndDrawsNoCode()
    {
        var cut = _ctx.Render<OnlineLink>(p => p.Add(c => c.Url, "").Add(c => c.NoneText, "暂无网上办理"));

        Assert.Empty(cut.FindAll("img"));
        Assert.Equal("暂无网上办理", cut.Markup.Trim());
    }

    [Fact]
    public async Task RatePage_BadReviewWalkedThrough_AsksForAReasonThenSavesOneRating()
    {
        var cut = _ctx.Render<Rate>();

        cut.Find("[data-testid=window-B03]").Click();
        Assert.Equal(5, cut.FindAll("[data-testid^=level-]").Count);
        Assert.Empty(cut.FindAll("[aria-pressed=true]"));

        cut.Find("[data-testid=level-4]").Click();
        Assert.Equal(["tag-EFF_LONG_WAIT", "tag-ATT_POOR", "tag-GUIDE_UNCLEAR"],
            cut.FindAll("[data-testid^=tag-]").Select(t => t.GetAttribute("data-testid")));

        cut.Find("[data-testid=next-step]").Click();
        Assert.Contains("请至少选择一项原因", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=callback-phone]"));

        cut.Find("[data-testid=tag-ATT_POOR]").Click();
        Assert.Equal("true", cut.Find("[data-testid=tag-ATT_POOR]").GetAttribute("aria-pressed"));
        cut.Find("[data-testid=next-step]").Click();
        Assert.Contains("我同意工作人员通过此号码联系我回访本次评价。", cut.Markup, StringComparison.Ordinal);

        cut.Find("[data-testid=submit-anonymous]").Click();

        cut.WaitForElement("[data-testid=thank-you]", TimeSpan.FromSeconds(5));
        Assert.Contains("感谢您的评价！", cut.Find("[data-testid=thank-you]").TextContent, StringComparison.Ordinal);
        Assert.Equal("我们会认真核实并整改。", cut.Find("[data-testid=thank-you-next]").TextContent);
        Assert.Contains("监督电话 0531-87598110", cut.Find("[data-testid=thank-you-supervision]").TextContent, StringComparison.Ordinal);
        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal($"评价编号 {RatingReference.Of(rating.Id)}", cut.Find("[data-testid=thank-you-reference]").TextContent.Trim());
        Assert.Equal((SatisfactionLevel.Dissatisfied, "B03"), (rating.Level, rating.WindowCode));
        Assert.Equal(["ATT_POOR"], rating.ReasonTagCodes);
        Assert.Null(rating.CallbackPhone);
    }

    [Fact]
    public void RatePage_PhoneTypedOnTheKeypadIsInvalid_SaysSoAndSavesNothing()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-A01]").Click();
        cut.Find("[data-testid=level-4]").Click();
        cut.Find("[data-testid=tag-ATT_POOR]").Click();
        cut.Find("[data-testid=next-step]").Click();

        foreach (var key in "1380013")
        {
            cut.Find($"[data-testid=key-{key}]").Click();
        }
        Assert.Equal("1380013", cut.Find("[data-testid=callback-phone]").GetAttribute("value"));
        cut.Find("[data-testid=submit-rating]").Click();

        cut.WaitForAssertion(() => Assert.Contains("11 位数字", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=thank-you]"));
    }

    [Fact]
    public void RatePage_BadReviewWithANumber_ThankYouSaysWhenTheCallComes()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-A01]").Click();
        cut.Find("[data-testid=level-5]").Click();
        cut.Find("[data-testid=tag-ATT_POOR]").Click();
        cut.Find("[data-testid=next-step]").Click();
        foreach (var key in "13800138000")
        {
            cut.Find($"[data-testid=key-{key}]").Click();
        }

        cut.Find("[data-testid=submit-rating]").Click();

        cut.WaitForElement("[data-testid=thank-you]", TimeSpan.FromSeconds(5));
        Assert.Equal("我们会在 1 个工作日内按您留下的电话回访，并认真核实整改。", cut.Find("[data-testid=thank-you-next]").TextContent);
    }

    [Fact]
    public void RatePage_BackFromContactAndOnAgain_KeepsTheNumberTyped()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-A01]").Click();
        cut.Find("[data-testid=level-4]").Click();
        cut.Find("[data-testid=tag-ATT_POOR]").Click();
        cut.Find("[data-testid=next-step]").Click();
        foreach (var key in "138")
        {
            cut.Find($"[data-testid=key-{key}]").Click();
        }
        cut.Find("[data-testid=key-delete]").Click();

        cut.Find("[data-testid=step-back]").Click();
        Assert.Empty(cut.FindAll("[data-testid=callback-phone]"));
        cut.Find("[data-testid=next-step]").Click();

        Assert.Equal("13", cut.Find("[data-testid=callback-phone]").GetAttribute("value"));
    }

    [Fact]
    public void RatePage_ItemChosenThenBack_ShowsTheSearchAsLeft()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=pick-item]").Click();
        cut.Find("[data-testid=target-item-search]").Input("设立");
        var found = cut.FindAll("[data-testid^=target-item-]").Where(b => b.TagName == "BUTTON").ToList();
        Assert.NotEmpty(found);
        found[0].Click();
        Assert.Equal(5, cut.FindAll("[data-testid^=level-]").Count);

        cut.Find("[data-testid=step-back]").Click();

        Assert.Equal("设立", cut.Find("[data-testid=target-item-search]").GetAttribute("value"));
        Assert.NotEmpty(cut.FindAll("[data-testid=pick-window]"));
    }

    [Fact]
    public void RatePage_NextStep_MovesTheFocusToItsHeading()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-B03]").Click();

        var focused = _ctx.JSInterop.VerifyFocusAsyncInvoke();
        focused.Arguments[0].ShouldBeElementReferenceTo(cut.Find("h1"));
        Assert.Contains("请对本次服务进行评价", cut.Find("h1").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RatePage_EachStep_SpeaksItsPromptExactlyAsShown()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-B03]").Click();
        cut.Find("[data-testid=level-2]").Click();
        cut.WaitForElement("[data-testid=recorded]", TimeSpan.FromSeconds(5));

        var spoken = Spoken();
        Assert.Equal(
        [
            "请选择为您办理业务的窗口 窗口号写在窗口上方和工作人员的桌牌上。",
            "请对本次服务进行评价 请选择您的满意程度。",
            "谢谢！您的评价已记录 想多说几句吗？可选理由或留言，不填也可以。",
        ], spoken.Select(s => s.Text));
        Assert.All(spoken, s => Assert.Equal("zh-CN", s.Lang));
        // Every spoken prompt is on the screen as text too.
        Assert.Contains("谢谢！您的评价已记录", cut.Find("h1").TextContent, StringComparison.Ordinal);
        Assert.Contains("想多说几句吗", cut.Find(".lead").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RatePage_GoodLevelTapped_IsRecordedAtOnceAndAReasonAddedGoesWithIt()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-B03]").Click();

        cut.Find("[data-testid=level-1]").Click(); // the second and last tap a good rating needs

        cut.WaitForElement("[data-testid=recorded]", TimeSpan.FromSeconds(5));
        Assert.Equal(1, await _outbox.GetDepthAsync());
        Assert.Contains("12 秒后自动返回首页", cut.Find("[data-testid=countdown]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["tag-EFF_FAST", "tag-ATT_PATIENT"], cut.FindAll("[data-testid^=tag-]").Select(t => t.GetAttribute("data-testid")));

        cut.Find("[data-testid=tag-EFF_FAST]").Click();
        cut.Find("[data-testid=recorded-done]").Click();

        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal(SatisfactionLevel.VerySatisfied, rating.Level);
        Assert.Equal(["EFF_FAST"], rating.ReasonTagCodes);
    }

    [Fact]
    public async Task RatePage_GoodLevelChangedIntoABadReview_AsksForAReasonAndKeepsNothingOfTheGoodOne()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-B03]").Click();
        cut.Find("[data-testid=level-3]").Click();
        cut.WaitForElement("[data-testid=recorded]", TimeSpan.FromSeconds(5));

        cut.Find("[data-testid=change-level]").Click();
        Assert.Contains("返回上一步", cut.Find(".lead").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find("[data-testid=level-3]").GetAttribute("aria-pressed"));
        cut.Find("[data-testid=level-5]").Click();

        cut.WaitForElement("[data-testid=next-step]", TimeSpan.FromSeconds(5));
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public void RatePage_VoicePromptsTurnedOff_SaysNothing()
    {
        _ctx.Services.GetRequiredService<KioskSessionPreferences>().ToggleVoicePrompts();

        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-B03]").Click();

        Assert.Empty(Spoken());
        Assert.Contains("请对本次服务进行评价", cut.Find("h1").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RatePage_InEnglish_ShowsAndSpeaksEnglish_CatalogStaysChinese()
    {
        _ctx.Services.GetRequiredService<KioskSessionPreferences>().SetLanguage(KioskLanguage.English);

        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-B03]").Click();

        Assert.Equal(["Very satisfied", "Satisfied", "Basically satisfied", "Dissatisfied", "Very dissatisfied"],
            cut.FindAll(".level-label").Select(l => l.TextContent.Trim()));
        Assert.Contains("社保综合窗口", cut.Find("[data-testid=rating-target]").TextContent, StringComparison.Ordinal);
        Assert.Equal(("Please rate this service Please choose how satisfied you are.", "en-US"), Spoken()[^1]);
    }

    [Fact]
    public void RatePage_InEnglish_CatalogNamesAreEnglishWhereTheDistrictGaveThem_ChineseElsewhere()
    {
        var preferences = _ctx.Services.GetRequiredService<KioskSessionPreferences>();
        preferences.SetLanguage(KioskLanguage.English);

        var cut = _ctx.Render<Rate>();

        var named = cut.Find("[data-testid=window-A01] .window-name");
        Assert.Equal(("Business Start-up", "en-US"), (named.TextContent.Trim(), named.GetAttribute("lang")));
        Assert.Equal("Administrative Approval", cut.Find("[data-testid=window-A01] .window-department").TextContent.Trim());
        var unnamed = cut.Find("[data-testid=window-B03] .window-name");
        Assert.Equal(("社保综合窗口", "zh-CN"), (unnamed.TextContent.Trim(), unnamed.GetAttribute("lang")));
        Assert.Equal("区人社局", cut.Find("[data-testid=window-B03] .window-department").TextContent.Trim());

        cut.Find("[data-testid=window-B03]").Click();
        cut.Find("[data-testid=level-5]").Click();
        var longWait = cut.Find("[data-testid=tag-EFF_LONG_WAIT] [lang]");
        Assert.Equal(("Long wait", "en-US"), (longWait.TextContent.Trim(), longWait.GetAttribute("lang")));
        Assert.Equal("zh-CN", cut.Find("[data-testid=tag-ATT_POOR] [lang]").GetAttribute("lang"));
        var legends = cut.FindAll(".reason-group legend").Select(l => (l.TextContent.Trim(), l.GetAttribute("lang"))).ToList();
        Assert.Contains(("Efficiency", "en-US"), legends);
        Assert.Contains(("服务态度", "zh-CN"), legends);

        // Back to Chinese for the next citizen: every name is Chinese again at once.
        preferences.SetLanguage(KioskLanguage.Chinese);
        cut.WaitForAssertion(() => Assert.Equal("等候时间长", cut.Find("[data-testid=tag-EFF_LONG_WAIT] [lang]").TextContent.Trim()));
    }

    [Theory]
    [InlineData(KioskLanguage.English, "This guide is available in Chinese only.", "Registration of a limited liability company")]
    [InlineData(KioskLanguage.Chinese, null, "有限责任公司设立登记")]
    public void ItemGuide_InEnglish_NamesTheItemInEnglishAndSaysTheGuideIsInChineseOnly(KioskLanguage language, string? note, string heading)
    {
        _ctx.Services.GetRequiredService<KioskSessionPreferences>().SetLanguage(language);

        var cut = _ctx.Render<ItemDetail>(p => p.Add(d => d.Code, "11370104MB2851301K000105001000"));

        Assert.Equal(heading, cut.Find("h1").TextContent.Trim());
        Assert.Equal(note, cut.FindAll("[data-testid=guide-chinese-only]").SingleOrDefault()?.TextContent.Trim());
    }

    [Fact]
    public void LevelChoice_LanguageSwitchedWhileShown_RelabelsAtOnce()
    {
        var cut = _ctx.Render<LevelChoice>();
        var preferences = _ctx.Services.GetRequiredService<KioskSessionPreferences>();

        preferences.SetLanguage(KioskLanguage.English);
        cut.WaitForAssertion(() => Assert.Equal("Very satisfied", cut.Find("[data-testid=level-1] .level-label").TextContent.Trim()));
        preferences.SetLanguage(KioskLanguage.Chinese);
        cut.WaitForAssertion(() => Assert.Equal("非常满意", cut.Find("[data-testid=level-1] .level-label").TextContent.Trim()));
    }

    private List<(string Text, string Lang)> Spoken() =>
        [.. _speech.Invocations["speak"].Select(i => ((string)i.Arguments[0]!, (string)i.Arguments[1]!))];

    public Task InitializeAsync() => Task.CompletedTask;

    // The circuit's services include async-only disposables (the speech module), as in the real app.
    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _outbox.Dispose();
        _dir.Dispose();
    }
}

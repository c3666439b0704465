using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Components.Pages;
using ServiceHall.Kiosk.Components.Shared;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

public sealed class RatingScreenTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly BunitContext _ctx = new();
    private readonly Outbox _outbox;

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
        _ctx.Services.AddScoped<RatingSession>();
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
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
        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal((SatisfactionLevel.Dissatisfied, "B03"), (rating.Level, rating.WindowCode));
        Assert.Equal(["ATT_POOR"], rating.ReasonTagCodes);
        Assert.Null(rating.CallbackPhone);
    }

    [Fact]
    public void RatePage_PhoneTypedOnTheKeypadIsInvalid_SaysSoAndSavesNothing()
    {
        var cut = _ctx.Render<Rate>();
        cut.Find("[data-testid=window-A01]").Click();
        cut.Find("[data-testid=level-2]").Click();
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

    public void Dispose()
    {
        _ctx.Dispose();
        _outbox.Dispose();
        _dir.Dispose();
    }
}

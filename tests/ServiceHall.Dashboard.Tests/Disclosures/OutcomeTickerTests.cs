using Bunit;
using Grpc.Core;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Dashboard.Components.Live;
using ServiceHall.Dashboard.Services.Disclosures;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.Disclosures;

/// <summary>The hall screen's ticker shows the latest published period's rectified 差评, as published, one at a time.</summary>
public sealed class OutcomeTickerTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly BunitContext _ctx = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 10, 2, 0, 0, TimeSpan.Zero));
    private FakeDisclosureServer _server = default!;

    public async Task InitializeAsync()
    {
        _server = await FakeDisclosureServer.StartAsync();
        _ctx.Services.AddSingleton<TimeProvider>(_time);
        _ctx.Services.AddSingleton(new DisclosureClient(
            new DisclosureService.DisclosureServiceClient(_server.Channel), NullLogger<DisclosureClient>.Instance));
        _ctx.Services.AddSingleton<PublishedOutcomes>();
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public void Ticker_LatestPeriodsRectifiedBadReviews_NewestFirstThenTheNext()
    {
        TestPublications.PublishAll(_server.Service);

        var ticker = _ctx.Render<OutcomeTicker>();

        ticker.WaitForAssertion(() => Assert.NotEmpty(ticker.FindAll("[data-testid=outcome-ticker]")), Bound);
        Assert.Contains("2026年10月", ticker.Find(".outcome-ticker__label").TextContent);
        var first = ticker.Find("[data-testid=outcome-ticker-row]").TextContent;
        Assert.Contains("整改：已增开一个窗口", first);
        Assert.Contains("等候时间长、态度不好", first);
        Assert.Contains("10月28日完成 · 超期", first);
        // Version 2's third 差评 was not rectified: two go round, not three.
        Assert.Equal("1 / 2", ticker.Find(".outcome-ticker__count").TextContent.Trim());

        _time.Advance(OutcomeTicker.EachShownFor);

        ticker.WaitForAssertion(() => Assert.Contains("整改：已更新一次性告知单", ticker.Find("[data-testid=outcome-ticker-row]").TextContent), Bound);
        Assert.Contains("A01 综合受理窗口 · 食品经营许可", ticker.Find("[data-testid=outcome-ticker-row]").TextContent);
        Assert.Equal("2 / 2", ticker.Find(".outcome-ticker__count").TextContent.Trim());
    }

    [Fact]
    public void Ticker_NothingPublished_ShowsNothing()
    {
        var ticker = _ctx.Render<OutcomeTicker>();

        ticker.WaitForAssertion(() => Assert.Equal(1, _server.Service.ListCalls), Bound);
        Assert.Empty(ticker.FindAll("[data-testid=outcome-ticker]"));
    }

    [Fact]
    public void Ticker_ServerAway_ShowsNothingAndNoError()
    {
        _server.Service.Failure = new Status(StatusCode.Unavailable, "down");

        var ticker = _ctx.Render<OutcomeTicker>();

        ticker.WaitForAssertion(() => Assert.Equal(1, _server.Service.ListCalls), Bound);
        Assert.Empty(ticker.FindAll("[data-testid=outcome-ticker]"));
    }

    [Fact]
    public void Rectified_LeavesOutRowsWithoutADayOrWithoutWords()
    {
        PublishedBadReview Row(string done, DateOnly? on) =>
            new(new DateOnly(2026, 10, 1), "局", "A01", "", "不满意", [], "", "", WhatWasDone: done, RectifiedOn: on);

        var rows = PublishedOutcomes.Rectified([
            Row("早", new DateOnly(2026, 10, 2)), Row("", new DateOnly(2026, 10, 5)), Row("未完成", null), Row("晚", new DateOnly(2026, 10, 9)),
        ]);

        Assert.Equal(["晚", "早"], rows.Select(r => r.WhatWasDone));
    }
}

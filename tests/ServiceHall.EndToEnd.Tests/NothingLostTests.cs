using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// No rating the kiosk thanked a citizen for is ever lost, and none is stored twice — with the server away, and with the
/// kiosk killed in the middle of a delivery. Each test runs its own server and kiosk processes on loopback and compares
/// the kiosk's outbox with what the server stored.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class NothingLostTests(ServiceHallSystem system, ITestOutputHelper output) : IAsyncLifetime
{
    // How many ratings each test makes through the kiosk's screen. SERVICEHALL_OUTAGE_RATINGS raises it (e.g. 500).
    private static readonly int Ratings =
        int.TryParse(Environment.GetEnvironmentVariable("SERVICEHALL_OUTAGE_RATINGS"), out var n) && n > 0 ? n : 100;

    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(120);

    private readonly string _data = Directory.CreateTempSubdirectory("servicehall-outage-").FullName;
    private readonly Uri _grpc = new($"http://127.0.0.1:{AppProcess.FreePort()}/");
    private readonly Uri _web = new($"http://127.0.0.1:{AppProcess.FreePort()}/");
    private readonly Uri _kioskUrl = new($"http://127.0.0.1:{AppProcess.FreePort()}/");
    private AppProcess? _server;
    private AppProcess? _kiosk;
    private string _credential = "";

    private string ServerDatabase => Path.Combine(_data, "server", "servicehall.db");

    private string Outbox => Path.Combine(_data, "kiosk", "outbox.db");

    private Dictionary<string, string> ServerEnvironment => new(ProductionServer.Settings(_data))
    {
        ["Kestrel__Endpoints__Grpc__Url"] = _grpc.ToString(),
        ["Kestrel__Endpoints__Web__Url"] = _web.ToString(),
        ["Storage__DatabasePath"] = ServerDatabase,
    };

    public async Task InitializeAsync()
    {
        await StartServerAsync();
        _credential = await AppProcess.RunCommandAsync(
            "ServiceHall.Server", ServerEnvironment, "kiosks", "enroll", "--device", "kiosk-outage", "--hall", ServiceHallSystem.HallCode);
        await StartKioskAsync();
    }

    private async Task StartServerAsync() =>
        _server = await AppProcess.StartAsync("ServiceHall.Server", ServerEnvironment, new Uri(_web, "healthz"));

    private async Task StartKioskAsync(Uri? through = null) =>
        _kiosk = await AppProcess.StartAsync("ServiceHall.Kiosk", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = _kioskUrl.ToString(),
            ["Kiosk__ServerAddress"] = (through ?? _grpc).ToString(),
            ["Kiosk__HallCode"] = ServiceHallSystem.HallCode,
            ["Kiosk__DeviceId"] = "kiosk-outage",
            ["Kiosk__Credential"] = _credential,
            ["Kiosk__DataDirectory"] = Path.Combine(_data, "kiosk"),
            // A 政务公开专区 kiosk: its home screen offers 依申请公开 first.
            ["Kiosk__DisclosureZone"] = "true",
        }, _kioskUrl);

    /// <summary>Rates window A01 "非常满意" anonymously, the whole flow on screen, <paramref name="count"/> times.</summary>
    private async Task RateAsync(int count)
    {
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1080, Height = 1920 } });
        await page.GotoAsync(_kioskUrl.ToString());
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await Expect(page.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
            await page.GetByTestId("start-rating").ClickAsync();
            await page.GetByTestId("window-A01").ClickAsync();
            // A good rating is recorded on this tap; 完成 sends it at once instead of after the few seconds.
            await page.GetByTestId("level-1").ClickAsync();
            await Expect(page.GetByTestId("recorded")).ToBeVisibleAsync();
            await page.GetByTestId("recorded-done").ClickAsync();
        }

        output.WriteLine($"{count} ratings through the kiosk screen in {clock.Elapsed.TotalSeconds:0.0} s");
        await page.CloseAsync();
    }

    private HashSet<string> Thanked() => StoredData.Strings(Outbox, "SELECT rating_id FROM outbox");

    private HashSet<string> Stored() => StoredData.Strings(ServerDatabase, "SELECT id FROM ratings WHERE device_id = 'kiosk-outage'");

    private static long Count(string database, string sql) => StoredData.Scalar(database, sql);

    private async Task WaitUntilDeliveredAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (Count(Outbox, "SELECT COUNT(*) FROM outbox WHERE state = 0") > 0)
        {
            Assert.True(deadline.Elapsed < DeliveryBound, $"outbox still not delivered after {DeliveryBound}:\n{_kiosk?.RecentOutput}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task ServerAway_RatingsMadeMeanwhile_AllArriveOnceWhenItReturns()
    {
        await _server!.DisposeAsync();
        _server = null;

        await RateAsync(Ratings);
        var thanked = Thanked();
        Assert.Equal(Ratings, thanked.Count);
        Assert.Equal(Ratings, Count(Outbox, "SELECT COUNT(*) FROM outbox WHERE state = 0"));

        await StartServerAsync();
        await WaitUntilDeliveredAsync();

        Assert.Equal(thanked, Stored());
    }

    [Fact]
    public async Task ServerAway_DisclosureRequestHandedInOnScreen_ReceiptShownAndArrivesOnceWhenItReturns()
    {
        await _server!.DisposeAsync();
        _server = null;

        var page = await system.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1080, Height = 1920 }, Locale = "zh-CN" });
        await page.GotoAsync(_kioskUrl.ToString());
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-home-disclosure-zone-portrait") });
        await KioskDisclosureScreen.ApplyAsync(page, "李四", "2025年度区级部门预算公开说明");
        // The server is away: the receipt gives the number (the one the office will see) and no date it could not know.
        await Expect(page.GetByTestId("receipt-pending")).ToBeVisibleAsync();
        var number = (await page.GetByTestId("receipt-number").TextContentAsync())!.Trim();
        await page.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-disclosure-receipt-pending-portrait") });
        var kept = Assert.Single(StoredData.Strings(Outbox, "SELECT request_id FROM disclosure_requests WHERE state = 0"));
        Assert.EndsWith(kept.Replace("-", "", StringComparison.Ordinal)[^8..].ToUpperInvariant(), number, StringComparison.Ordinal);

        await StartServerAsync();
        var deadline = Stopwatch.StartNew();
        while (Count(Outbox, "SELECT COUNT(*) FROM disclosure_requests WHERE state = 0") > 0)
        {
            Assert.True(deadline.Elapsed < DeliveryBound, $"the request is still in the outbox after {DeliveryBound}:\n{_kiosk?.RecentOutput}");
            await Task.Delay(250);
        }

        // Stored once, under the number the receipt showed; the receipt on screen now says so, with the server's reply day.
        Assert.Equal(1, Count(ServerDatabase, $"SELECT COUNT(*) FROM disclosure_requests WHERE lower(id) = '{kept}'"));
        Assert.Equal(1, Count(ServerDatabase, $"SELECT COUNT(*) FROM disclosure_requests WHERE number = '{number}'"));
        Assert.Equal(1, Count(Outbox, "SELECT COUNT(*) FROM disclosure_requests WHERE state = 1 AND applicant IS NULL"));
        await Expect(page.GetByTestId("receipt-confirmed")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("receipt-number")).ToHaveTextAsync(number);
        await page.CloseAsync();
    }

    [Fact]
    public async Task KioskKilledWhileDelivering_AfterRestartEveryRatingArrivesOnce()
    {
        await _server!.DisposeAsync();
        await RateAsync(Ratings);
        var thanked = Thanked();

        await StartServerAsync();
        // Kill the kiosk as soon as the first batch has reached the server: the rest is pending or on the wire.
        var deadline = Stopwatch.StartNew();
        while (Count(ServerDatabase, "SELECT COUNT(*) FROM ratings WHERE device_id = 'kiosk-outage'") == 0)
        {
            Assert.True(deadline.Elapsed < DeliveryBound, "no rating arrived after the server returned");
            await Task.Delay(20);
        }

        await _kiosk!.DisposeAsync();
        var atKill = Stored().Count;
        output.WriteLine($"kiosk killed with {atKill} of {Ratings} ratings stored");
        await StartKioskAsync();
        await WaitUntilDeliveredAsync();

        Assert.Equal(thanked, Stored());
        Assert.Equal(Ratings, Count(ServerDatabase, "SELECT COUNT(*) FROM ratings WHERE device_id = 'kiosk-outage'"));
    }

    [Fact]
    public async Task NetworkFailingEveryOtherCall_NoRatingLostNoneStoredTwice()
    {
        await _kiosk!.DisposeAsync();
        await using var network = await FlakyNetwork.StartAsync(_grpc);
        await StartKioskAsync(through: network.Address);

        await RateAsync(Ratings);
        var thanked = Thanked();
        await WaitUntilDeliveredAsync();

        output.WriteLine($"calls forwarded / cut before the server / answer cut after it: {network.Tally}");
        Assert.True(network.Tally.CutAfter > 0, "no answer was ever lost: the test did not test retries of stored ratings");
        Assert.Equal(thanked, Stored());
        Assert.Equal(Ratings, Count(ServerDatabase, "SELECT COUNT(*) FROM ratings WHERE device_id = 'kiosk-outage'"));
    }

    public async Task DisposeAsync()
    {
        if (_kiosk is not null)
        {
            await _kiosk.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}

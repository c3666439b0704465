using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// 一次一评 at window A01: its own server and a kiosk in WindowPad mode (the shared system's kiosk stays a plain kiosk),
/// with the window's business system played by ServiceHall.WindowSimulator.
/// </summary>
public sealed class WindowPadSystem : IAsyncLifetime
{
    public const string HallCode = ServiceHallSystem.HallCode;
    public const string Window = "A01";
    public const string Item = "11370104MB2851301K000105001000";
    /// <summary>Shortened from the default 60 s so the 未评价 path runs in the test's time.</summary>
    public const int PadRatingSeconds = 8;

    private readonly string _data = Directory.CreateTempSubdirectory("servicehall-pad-e2e-").FullName;
    private readonly List<AppProcess> _apps = [];
    private IPlaywright? _playwright;

    public Uri ServerGrpc { get; } = Loopback(AppProcess.FreePort());

    public Uri ServerWeb { get; } = Loopback(AppProcess.FreePort());

    public Uri Pad { get; } = Loopback(AppProcess.FreePort());

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The credential of the window's business system (enrolled as a device of that kind).</summary>
    public string WindowSystemCredential { get; private set; } = "";

    public string DatabasePath => Path.Combine(_data, "server", "servicehall.db");

    public string Logs => string.Join("\n\n", _apps.Select(a => $"== {a.Name} ==\n{a.RecentOutput}"));

    public async Task InitializeAsync()
    {
        var server = new Dictionary<string, string>(ProductionServer.Settings(_data))
        {
            ["Kestrel__Endpoints__Grpc__Url"] = ServerGrpc.ToString(),
            ["Kestrel__Endpoints__Web__Url"] = ServerWeb.ToString(),
            ["Storage__DatabasePath"] = DatabasePath,
        };
        _apps.Add(await AppProcess.StartAsync("ServiceHall.Server", server, new Uri(ServerWeb, "healthz")));
        var padCredential = await AppProcess.RunCommandAsync(
            "ServiceHall.Server", server, "kiosks", "enroll", "--device", "pad-a01", "--hall", HallCode,
            "--kind", "pad", "--window", Window);
        WindowSystemCredential = await AppProcess.RunCommandAsync(
            "ServiceHall.Server", server, "kiosks", "enroll", "--device", "window-system-a01", "--hall", HallCode,
            "--kind", "window-system");
        _apps.Add(await AppProcess.StartAsync("ServiceHall.Kiosk", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Pad.ToString(),
            ["Urls"] = Pad.ToString(),
            ["Kiosk__ServerAddress"] = ServerGrpc.ToString(),
            ["Kiosk__HallCode"] = HallCode,
            ["Kiosk__DeviceId"] = "pad-a01",
            ["Kiosk__Credential"] = padCredential,
            ["Kiosk__DataDirectory"] = Path.Combine(_data, "pad"),
            ["Kiosk__Mode"] = "WindowPad",
            ["Kiosk__WindowCode"] = Window,
            ["Kiosk__PadRatingSeconds"] = PadRatingSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, Pad));

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>The window system finishes a transaction (the simulator, as a district would run it); answers its short code.</summary>
    public async Task<string> CompleteTransactionAsync(string number, string staffId)
    {
        var printed = await AppProcess.RunCommandAsync("ServiceHall.WindowSimulator",
            new Dictionary<string, string>(),
            "--server", ServerGrpc.ToString(), "--credential", WindowSystemCredential, "--window", Window, "--item", Item,
            "--staff", staffId, "--number", number);
        var code = Regex.Match(printed, @"short code ([23456789A-HJKMNP-Z]{8})");
        return code.Success ? code.Groups[1].Value : throw new InvalidOperationException("the simulator printed no short code: " + printed);
    }

    public long Scalar(string sql) => StoredData.Scalar(DatabasePath, sql);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            // Bounded: a browser that does not answer its close is ended with the driver below.
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        _playwright?.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}/");
}

public sealed class WindowPadTests(WindowPadSystem system, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<WindowPadSystem>
{
    // A 10.1-inch window pad (1920 × 1200), landscape.
    private static readonly ViewportSize PadScreen = new() { Width = 1920, Height = 1200 };

    [Fact]
    public async Task FinishedTransaction_RatedOnThePad_ServerHasExactlyOneRatingOfIt()
    {
        var pad = await OpenIdlePadAsync();

        var number = "BJ-E2E-RATED-" + Guid.NewGuid().ToString("N")[..8];
        var shortCode = await system.CompleteTransactionAsync(number, "HY0101");

        var card = pad.GetByTestId("staff-card");
        await Expect(card).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(pad.GetByTestId("staff-name")).ToHaveTextAsync("王晓燕");
        await Expect(pad.GetByTestId("staff-id")).ToHaveTextAsync("HY0101");
        await Expect(card).ToContainTextAsync("A01");
        await Expect(card).ToContainTextAsync("有限责任公司设立登记");
        await Expect(pad.Locator("[data-testid^='level-'][aria-pressed='true']")).ToHaveCountAsync(0);
        await pad.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("pad-invitation") });
        await pad.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("pad-invitation-full"), FullPage = true });

        // One tap: the good rating is recorded; the screen thanks and offers reasons for a few seconds.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await pad.GetByTestId("level-1").ClickAsync();
        await Expect(pad.GetByTestId("recorded")).ToBeVisibleAsync();
        output.WriteLine($"good rating on the pad: 1 tap, recorded {clock.Elapsed.TotalSeconds:0.00} s after it");
        await pad.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("pad-recorded") });
        await pad.GetByTestId("recorded-done").ClickAsync();

        await UntilAsync(() => system.Scalar($"SELECT COUNT(*) FROM ratings WHERE transaction_number = '{number}'") == 1,
            "the pad's rating reaches the server");
        // Past the pad's time: the rated transaction is not turned into 未评价, and no second rating appears.
        await Task.Delay(TimeSpan.FromSeconds(WindowPadSystem.PadRatingSeconds + 3));
        Assert.Equal(1, system.Scalar($"SELECT COUNT(*) FROM ratings WHERE transaction_number = '{number}'"));
        Assert.Equal(3, system.Scalar($"SELECT status FROM transactions WHERE transaction_number = '{number}'"));

        // Days later the citizen comes back with the receipt: the code finds the rated transaction and offers its 追评.
        await pad.GotoAsync(new Uri(system.Pad, "code").ToString());
        await Expect(pad.GetByTestId("code-key-A")).ToBeEnabledAsync(new() { Timeout = 15_000 });
        foreach (var key in shortCode)
        {
            await pad.GetByTestId($"code-key-{key}").ClickAsync();
        }
        await pad.GetByTestId("code-submit").ClickAsync();
        await Expect(pad.GetByTestId("code-message")).ToContainTextAsync("已评价", new() { Timeout = 15_000 });
        await pad.GetByTestId("code-follow-up").ClickAsync();
        await Expect(pad.GetByTestId("follow-up-code")).ToHaveTextAsync(shortCode);
        await Expect(pad.GetByTestId("follow-up-submit")).ToBeEnabledAsync(new() { Timeout = 15_000 });
        await pad.GetByTestId("follow-up-text").FillAsync("材料已经补齐，问题解决了");
        // The counter follows the text once the screen has it (the screenshot is taken of what the citizen then sees).
        await Expect(pad.Locator(".text-field .counter")).ToContainTextAsync("12 / ");
        await pad.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("pad-follow-up") });
        await pad.GetByTestId("follow-up-submit").ClickAsync();
        await Expect(pad.GetByTestId("follow-up-done")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(1, system.Scalar(
            $"SELECT COUNT(*) FROM rating_follow_ups f JOIN ratings r ON r.id = f.rating_id WHERE r.transaction_number = '{number}'"));
        Assert.Equal(1, system.Scalar($"SELECT COUNT(*) FROM ratings WHERE transaction_number = '{number}'"));
    }

    [Fact]
    public async Task FinishedTransaction_NotRatedInTime_IsRecordedNotRatedAndCanBeFoundByItsCode()
    {
        var pad = await OpenIdlePadAsync();

        var number = "BJ-E2E-UNRATED-" + Guid.NewGuid().ToString("N")[..8];
        var shortCode = await system.CompleteTransactionAsync(number, "HY0102");
        await Expect(pad.GetByTestId("staff-name")).ToHaveTextAsync("张振华", new() { Timeout = 15_000 });

        // Nobody touches the pad: after its time it goes back to idle and the server records 未评价 — no rating.
        await Expect(pad.GetByTestId("pad-idle")).ToBeVisibleAsync(new() { Timeout = (WindowPadSystem.PadRatingSeconds + 10) * 1000 });
        await UntilAsync(() => system.Scalar($"SELECT status FROM transactions WHERE transaction_number = '{number}'") == 2,
            "the transaction is recorded 未评价");
        Assert.Equal(0, system.Scalar($"SELECT COUNT(*) FROM ratings WHERE transaction_number = '{number}'"));

        // Late rating: the short code from the receipt, typed on the on-screen keypad.
        await pad.GotoAsync(new Uri(system.Pad, "code").ToString());
        await Expect(pad.GetByTestId("code-key-A")).ToBeEnabledAsync(new() { Timeout = 15_000 });
        foreach (var key in "ZZZZ2222")
        {
            await pad.GetByTestId($"code-key-{key}").ClickAsync();
        }
        await pad.GetByTestId("code-submit").ClickAsync();
        // The lookup is a server call from a loaded machine: bounded like the other server round trips here.
        await Expect(pad.GetByTestId("code-message")).ToContainTextAsync("没有找到", new() { Timeout = 15_000 });
        await Expect(pad.GetByTestId("code-message")).Not.ToContainTextAsync("short_code");
        await pad.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-code-not-found") });

        await pad.GetByTestId("code-key-clear").ClickAsync();
        foreach (var key in shortCode)
        {
            await pad.GetByTestId($"code-key-{key}").ClickAsync();
        }
        await Expect(pad.GetByTestId("code-display")).ToContainTextAsync(shortCode[..1]);
        await pad.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-code-entry") });
        await pad.GetByTestId("code-submit").ClickAsync();
        await Expect(pad.GetByTestId("staff-name")).ToHaveTextAsync("张振华");
        await pad.ScreenshotAsync(new() { Path = ServiceHallSystem.ScreenshotPath("kiosk-code-rating") });
        Assert.Equal(0, system.Scalar($"SELECT COUNT(*) FROM ratings WHERE transaction_number = '{number}'"));
    }

    private async Task<IPage> OpenIdlePadAsync()
    {
        var pad = await system.Browser.NewPageAsync(new() { ViewportSize = PadScreen, Locale = "zh-CN" });
        await pad.GotoAsync(system.Pad.ToString());
        await Expect(pad.GetByTestId("pad-idle")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        // Interactive (the circuit is up, so the pad's invitations reach this screen): the header buttons are enabled.
        await Expect(pad.GetByTestId("large-text")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        return pad;
    }

    private async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting until {what}\n{system.Logs}");
            }
            await Task.Delay(250);
        }
    }
}

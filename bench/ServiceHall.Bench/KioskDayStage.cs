using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.Bench;

/// <summary>The kiosk's resident memory after <see cref="Ratings"/> ratings, sampled along the way.</summary>
internal sealed record KioskDayResult(
    int Ratings, int GuidesRead, TimeSpan Elapsed, IReadOnlyList<(int Ratings, long? ResidentBytes)> Samples, MemoryUse Memory);

/// <summary>
/// A day at one hall kiosk, through its screen: the kiosk process (Release build, as deployed) in Chromium, citizens
/// rating one after another (mostly 非常满意, every twentieth a 差评 with a reason) and every fifth one reading a service
/// guide first. The kiosk's VmRSS is read every 50 ratings. A real hall kiosk takes a few hundred ratings a day.
/// </summary>
internal static class KioskDayStage
{
    public static async Task<KioskDayResult> RunAsync(
        string repository, ServerProcess server, int ratings, CancellationToken cancellationToken)
    {
        var kioskDll = Path.Combine(repository, "kiosk", "bin", "Release", "net10.0", "ServiceHall.Kiosk.dll");
        if (!File.Exists(kioskDll))
        {
            throw new FileNotFoundException($"{kioskDll} is missing: build it first (dotnet build -c Release kiosk).", kioskDll);
        }

        var kiosk = server.Kiosks[0];
        var data = Directory.CreateTempSubdirectory("servicehall-bench-kiosk-");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/";
        var start = new ProcessStartInfo("dotnet", [kioskDll])
        {
            WorkingDirectory = Path.GetDirectoryName(kioskDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Development only so that the build output serves its static files as a published kiosk would.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Urls"] = url;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Kiosk__ServerAddress"] = server.GrpcAddress.ToString();
        start.Environment["Kiosk__HallCode"] = kiosk.HallCode;
        start.Environment["Kiosk__DeviceId"] = kiosk.DeviceId;
        start.Environment["Kiosk__Credential"] = kiosk.Credential;
        start.Environment["Kiosk__DataDirectory"] = data.FullName;
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilUpAsync(new Uri(url), cancellationToken);
            var memory = ResidentMemoryWatch.Start(process.Id);
            var samples = new List<(int, long?)> { (0, ResidentMemoryWatch.Read(process.Id)) };
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1080, Height = 1920 }, Locale = "zh-CN" });
            await page.GotoAsync(url);
            var clock = Stopwatch.StartNew();
            var guides = 0;
            for (var i = 1; i <= ratings; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i % 5 == 0)
                {
                    await ReadAGuideAsync(page, i);
                    guides++;
                }

                await RateAsync(page, bad: i % 20 == 0);
                if (i % 50 == 0 || i == ratings)
                {
                    samples.Add((i, ResidentMemoryWatch.Read(process.Id)));
                    Progress.Say($"  kiosk: {i} ratings, {Report.Mb(samples[^1].Item2)} MB resident");
                }
            }

            return new KioskDayResult(ratings, guides, clock.Elapsed, samples, await memory.StopAsync());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            data.Delete(recursive: true);
        }
    }

    private static async Task RateAsync(IPage page, bool bad)
    {
        await Expect(page.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await page.GetByTestId("start-rating").ClickAsync();
        await page.Locator("[data-testid^='window-']").First.ClickAsync();
        await page.GetByTestId(bad ? "level-5" : "level-1").ClickAsync();
        await page.GetByTestId("next-step").ClickAsync();
        if (bad)
        {
            await page.Locator("[data-testid^='tag-']").First.ClickAsync();
            await page.GetByTestId("next-step").ClickAsync();
        }

        await page.GetByTestId("submit-anonymous").ClickAsync();
        await Expect(page.GetByTestId("thank-you")).ToBeVisibleAsync();
        await page.GetByTestId("thank-you-home").ClickAsync();
    }

    private static async Task ReadAGuideAsync(IPage page, int turn)
    {
        await page.GetByTestId("browse-items").ClickAsync();
        var items = page.Locator("[data-testid^='item-']:not([data-testid='item-search'])");
        await Expect(items.First).ToBeVisibleAsync();
        await items.Nth(turn / 5 % await items.CountAsync()).ClickAsync();
        await page.GoBackAsync();
        await page.GoBackAsync();
    }

    private static async Task WaitUntilUpAsync(Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"the kiosk did not answer {url} within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

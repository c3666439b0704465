using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// The kiosk and the dashboard send their security headers with every page and file, their pages run under that policy
/// without a violation, and the kiosk's status page tells a passer-by nothing about the network.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SecurityHeadersTests(ServiceHallSystem system)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData("kiosk", "")]
    [InlineData("kiosk", "app.css")]
    [InlineData("kiosk", "maintenance")]
    [InlineData("dashboard", "")]
    [InlineData("dashboard", "disclosures")]
    [InlineData("dashboard", "console")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string app, string path)
    {
        using var response = await Http.GetAsync(new Uri(app == "kiosk" ? system.Kiosk : system.Dashboard, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline' 'unsafe-eval'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    /// <summary>
    /// The apps run as published, in Production, where static files come from the published wwwroot (not from the
    /// projects' folders as in Development): Blazor's script, the shared library's files, the chart library and the
    /// on-screen keyboard the build installs must all be there.
    /// </summary>
    [Theory]
    [InlineData("kiosk", "_framework/blazor.web.js")]
    [InlineData("kiosk", "lib/keyboard/simple-keyboard.js")]
    [InlineData("kiosk", "lib/keyboard/chinese.js")]
    [InlineData("kiosk", "ServiceHall.Kiosk.styles.css")]
    [InlineData("dashboard", "_framework/blazor.web.js")]
    [InlineData("dashboard", "_content/Vizor.ECharts/js/vizor-echarts-bundle-min.js")]
    [InlineData("dashboard", "ServiceHall.Dashboard.styles.css")]
    public async Task PublishedApps_ServeTheirStaticAssets(string app, string path)
    {
        using var response = await Http.GetAsync(new Uri(app == "kiosk" ? system.Kiosk : system.Dashboard, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, $"{path} is served empty");
    }

    [Fact]
    public async Task KioskAndDashboardPages_RunUnderThePolicy_WithoutAViolation()
    {
        var violations = new List<string>();
        var page = await system.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "zh-CN" });
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await page.GotoAsync(system.Kiosk.ToString());
        await Expect(page.GetByTestId("start-rating")).ToBeEnabledAsync(new() { Timeout = 20_000 });
        await page.GotoAsync(system.Dashboard.ToString());
        // The hall screen's charts draw: the chart library runs under the dashboard's policy.
        await Expect(page.Locator(".panel--levels canvas").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.GotoAsync(new Uri(system.Dashboard, "disclosures").ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.CloseAsync();

        Assert.Empty(violations);
    }

    [Fact]
    public async Task KioskStatusPage_WithoutThePin_ShowsNeitherTheServerNorTheDataFolder()
    {
        var html = WebUtility.HtmlDecode(await Http.GetStringAsync(new Uri(system.Kiosk, "maintenance")));

        Assert.DoesNotContain(system.ServerGrpc.Authority, html, StringComparison.Ordinal);
        Assert.DoesNotContain("servicehall-e2e-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("outbox-depth", html, StringComparison.Ordinal);
        Assert.Contains("设备状态", html, StringComparison.Ordinal);
    }
}

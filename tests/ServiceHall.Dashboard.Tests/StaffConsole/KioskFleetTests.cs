using Bunit;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public sealed class KioskFleetTests : ConsoleTestHost
{
    [Fact]
    public async Task Render_Fleet_ShowsEachKiosksStateAndTheAlertsFirst()
    {
        var seen = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.FromHours(8)));
        Fleet.Kiosks.Add(new KioskEnrollment { DeviceId = "kiosk-01", HallCode = "370104-ZWZX", Online = true, Version = "1.0.0", LastSeenAt = seen });
        var silent = new KioskEnrollment { DeviceId = "kiosk-02", HallCode = "370104-ZWZX", Online = false, OutboxDepth = 37, OldestPendingSeconds = 900, LastSeenAt = seen };
        silent.Alerts.Add("设备已 15 分钟无心跳");
        Fleet.Kiosks.Add(silent);
        await SignInAsync();

        var layout = RenderInLayout<KioskFleet>();

        layout.WaitForAssertion(() => Assert.Equal(2, layout.FindAll("[data-testid^=kiosk-row-]").Count), Bound);
        Assert.Equal("共 2 台，在线 1 台", Text(layout, "fleet-count"));
        Assert.Contains("在线", layout.Find("[data-testid=kiosk-row-kiosk-01]").TextContent, StringComparison.Ordinal);
        var offline = layout.Find("[data-testid=kiosk-row-kiosk-02]").TextContent;
        Assert.Contains("离线", offline, StringComparison.Ordinal);
        Assert.Contains("37 条", offline, StringComparison.Ordinal);
        Assert.Contains("kiosk-02：设备已 15 分钟无心跳", Text(layout, "fleet-alerts"), StringComparison.Ordinal);
        Assert.All(Fleet.AuthorizationHeaders, h => Assert.StartsWith("Bearer ", h, StringComparison.Ordinal));
    }
}

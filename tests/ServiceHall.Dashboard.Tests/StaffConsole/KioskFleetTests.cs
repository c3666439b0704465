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

    [Fact]
    public async Task Render_RejectedRatings_PerKioskAndFieldWithTheReason()
    {
        var at = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 9, 10, 5, 0, TimeSpan.FromHours(8)));
        var pad = new KioskEnrollment { DeviceId = "pad-a01", HallCode = "370104-ZWZX", Kind = DeviceKind.WindowPad, WindowCode = "A01", Online = true };
        pad.Rejections.Add(new RejectedRatings { Field = "rated_at", LastReason = "评价时间晚于服务器时间，请校准设备时钟", Count = 12, LastAt = at });
        pad.Rejections.Add(new RejectedRatings { Field = "reason_tag_list_version", LastReason = "未发布的标签版本 T9", Count = 3, LastAt = at });
        Fleet.Kiosks.Add(pad);
        Fleet.Kiosks.Add(new KioskEnrollment { DeviceId = "kiosk-01", HallCode = "370104-ZWZX", Kind = DeviceKind.HallTerminal, Online = true });
        await SignInAsync();

        var layout = RenderInLayout<KioskFleet>();

        layout.WaitForAssertion(() => Assert.Equal(2, layout.FindAll("[data-testid^=rejections-]").Count), Bound);
        var clock = layout.Find("[data-testid=rejections-pad-a01-rated_at]").TextContent;
        Assert.Contains("12 条", clock, StringComparison.Ordinal);
        Assert.Contains("请校准设备时钟", clock, StringComparison.Ordinal);
        Assert.Contains("10:05", clock, StringComparison.Ordinal);
        Assert.Contains("3 条", layout.Find("[data-testid=rejections-pad-a01-reason_tag_list_version]").TextContent, StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("[data-testid^=rejections-kiosk-01]"));
        Assert.Contains("窗口评价器 A01", layout.Find("[data-testid=kiosk-row-pad-a01]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NoRejections_NoRejectionTable()
    {
        Fleet.Kiosks.Add(new KioskEnrollment { DeviceId = "kiosk-01", HallCode = "370104-ZWZX", Kind = DeviceKind.HallTerminal, Online = true });
        await SignInAsync();

        var layout = RenderInLayout<KioskFleet>();

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid^=kiosk-row-]")), Bound);
        Assert.Empty(layout.FindAll("[data-testid=fleet-rejections]"));
    }
}

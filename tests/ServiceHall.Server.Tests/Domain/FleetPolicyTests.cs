using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public class FleetPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly FleetPolicy Policy = new();

    private static EnrolledKiosk Kiosk(KioskHeartbeat? beat, DateTimeOffset? revoked = null) =>
        new("kiosk-01", "H1", "hash", Now.AddDays(-1), revoked, beat);

    private static KioskHeartbeat Beat(TimeSpan ago, int depth = 0, int oldestSeconds = 0, int rejected = 0) =>
        new(Now - ago, "1.0.0", depth, oldestSeconds, Now - ago, rejected);

    [Fact]
    public void Assess_RecentHeartbeatEmptyOutbox_OnlineWithoutAlerts()
    {
        var (online, alerts) = Policy.Assess(Kiosk(Beat(TimeSpan.FromSeconds(20))), Now);

        Assert.True(online);
        Assert.Empty(alerts);
    }

    [Fact]
    public void Assess_SilentLongerThanAllowed_OfflineWithAnAlert()
    {
        var (online, alerts) = Policy.Assess(Kiosk(Beat(TimeSpan.FromMinutes(12))), Now);

        Assert.False(online);
        Assert.Contains(alerts, a => a.Contains("12 分钟无心跳", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_OutboxNotDraining_Alert()
    {
        var (online, alerts) = Policy.Assess(Kiosk(Beat(TimeSpan.FromSeconds(10), depth: 40, oldestSeconds: 900)), Now);

        Assert.True(online);
        Assert.Contains(alerts, a => a.Contains("积压 40 条", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_BriefBacklog_NoAlert()
    {
        var (_, alerts) = Policy.Assess(Kiosk(Beat(TimeSpan.FromSeconds(10), depth: 3, oldestSeconds: 20)), Now);

        Assert.Empty(alerts);
    }

    [Fact]
    public void Assess_NeverHeardFrom_OfflineAndSaysSo()
    {
        var (online, alerts) = Policy.Assess(Kiosk(null), Now);

        Assert.False(online);
        Assert.Single(alerts);
    }
}

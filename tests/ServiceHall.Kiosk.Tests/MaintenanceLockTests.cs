using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

/// <summary>The 设备状态 page opens only with the configured PIN, and guessing it at the screen is slowed to a stop.</summary>
public sealed class MaintenanceLockTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private MaintenanceLock Lock(string? pin)
    {
        var options = TestCatalog.Options();
        options.MaintenancePin = pin;
        return new MaintenanceLock(TestCatalog.Wrap(options), _clock);
    }

    [Fact]
    public void TheRightPin_Unlocks_AWrongOne_DoesNot()
    {
        var maintenance = Lock("246810");

        Assert.Equal(PinOutcome.Wrong, maintenance.TryUnlock("246811"));
        Assert.Equal(PinOutcome.Wrong, maintenance.TryUnlock("24681"));
        Assert.Equal(PinOutcome.Unlocked, maintenance.TryUnlock("246810"));
    }

    [Fact]
    public void NoPinConfigured_ThePageStaysClosed()
    {
        var maintenance = Lock(null);

        Assert.False(maintenance.IsConfigured);
        Assert.Equal(PinOutcome.NotConfigured, maintenance.TryUnlock(""));
    }

    [Fact]
    public void FiveWrongPins_LockEvenTheRightOneOut_ForFiveMinutes()
    {
        var maintenance = Lock("246810");
        for (var i = 1; i < MaintenanceLock.FailuresBeforeLockout; i++)
        {
            Assert.Equal(PinOutcome.Wrong, maintenance.TryUnlock("000000"));
        }

        Assert.Equal(PinOutcome.LockedOut, maintenance.TryUnlock("000000"));
        Assert.Equal(PinOutcome.LockedOut, maintenance.TryUnlock("246810"));
        _clock.Advance(MaintenanceLock.Lockout - TimeSpan.FromSeconds(1));
        Assert.Equal(PinOutcome.LockedOut, maintenance.TryUnlock("246810"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PinOutcome.Unlocked, maintenance.TryUnlock("246810"));
    }
}

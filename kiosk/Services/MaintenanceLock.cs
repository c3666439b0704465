using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServiceHall.Kiosk.Services;

/// <summary>What entering a maintenance PIN did.</summary>
public enum PinOutcome
{
    Unlocked,
    Wrong,
    LockedOut,
    NotConfigured,
}

/// <summary>
/// The PIN that opens the kiosk's 设备状态 page for IT staff (<see cref="KioskOptions.MaintenancePin"/>): the page shows
/// the outbox, the server's address and the data folder, which a citizen at the screen has no business seeing. Five wrong
/// PINs in a row lock the page for five minutes, so the PIN cannot be found by trying at the screen. No PIN configured:
/// the page stays closed.
/// </summary>
public sealed class MaintenanceLock(IOptions<KioskOptions> options, TimeProvider time)
{
    public const int FailuresBeforeLockout = 5;

    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset _lockedUntil = DateTimeOffset.MinValue;

    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.MaintenancePin);

    public PinOutcome TryUnlock(string pin)
    {
        if (!IsConfigured)
        {
            return PinOutcome.NotConfigured;
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now < _lockedUntil)
            {
                return PinOutcome.LockedOut;
            }

            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(pin), Encoding.UTF8.GetBytes(options.Value.MaintenancePin!)))
            {
                _failures = 0;
                return PinOutcome.Unlocked;
            }

            if (++_failures >= FailuresBeforeLockout)
            {
                _failures = 0;
                _lockedUntil = now + Lockout;
                return PinOutcome.LockedOut;
            }

            return PinOutcome.Wrong;
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Kiosks;

/// <summary>
/// Enrolls kiosks, revokes them, and tells which kiosk a credential belongs to. A credential is 256 random bits shown
/// once at enrollment; re-enrolling a device replaces its credential, so a stolen one dies with the re-enrollment.
/// </summary>
public sealed class KioskRegistry(IKioskStore store, CatalogSource catalog, TimeProvider time, ILogger<KioskRegistry> logger)
{
    /// <summary>
    /// Enrolls a device of a kind for a hall (a pad also for its window), or enrolls it again: a re-enrolment may change
    /// the kind, and replaces the credential.
    /// </summary>
    public async Task<string> EnrollAsync(
        string deviceId, string hallCode, DeviceKind kind, string? windowCode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(deviceId) || deviceId.Length > 64)
        {
            throw new InvalidInputException("device_id", "须为 1–64 个字符");
        }

        if (!Enum.IsDefined(kind))
        {
            throw new InvalidInputException("kind", "须为大厅评价终端、窗口评价器或窗口业务系统");
        }

        var hall = catalog.FindHall(hallCode);
        windowCode = string.IsNullOrWhiteSpace(windowCode) ? null : windowCode.Trim();
        if (kind == DeviceKind.WindowPad && (windowCode is null || hall.FindWindow(windowCode) is null))
        {
            throw new InvalidInputException("window_code", $"窗口评价器须登记在大厅 {hall.Code} 的一个窗口（{windowCode ?? "未填"} 不是）");
        }

        if (kind != DeviceKind.WindowPad && windowCode is not null)
        {
            throw new InvalidInputException("window_code", $"只有窗口评价器登记窗口，{kind.Label()}不登记");
        }

        var credential = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await store.SaveKioskAsync(
            new EnrolledKiosk(deviceId.Trim(), hall.Code, Hash(credential), time.GetUtcNow(), null) { Kind = kind, WindowCode = windowCode },
            cancellationToken);
        logger.LogInformation("Device {DeviceId} enrolled for hall {HallCode} as {DeviceKind}", deviceId, hall.Code, kind);
        return credential;
    }

    public async Task RevokeAsync(string deviceId, CancellationToken cancellationToken)
    {
        var kiosk = await store.FindKioskAsync(deviceId, cancellationToken) ?? throw new NotFoundException($"没有设备 {deviceId}", "kiosk", deviceId);
        await store.SaveKioskAsync(kiosk with { RevokedAt = time.GetUtcNow() }, cancellationToken);
        logger.LogWarning("Kiosk {DeviceId} revoked", deviceId);
    }

    public Task<IReadOnlyList<EnrolledKiosk>> ListAsync(CancellationToken cancellationToken) => store.ListKiosksAsync(cancellationToken);

    /// <summary>The kiosk a credential belongs to, revoked or not; null for an unknown (or replaced) credential.</summary>
    public Task<EnrolledKiosk?> FindByCredentialAsync(string credential, CancellationToken cancellationToken) =>
        store.FindKioskByCredentialAsync(Hash(credential), cancellationToken);

    public Task RecordHeartbeatAsync(EnrolledKiosk kiosk, KioskHeartbeat heartbeat, CancellationToken cancellationToken) =>
        store.RecordHeartbeatAsync(kiosk.DeviceId, heartbeat with { At = time.GetUtcNow() }, cancellationToken);

    private static string Hash(string credential) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));
}

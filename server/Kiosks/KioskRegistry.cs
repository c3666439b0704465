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
    public async Task<string> EnrollAsync(string deviceId, string hallCode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(deviceId) || deviceId.Length > 64)
        {
            throw new InvalidInputException("device_id", "须为 1–64 个字符");
        }

        var hall = catalog.FindHall(hallCode);
        var credential = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await store.SaveKioskAsync(new EnrolledKiosk(deviceId.Trim(), hall.Code, Hash(credential), time.GetUtcNow(), null), cancellationToken);
        logger.LogInformation("Kiosk {DeviceId} enrolled for hall {HallCode}", deviceId, hall.Code);
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

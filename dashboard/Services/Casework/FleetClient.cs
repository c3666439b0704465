using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>One kiosk as the fleet page shows it.</summary>
public sealed record KioskRow(
    string DeviceId, string HallCode, bool Revoked, bool Online, string Version, int OutboxDepth, int OldestPendingSeconds,
    DateTimeOffset? LastSeenAt, DateTimeOffset? LastDeliveryAt, IReadOnlyList<string> Alerts);

/// <summary>The console's call to KioskFleetService.ListKiosks (hall managers and administrators).</summary>
public sealed class FleetClient(KioskFleetService.KioskFleetServiceClient client, ConsoleSession session)
{
    public async Task<IReadOnlyList<KioskRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var response = await session.CallAsync(headers => client.ListKiosksAsync(
            new ListKiosksRequest(), headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return response.Kiosks.Select(k => new KioskRow(
            k.DeviceId, k.HallCode, k.RevokedAt is not null, k.Online, k.Version, k.OutboxDepth, k.OldestPendingSeconds,
            k.LastSeenAt?.ToDateTimeOffset(), k.LastDeliveryAt?.ToDateTimeOffset(), k.Alerts.ToList())).ToList();
    }
}

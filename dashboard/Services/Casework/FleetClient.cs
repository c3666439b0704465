using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>One kiosk as the fleet page shows it.</summary>
public sealed record KioskRow(
    string DeviceId, string HallCode, bool Revoked, bool Online, string Version, int OutboxDepth, int OldestPendingSeconds,
    DateTimeOffset? LastSeenAt, DateTimeOffset? LastDeliveryAt, IReadOnlyList<string> Alerts)
{
    /// <summary>What the device is (大厅评价终端, 窗口评价器 A01, 窗口业务系统).</summary>
    public string Kind { get; init; } = "";

    /// <summary>Ratings the server rejected from it, per field, most first.</summary>
    public IReadOnlyList<KioskRejections> Rejections { get; init; } = [];
}

/// <summary>Ratings rejected from one device for one field: how many, the last reason and when.</summary>
public sealed record KioskRejections(string Field, string LastReason, long Count, DateTimeOffset LastAt);

/// <summary>The console's call to KioskFleetService.ListKiosks (hall managers and administrators).</summary>
public sealed class FleetClient(KioskFleetService.KioskFleetServiceClient client, ConsoleSession session)
{
    public async Task<IReadOnlyList<KioskRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        var response = await session.CallAsync(headers => client.ListKiosksAsync(
            new ListKiosksRequest(), headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return response.Kiosks.Select(k => new KioskRow(
            k.DeviceId, k.HallCode, k.RevokedAt is not null, k.Online, k.Version, k.OutboxDepth, k.OldestPendingSeconds,
            k.LastSeenAt?.ToDateTimeOffset(), k.LastDeliveryAt?.ToDateTimeOffset(), k.Alerts.ToList())
        {
            Kind = KindLabel(k.Kind, k.WindowCode),
            Rejections = k.Rejections.Select(r => new KioskRejections(r.Field, r.LastReason, r.Count, r.LastAt.ToDateTimeOffset())).ToList(),
        }).ToList();
    }

    private static string KindLabel(DeviceKind kind, string windowCode) => kind switch
    {
        DeviceKind.HallTerminal => "大厅评价终端",
        DeviceKind.WindowPad => $"窗口评价器 {windowCode}",
        DeviceKind.WindowSystem => "窗口业务系统",
        _ => "—",
    };
}
namespace ServiceHall.Server.Domain;

/// <summary>
/// A device an administrator enrolled: a hall terminal, a window pad or a window's business system. It acts for its own
/// hall only, does only what its kind does (<see cref="DeviceKinds"/>), with its own credential, until it is revoked
/// (docs/architecture.md#security-model). Only the credential's hash is kept.
/// </summary>
public sealed record EnrolledKiosk(
    string DeviceId, string HallCode, string CredentialHash, DateTimeOffset EnrolledAt, DateTimeOffset? RevokedAt,
    KioskHeartbeat? LastHeartbeat = null)
{
    private readonly DateTimeOffset? _firstEnrolledAt;

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>What the device is, and so what its credential may do.</summary>
    public DeviceKind Kind { get; init; } = DeviceKind.HallTerminal;

    /// <summary>The window a pad stands at; null for the other kinds.</summary>
    public string? WindowCode { get; init; }

    /// <summary>
    /// When the device was enrolled for the first time: a rating it sends cannot have been made before. A re-enrolment
    /// (a new credential) keeps it, so ratings waiting in the device's outbox from before still get through.
    /// </summary>
    public DateTimeOffset FirstEnrolledAt
    {
        get => _firstEnrolledAt ?? EnrolledAt;
        init => _firstEnrolledAt = value;
    }
}

/// <summary>
/// Ratings the server rejected from one device, for one field: how many, and the last reason given — what IT staff need to
/// set the device right (an old catalog, a wrong clock, a wrong window).
/// </summary>
public sealed record DeviceRejections(string DeviceId, string Field, long Count, string LastReason, DateTimeOffset LastAt);

/// <summary>What a kiosk last said about itself.</summary>
public sealed record KioskHeartbeat(
    DateTimeOffset At, string Version, int OutboxDepth, int OldestPendingSeconds, DateTimeOffset? LastDeliveryAt, int RejectedCount);

/// <summary>When the fleet view raises an alert. Section "Fleet".</summary>
public sealed record FleetPolicy
{
    public const string Section = "Fleet";

    /// <summary>A kiosk not heard from for longer is offline (it sends a heartbeat about every 30 seconds).</summary>
    public int OfflineAfterSeconds { get; init; } = 120;

    /// <summary>An outbox whose oldest rating waited longer is not draining: ratings are piling up on the box.</summary>
    public int OutboxAlertMinutes { get; init; } = 10;

    /// <summary>Whether the kiosk is online, and the alerts a hall manager should see, in plain words.</summary>
    public (bool Online, IReadOnlyList<string> Alerts) Assess(EnrolledKiosk kiosk, DateTimeOffset now)
    {
        if (kiosk.IsRevoked)
        {
            return (false, []);
        }

        if (kiosk.LastHeartbeat is not { } beat)
        {
            // A window's business system is another department's server, not a box of ours: it sends no heartbeat.
            return (false, kiosk.Kind == DeviceKind.WindowSystem ? [] : ["设备登记后尚未上报心跳"]);
        }

        var alerts = new List<string>();
        var silent = now - beat.At;
        var online = silent <= TimeSpan.FromSeconds(OfflineAfterSeconds);
        if (!online)
        {
            alerts.Add($"设备已 {(int)silent.TotalMinutes} 分钟无心跳");
        }

        if (beat.OutboxDepth > 0 && beat.OldestPendingSeconds > OutboxAlertMinutes * 60)
        {
            alerts.Add($"待上传评价积压 {beat.OutboxDepth} 条：最早一条已等待 {beat.OldestPendingSeconds / 60} 分钟");
        }

        if (beat.RejectedCount > 0)
        {
            alerts.Add($"有 {beat.RejectedCount} 条评价被服务器拒收，请查看设备维护页");
        }

        return (online, alerts);
    }
}

using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>Enrolled kiosks, their credentials and their last heartbeat.</summary>
public interface IKioskStore
{
    /// <summary>Adds or replaces a kiosk's enrollment (a re-enrollment replaces the credential and clears a revocation).</summary>
    Task SaveKioskAsync(EnrolledKiosk kiosk, CancellationToken cancellationToken);

    Task<EnrolledKiosk?> FindKioskAsync(string deviceId, CancellationToken cancellationToken);

    Task<EnrolledKiosk?> FindKioskByCredentialAsync(string credentialHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<EnrolledKiosk>> ListKiosksAsync(CancellationToken cancellationToken);

    Task RecordHeartbeatAsync(string deviceId, KioskHeartbeat heartbeat, CancellationToken cancellationToken);

    /// <summary>Adds rejected ratings to the device's counts per field, keeping each field's latest reason.</summary>
    Task RecordRejectionsAsync(string deviceId, IReadOnlyList<RatingRejection> rejections, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every device's rejection counts, per field.</summary>
    Task<IReadOnlyList<DeviceRejections>> ListRejectionsAsync(CancellationToken cancellationToken);
}

public sealed class KioskStore(StoreDatabase database) : IKioskStore
{
    private const string KioskColumns =
        """
        SELECT device_id AS DeviceId, hall_code AS HallCode, credential_hash AS CredentialHash, enrolled_at_ms AS EnrolledAtMs,
            revoked_at_ms AS RevokedAtMs, heartbeat AS Heartbeat, first_enrolled_at_ms AS FirstEnrolledAtMs,
            device_kind AS DeviceKind, window_code AS WindowCode
        FROM kiosks
        """;

    public Task SaveKioskAsync(EnrolledKiosk kiosk, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO kiosks (device_id, hall_code, credential_hash, enrolled_at_ms, revoked_at_ms, first_enrolled_at_ms, device_kind, window_code)
            VALUES (@DeviceId, @HallCode, @CredentialHash, @EnrolledAtMs, @RevokedAtMs, @FirstEnrolledAtMs, @Kind, @WindowCode)
            ON CONFLICT (device_id) DO UPDATE SET hall_code = excluded.hall_code, credential_hash = excluded.credential_hash,
                device_kind = excluded.device_kind, window_code = excluded.window_code,
                enrolled_at_ms = excluded.enrolled_at_ms, revoked_at_ms = excluded.revoked_at_ms,
                first_enrolled_at_ms = COALESCE(kiosks.first_enrolled_at_ms, excluded.first_enrolled_at_ms)
            """,
            new
            {
                kiosk.DeviceId, kiosk.HallCode, kiosk.CredentialHash, Kind = (long)kiosk.Kind, kiosk.WindowCode,
                EnrolledAtMs = kiosk.EnrolledAt.ToUnixTimeMilliseconds(),
                FirstEnrolledAtMs = kiosk.FirstEnrolledAt.ToUnixTimeMilliseconds(), RevokedAtMs = kiosk.RevokedAt?.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken)), cancellationToken);

    public Task RecordHeartbeatAsync(string deviceId, KioskHeartbeat heartbeat, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE kiosks SET heartbeat = @Heartbeat WHERE device_id = @DeviceId",
            new { DeviceId = deviceId, Heartbeat = JsonSerializer.Serialize(heartbeat, StoreDatabase.Json) },
            cancellationToken: cancellationToken)), cancellationToken);

    public Task RecordRejectionsAsync(string deviceId, IReadOnlyList<RatingRejection> rejections, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var perField = rejections.GroupBy(r => r.Field)
            .Select(g => new { DeviceId = deviceId, Field = g.Key, Count = (long)g.Count(), LastReason = g.Last().Reason, AtMs = at.ToUnixTimeMilliseconds() })
            .ToList();
        return database.WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO rating_rejections (device_id, field, count, last_reason, last_at_ms)
            VALUES (@DeviceId, @Field, @Count, @LastReason, @AtMs)
            ON CONFLICT (device_id, field) DO UPDATE SET count = rating_rejections.count + excluded.count,
                last_reason = excluded.last_reason, last_at_ms = excluded.last_at_ms
            """,
            perField, cancellationToken: cancellationToken)), cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceRejections>> ListRejectionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string DeviceId, string Field, long Count, string LastReason, long LastAtMs)>(new CommandDefinition(
            "SELECT device_id, field, count, last_reason, last_at_ms FROM rating_rejections ORDER BY device_id, count DESC, field",
            cancellationToken: cancellationToken));
        return rows.Select(r => new DeviceRejections(r.DeviceId, r.Field, r.Count, r.LastReason, DateTimeOffset.FromUnixTimeMilliseconds(r.LastAtMs))).ToList();
    }

    public Task<EnrolledKiosk?> FindKioskAsync(string deviceId, CancellationToken cancellationToken) =>
        FindWhereAsync("device_id = @Value", deviceId, cancellationToken);

    public Task<EnrolledKiosk?> FindKioskByCredentialAsync(string credentialHash, CancellationToken cancellationToken) =>
        FindWhereAsync("credential_hash = @Value", credentialHash, cancellationToken);

    public async Task<IReadOnlyList<EnrolledKiosk>> ListKiosksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KioskRow>(new CommandDefinition(KioskColumns + " ORDER BY device_id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToKiosk()).ToList();
    }

    private async Task<EnrolledKiosk?> FindWhereAsync(string condition, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KioskRow>(new CommandDefinition(
            KioskColumns + " WHERE " + condition, new { Value = value }, cancellationToken: cancellationToken));
        return row?.ToKiosk();
    }

    private sealed record KioskRow(
        string DeviceId, string HallCode, string CredentialHash, long EnrolledAtMs, long? RevokedAtMs, string? Heartbeat,
        long? FirstEnrolledAtMs, long DeviceKind, string? WindowCode)
    {
        public EnrolledKiosk ToKiosk() => new(
            DeviceId, HallCode, CredentialHash, DateTimeOffset.FromUnixTimeMilliseconds(EnrolledAtMs),
            RevokedAtMs is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null,
            Heartbeat is null ? null : StoreDatabase.Deserialize<KioskHeartbeat>(Heartbeat))
        {
            FirstEnrolledAt = DateTimeOffset.FromUnixTimeMilliseconds(FirstEnrolledAtMs ?? EnrolledAtMs),
            Kind = (Domain.DeviceKind)DeviceKind,
            WindowCode = WindowCode,
        };
    }
}

using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Kiosks;

namespace ServiceHall.Server.Grpc;

public sealed class KioskFleetGrpcService(StaffSignIn signIn, KioskRegistry enrollment, TimeProvider time, IOptions<FleetPolicy> fleet)
    : KioskFleetService.KioskFleetServiceBase
{
    public override async Task<EnrollKioskResponse> EnrollKiosk(EnrollKioskRequest request, ServerCallContext context)
    {
        await RequireAdministratorAsync(context);
        return new EnrollKioskResponse { Credential = await enrollment.EnrollAsync(request.DeviceId, request.HallCode, context.CancellationToken) };
    }

    public override async Task<RevokeKioskResponse> RevokeKiosk(RevokeKioskRequest request, ServerCallContext context)
    {
        await RequireAdministratorAsync(context);
        await enrollment.RevokeAsync(request.DeviceId, context.CancellationToken);
        return new RevokeKioskResponse();
    }

    public override async Task<ListKiosksResponse> ListKiosks(ListKiosksRequest request, ServerCallContext context)
    {
        var caller = await signIn.CallerAsync(context);
        if (caller.Role is not (Domain.StaffRole.Administrator or Domain.StaffRole.HallManager))
        {
            throw new Domain.AccessDeniedException("只有系统管理员和大厅负责人可以查看设备");
        }

        var now = time.GetUtcNow();
        var response = new ListKiosksResponse();
        response.Kiosks.AddRange((await enrollment.ListAsync(context.CancellationToken))
            .Where(k => caller.HallCode is null || caller.HallCode == k.HallCode)
            .Select(k =>
            {
                var (online, alerts) = fleet.Value.Assess(k, now);
                var beat = k.LastHeartbeat;
                var entry = new KioskEnrollment
                {
                    DeviceId = k.DeviceId,
                    HallCode = k.HallCode,
                    EnrolledAt = Timestamp.FromDateTimeOffset(k.EnrolledAt),
                    RevokedAt = k.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
                    LastSeenAt = beat is null ? null : Timestamp.FromDateTimeOffset(beat.At),
                    Version = beat?.Version ?? "",
                    OutboxDepth = beat?.OutboxDepth ?? 0,
                    OldestPendingSeconds = beat?.OldestPendingSeconds ?? 0,
                    LastDeliveryAt = beat?.LastDeliveryAt is { } delivered ? Timestamp.FromDateTimeOffset(delivered) : null,
                    Online = online,
                };
                entry.Alerts.AddRange(alerts);
                return entry;
            }));
        return response;
    }

    private async Task RequireAdministratorAsync(ServerCallContext context)
    {
        var caller = await signIn.CallerAsync(context);
        if (caller.Role != Domain.StaffRole.Administrator)
        {
            throw new Domain.AccessDeniedException("只有系统管理员可以管理设备");
        }
    }
}

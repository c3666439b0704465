using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Kiosks;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

public sealed class KioskFleetGrpcService(KioskRegistry enrollment, IKioskStore devices, TimeProvider time, IOptions<FleetPolicy> fleet)
    : KioskFleetService.KioskFleetServiceBase
{
    [Authorize(Policy = CallerPolicies.Administrator)]
    public override async Task<EnrollKioskResponse> EnrollKiosk(EnrollKioskRequest request, ServerCallContext context)
    {
        var credential = await enrollment.EnrollAsync(
            request.DeviceId, request.HallCode, request.Kind.ToDomain(), request.WindowCode, context.CancellationToken);
        return new EnrollKioskResponse { Credential = credential };
    }

    [Authorize(Policy = CallerPolicies.Administrator)]
    public override async Task<RevokeKioskResponse> RevokeKiosk(RevokeKioskRequest request, ServerCallContext context)
    {
        await enrollment.RevokeAsync(request.DeviceId, context.CancellationToken);
        return new RevokeKioskResponse();
    }

    [Authorize(Policy = CallerPolicies.FleetViewer)]
    public override async Task<ListKiosksResponse> ListKiosks(ListKiosksRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        var now = time.GetUtcNow();
        var response = new ListKiosksResponse();
        var rejections = (await devices.ListRejectionsAsync(context.CancellationToken)).ToLookup(r => r.DeviceId);
        response.Kiosks.AddRange((await enrollment.ListAsync(context.CancellationToken))
            .Where(caller.MaySee)
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
                    Kind = k.Kind.ToProto(),
                    WindowCode = k.WindowCode ?? "",
                };
                entry.Alerts.AddRange(alerts);
                entry.Rejections.AddRange(rejections[k.DeviceId].Select(r => new RejectedRatings
                {
                    Field = r.Field, LastReason = r.LastReason, Count = r.Count, LastAt = Timestamp.FromDateTimeOffset(r.LastAt),
                }));
                return entry;
            }));
        return response;
    }
}

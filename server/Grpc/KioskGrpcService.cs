using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Kiosks;

namespace ServiceHall.Server.Grpc;

[Authorize(Policy = CallerPolicies.Kiosk)]
public sealed class KioskGrpcService(KioskRegistry kiosks) : KioskService.KioskServiceBase
{
    public override async Task<ReportHeartbeatResponse> ReportHeartbeat(ReportHeartbeatRequest request, ServerCallContext context)
    {
        var kiosk = context.KioskCaller();
        if (request.OutboxDepth < 0 || request.OldestPendingSeconds < 0 || request.RejectedCount < 0)
        {
            throw new InvalidInputException("outbox_depth", "计数不能为负");
        }

        TextLimits.Check(request.Version, "version", TextLimits.Version);

        var heartbeat = new KioskHeartbeat(
            default, request.Version, request.OutboxDepth, request.OldestPendingSeconds, request.LastDeliveryAt?.ToDateTimeOffset(),
            request.RejectedCount);
        await kiosks.RecordHeartbeatAsync(kiosk, heartbeat, context.CancellationToken);
        return new ReportHeartbeatResponse();
    }
}

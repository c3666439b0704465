using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Kiosks;

namespace ServiceHall.Server.Grpc;

public sealed class KioskFleetGrpcService(StaffSignIn signIn, KioskRegistry enrollment) : KioskFleetService.KioskFleetServiceBase
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
        await RequireAdministratorAsync(context);
        var response = new ListKiosksResponse();
        response.Kiosks.AddRange((await enrollment.ListAsync(context.CancellationToken)).Select(k => new KioskEnrollment
        {
            DeviceId = k.DeviceId,
            HallCode = k.HallCode,
            EnrolledAt = Timestamp.FromDateTimeOffset(k.EnrolledAt),
            RevokedAt = k.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
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

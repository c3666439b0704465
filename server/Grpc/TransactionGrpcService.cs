using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Transactions;

namespace ServiceHall.Server.Grpc;

/// <summary>Each RPC is one kind of device's job (docs/rules/ratings.md#device-kinds); the policies refuse the others.</summary>
public sealed class TransactionGrpcService(
    TransactionDesk desk, Broadcaster<ServiceTransaction> invitations, CatalogSource catalog,
    StreamGuard guard)
    : TransactionService.TransactionServiceBase
{
    [Authorize(Policy = CallerPolicies.WindowSystem)]
    public override async Task<CompleteTransactionResponse> CompleteTransaction(CompleteTransactionRequest request, ServerCallContext context)
    {
        var device = DeviceForHall(context, request.HallCode);
        var t = await desk.CompleteAsync(device, request.TransactionNumber, request.WindowCode, request.ServiceItemCode, request.StaffId,
            context.CancellationToken);
        return new CompleteTransactionResponse { ShortCode = t.ShortCode, RateBy = Timestamp.FromDateTimeOffset(t.RateBy) };
    }

    [Authorize(Policy = CallerPolicies.WindowPad)]
    public override async Task WatchWindow(WatchWindowRequest request, IServerStreamWriter<RatingInvitation> responseStream, ServerCallContext context)
    {
        var device = context.KioskCaller();
        if (catalog.FindHall(device.HallCode).FindWindow(request.WindowCode) is null)
        {
            throw new InvalidInputException("window_code", $"大厅 {device.HallCode} 没有窗口 {request.WindowCode}");
        }

        if (request.WindowCode != device.WindowCode)
        {
            throw new AccessDeniedException(device.OutsideItsJob());
        }

        using var listening = invitations.Listen(out var finished);
        await guard.RunAsync(context, async token =>
        {
            // Headers tell the watcher the stream is live (and admitted): what happens from here on reaches it.
            await context.WriteResponseHeadersAsync([]);
            await foreach (var t in finished.ReadAllAsync(token))
            {
                if (t.HallCode == device.HallCode && t.WindowCode == request.WindowCode)
                {
                    await responseStream.WriteAsync(Invitation(t), token);
                }
            }
        });
    }

    [Authorize(Policy = CallerPolicies.WindowPad)]
    public override async Task<RecordNotRatedResponse> RecordNotRated(RecordNotRatedRequest request, ServerCallContext context)
    {
        var device = context.KioskCaller();
        await desk.RecordNotRatedAsync(device, request.TransactionNumber, context.CancellationToken);
        return new RecordNotRatedResponse();
    }

    [Authorize(Policy = CallerPolicies.CitizenDevice)]
    public override async Task<RatingInvitation> FindTransaction(FindTransactionRequest request, ServerCallContext context)
    {
        var device = context.KioskCaller();
        return Invitation(await desk.FindByShortCodeAsync(device, request.ShortCode, context.CancellationToken));
    }

    private static EnrolledKiosk DeviceForHall(ServerCallContext context, string hallCode)
    {
        var device = context.KioskCaller();
        return hallCode.Length == 0 || hallCode == device.HallCode
            ? device
            : throw new AccessDeniedException($"设备 {device.DeviceId} 只能报送大厅 {device.HallCode} 的办件");
    }

    private RatingInvitation Invitation(ServiceTransaction t)
    {
        var district = catalog.Current;
        var window = district.FindHall(t.HallCode)?.FindWindow(t.WindowCode);
        var staff = window?.Staff.FirstOrDefault(s => s.StaffId == t.StaffId);
        return new RatingInvitation
        {
            TransactionNumber = t.TransactionNumber,
            ShortCode = t.ShortCode,
            HallCode = t.HallCode,
            WindowCode = t.WindowCode,
            WindowName = window?.Name ?? "",
            DepartmentCode = t.DepartmentCode,
            DepartmentName = district.FindDepartment(t.DepartmentCode)?.ShortName ?? "",
            ServiceItemCode = t.ServiceItemCode,
            ServiceItemName = district.FindServiceItem(t.ServiceItemCode)?.Name ?? "",
            StaffId = staff?.StaffId ?? "",
            StaffName = staff?.Name ?? "",
            StaffTitle = staff?.Title ?? "",
            CompletedAt = Timestamp.FromDateTimeOffset(t.CompletedAt),
            RateBy = Timestamp.FromDateTimeOffset(t.RateBy),
        };
    }
}

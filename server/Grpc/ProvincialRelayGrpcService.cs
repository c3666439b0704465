using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Relay;

namespace ServiceHall.Server.Grpc;

public sealed class ProvincialRelayGrpcService(ProvincialRelayDesk desk) : ProvincialRelayService.ProvincialRelayServiceBase
{
    [Authorize(Policy = CallerPolicies.RelayViewer)]
    public override async Task<GetRelayStatusResponse> GetRelayStatus(GetRelayStatusRequest request, ServerCallContext context)
    {
        var (status, stalled, host) = await desk.StatusAsync(context.CancellationToken);
        var response = new GetRelayStatusResponse
        {
            Enabled = status.Enabled,
            EndpointHost = host,
            Pending = status.Pending,
            OldestPendingQueuedAt = status.OldestPendingQueuedAt is { } oldest ? Timestamp.FromDateTimeOffset(oldest) : null,
            LastSuccessAt = status.LastSuccessAt is { } last ? Timestamp.FromDateTimeOffset(last) : null,
            Delivered = status.Delivered,
            Refused = status.Refused,
            Stalled = stalled,
            StalledAfterMinutes = (int)desk.StalledAfter.TotalMinutes,
        };
        response.Failures.AddRange(status.Errors.Select(e => new RelayFailureCount
        {
            Kind = e.Kind, Label = RelayFailureKinds.Label(e.Kind), Count = e.Count, LastAt = Timestamp.FromDateTimeOffset(e.LastAt),
            LastMessage = e.LastMessage,
        }));
        return response;
    }

    [Authorize(Policy = CallerPolicies.Administrator)]
    public override async Task<BackfillRelayResponse> BackfillRelay(BackfillRelayRequest request, ServerCallContext context) => new()
    {
        Requeued = await desk.BackfillAsync(
            Instant(request.From, "from"), Instant(request.To, "to"), context.StaffCaller().UserName, context.CancellationToken),
    };

    private static DateTimeOffset? Instant(Timestamp? timestamp, string field)
    {
        try
        {
            return timestamp?.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw new InvalidInputException(field, "不是有效的时间");
        }
    }
}

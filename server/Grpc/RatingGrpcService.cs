using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Ratings;

namespace ServiceHall.Server.Grpc;

public sealed class RatingGrpcService(RatingIntake intake, FollowUpDesk followUps) : RatingService.RatingServiceBase
{
    [Authorize(Policy = CallerPolicies.RatingDevice)]
    public override async Task<SubmitRatingsResponse> SubmitRatings(SubmitRatingsRequest request, ServerCallContext context)
    {
        var kiosk = context.KioskCaller();
        var results = await intake.SubmitAsync(kiosk, request.Ratings.Select(r => r.ToDomain()).ToList(), context.CancellationToken);
        var response = new SubmitRatingsResponse();
        response.Results.AddRange(results.Select(r => r.ToProto()));
        return response;
    }

    [Authorize(Policy = CallerPolicies.CitizenDevice)]
    public override async Task<AddFollowUpResponse> AddFollowUp(AddFollowUpRequest request, ServerCallContext context)
    {
        var writtenAt = request.WrittenAt is { } at && at.Seconds is > -62135596800 and < 253402300800 ? at.ToDateTimeOffset() : (DateTimeOffset?)null;
        var stored = await followUps.AddAsync(
            context.KioskCaller(), request.FollowUpId, request.ShortCode, request.Text, writtenAt, context.CancellationToken);
        return new AddFollowUpResponse
        {
            Outcome = stored == Domain.FollowUpStored.AlreadyStored ? FollowUpOutcome.AlreadyStored : FollowUpOutcome.Stored,
        };
    }
}

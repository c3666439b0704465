using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Ratings;

namespace ServiceHall.Server.Grpc;

[Authorize(Policy = CallerPolicies.RatingDevice)]
public sealed class RatingGrpcService(RatingIntake intake) : RatingService.RatingServiceBase
{
    public override async Task<SubmitRatingsResponse> SubmitRatings(SubmitRatingsRequest request, ServerCallContext context)
    {
        var kiosk = context.KioskCaller();
        var results = await intake.SubmitAsync(kiosk, request.Ratings.Select(r => r.ToDomain()).ToList(), context.CancellationToken);
        var response = new SubmitRatingsResponse();
        response.Results.AddRange(results.Select(r => r.ToProto()));
        return response;
    }
}

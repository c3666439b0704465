using Grpc.Core;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Kiosks;
using ServiceHall.Server.Ratings;

namespace ServiceHall.Server.Grpc;

public sealed class RatingGrpcService(RatingIntake intake, KioskRegistry kiosks) : RatingService.RatingServiceBase
{
    public override async Task<SubmitRatingsResponse> SubmitRatings(SubmitRatingsRequest request, ServerCallContext context)
    {
        var kiosk = await kiosks.AuthenticateAsync(context.BearerToken(), context.CancellationToken);
        var results = await intake.SubmitAsync(kiosk, request.Ratings.Select(r => r.ToDomain()).ToList(), context.CancellationToken);
        var response = new SubmitRatingsResponse();
        response.Results.AddRange(results.Select(r => r.ToProto()));
        return response;
    }
}

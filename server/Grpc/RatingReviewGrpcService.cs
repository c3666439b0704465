using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Ratings;
using DomainPattern = ServiceHall.Server.Domain.FraudPattern;
using DomainReason = ServiceHall.Server.Domain.ExclusionReason;

namespace ServiceHall.Server.Grpc;

public sealed class RatingReviewGrpcService(RatingReviewDesk desk) : RatingReviewService.RatingReviewServiceBase
{
    private const int DefaultLimit = 50;

    [Authorize(Policy = CallerPolicies.RatingReviewer)]
    public override async Task<ListFlaggedRatingsResponse> ListFlaggedRatings(ListFlaggedRatingsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 200)
        {
            throw new InvalidInputException("limit", "须为 1–200（0 为默认 50）");
        }

        var flagged = await desk.ListAsync(context.StaffCaller(), request.Limit == 0 ? DefaultLimit : request.Limit, context.CancellationToken);
        var response = new ListFlaggedRatingsResponse();
        response.Ratings.AddRange(flagged.Select(f =>
        {
            var rating = new Protos.V1.FlaggedRating
            {
                RatingId = f.RatingId.ToString(),
                RatedAt = Timestamp.FromDateTimeOffset(f.RatedAt),
                HallCode = f.HallCode,
                WindowCode = f.WindowCode ?? "",
                DepartmentCode = f.DepartmentCode,
                StaffId = f.StaffId ?? "",
                Level = f.Level.ToProto(),
                Text = f.Text ?? "",
                DeviceId = f.DeviceId ?? "",
                HasTransaction = f.HasTransaction,
            };
            rating.Flags.AddRange(f.Flags.Select(x => new RatingFlag
            {
                Pattern = ToProto(x.Pattern), Label = x.Pattern.Label(), Detail = x.Detail, FlaggedAt = Timestamp.FromDateTimeOffset(x.FlaggedAt),
            }));
            return rating;
        }));
        response.Reasons.AddRange(System.Enum.GetValues<DomainReason>().Select(r => new ExclusionReasonOption { Reason = ToProto(r), Label = r.Label() }));
        return response;
    }

    [Authorize(Policy = CallerPolicies.RatingReviewer)]
    public override async Task<DecideFlaggedRatingResponse> DecideFlaggedRating(DecideFlaggedRatingRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.RatingId, out var ratingId))
        {
            throw new InvalidInputException("rating_id", "必须是 UUID");
        }

        await desk.DecideAsync(context.StaffCaller(), ratingId, request.Exclude, ToDomain(request.Reason), request.Note, context.CancellationToken);
        return new DecideFlaggedRatingResponse();
    }

    private static Protos.V1.FraudPattern ToProto(DomainPattern pattern) => pattern switch
    {
        DomainPattern.DeviceBurst => Protos.V1.FraudPattern.DeviceBurst,
        DomainPattern.RepeatedPhone => Protos.V1.FraudPattern.RepeatedPhone,
        DomainPattern.RepeatedText => Protos.V1.FraudPattern.RepeatedText,
        DomainPattern.StaffTargeted => Protos.V1.FraudPattern.StaffTargeted,
        DomainPattern.NoTransactionAtPadWindow => Protos.V1.FraudPattern.NoTransactionAtPadWindow,
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
    };

    private static Protos.V1.ExclusionReason ToProto(DomainReason reason) => reason switch
    {
        DomainReason.Fabricated => Protos.V1.ExclusionReason.Fabricated,
        DomainReason.Duplicate => Protos.V1.ExclusionReason.Duplicate,
        DomainReason.StaffInvolved => Protos.V1.ExclusionReason.StaffInvolved,
        DomainReason.Malicious => Protos.V1.ExclusionReason.Malicious,
        DomainReason.Other => Protos.V1.ExclusionReason.Other,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The reason, or null for UNSPECIFIED; an unknown value is refused.</summary>
    private static DomainReason? ToDomain(Protos.V1.ExclusionReason reason) => reason switch
    {
        Protos.V1.ExclusionReason.Unspecified => null,
        Protos.V1.ExclusionReason.Fabricated => DomainReason.Fabricated,
        Protos.V1.ExclusionReason.Duplicate => DomainReason.Duplicate,
        Protos.V1.ExclusionReason.StaffInvolved => DomainReason.StaffInvolved,
        Protos.V1.ExclusionReason.Malicious => DomainReason.Malicious,
        Protos.V1.ExclusionReason.Other => DomainReason.Other,
        _ => throw new InvalidInputException("reason", "未知的排除原因"),
    };
}

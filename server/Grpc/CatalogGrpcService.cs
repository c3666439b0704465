using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Ratings;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

public sealed class CatalogGrpcService(
    CatalogSource catalog, IOptions<RatingOptions> ratingOptions, IOptions<CaseDeadlinePolicy> deadlines) : CatalogService.CatalogServiceBase
{
    [AllowAnonymous]
    public override Task<GetCatalogResponse> GetCatalog(GetCatalogRequest request, ServerCallContext context)
    {
        var hall = catalog.FindHall(request.HallCode);
        var limits = new RatingLimits(ratingOptions.Value.MaxTextLength);
        var response = catalog.Current.ToCatalogResponse(hall, limits);
        response.RatingRules.CallbackWorkingDays = deadlines.Value.ContactWorkingDays;
        return Task.FromResult(response);
    }
}

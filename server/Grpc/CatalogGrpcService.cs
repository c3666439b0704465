using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Ratings;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

public sealed class CatalogGrpcService(CatalogSource catalog, IOptions<RatingOptions> ratingOptions) : CatalogService.CatalogServiceBase
{
    [AllowAnonymous]
    public override Task<GetCatalogResponse> GetCatalog(GetCatalogRequest request, ServerCallContext context)
    {
        var hall = catalog.FindHall(request.HallCode);
        var limits = new RatingLimits(ratingOptions.Value.MaxTextLength);
        return Task.FromResult(catalog.Current.ToCatalogResponse(hall, limits));
    }
}

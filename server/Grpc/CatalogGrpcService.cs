using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

public sealed class CatalogGrpcService(CatalogSource catalog) : CatalogService.CatalogServiceBase
{
    [AllowAnonymous]
    public override Task<GetCatalogResponse> GetCatalog(GetCatalogRequest request, ServerCallContext context)
    {
        var hall = catalog.FindHall(request.HallCode);
        return Task.FromResult(catalog.Current.ToCatalogResponse(hall));
    }
}

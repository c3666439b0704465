using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Enquiries;
using ServiceHall.Server.Ratings;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

public sealed class CatalogGrpcService(
    CatalogSource catalog, IOptions<RatingOptions> ratingOptions, IOptions<CaseDeadlinePolicy> deadlines, EnquiryDesk enquiries)
    : CatalogService.CatalogServiceBase
{
    [AllowAnonymous]
    public override async Task<GetCatalogResponse> GetCatalog(GetCatalogRequest request, ServerCallContext context)
    {
        var hall = catalog.FindHall(request.HallCode);
        var limits = new RatingLimits(ratingOptions.Value.MaxTextLength);
        var response = catalog.Current.ToCatalogResponse(hall, limits);
        response.RatingRules.CallbackWorkingDays = deadlines.Value.ContactWorkingDays;
        // Citizens' questions the office accepted as FAQ entries follow the item's own entries.
        var accepted = await enquiries.AcceptedFaqEntriesAsync(context.CancellationToken);
        foreach (var item in response.ServiceItems)
        {
            item.Faq.AddRange(accepted[item.Code].Select(f => new ServiceHall.Protos.V1.FaqEntry { Question = f.Question, Answer = f.Answer }));
        }

        return response;
    }
}

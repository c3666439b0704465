using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

public sealed class DisclosureGrpcService(
    IndicatorQuery indicators, CatalogSource catalog, DistrictClock clock, IPublicationStore store, IRatingStore ratings, DisclosurePublisher publisher)
    : DisclosureService.DisclosureServiceBase
{
    [AllowAnonymous]
    public override async Task<ListPublicationsResponse> ListPublications(ListPublicationsRequest request, ServerCallContext context)
    {
        var response = new ListPublicationsResponse();
        response.Publications.AddRange((await store.ListPublicationsAsync(context.CancellationToken)).Select(Header));
        return response;
    }

    [AllowAnonymous]
    public override async Task<GetPublicationResponse> GetPublication(GetPublicationRequest request, ServerCallContext context)
    {
        var versions = (await store.ListPublicationsAsync(context.CancellationToken)).Where(p => p.PeriodKey == request.PeriodKey).ToList();
        var publication = (request.Version == 0 ? versions.MaxBy(p => p.Version) : versions.FirstOrDefault(p => p.Version == request.Version))
            ?? throw new NotFoundException($"{request.PeriodKey} 第 {request.Version} 版未公开", "publication", request.PeriodKey);
        return new GetPublicationResponse { Header = Header(publication), ContentJson = OpenData.ToJson(publication) };
    }

    [Authorize(Policy = CallerPolicies.DistrictSupervisor)]
    public override async Task<CorrectPublicationResponse> CorrectPublication(CorrectPublicationRequest request, ServerCallContext context)
    {
        var corrected = await publisher.CorrectAsync(request.PeriodKey, request.Reason, context.CancellationToken);
        return new CorrectPublicationResponse { Header = Header(corrected) };
    }

    [Authorize(Policy = CallerPolicies.Moderator)]
    public override async Task<HideRatingTextResponse> HideRatingText(HideRatingTextRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        if (!Guid.TryParse(request.RatingId, out var ratingId) || await ratings.FindRatingAsync(ratingId, context.CancellationToken) is null)
        {
            throw new NotFoundException($"没有评价 {request.RatingId}", "rating", request.RatingId);
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new InvalidInputException("reason", "须说明原因");
        }

        TextLimits.Check(request.Reason.Trim(), "reason", TextLimits.Reason);

        await store.HideRatingTextAsync(ratingId, caller.UserName, request.Reason.Trim(), clock.UtcNow, context.CancellationToken);
        return new HideRatingTextResponse();
    }

    private static PublicationHeader Header(Publication p) => new()
    {
        PeriodKey = p.PeriodKey,
        PeriodLabel = p.Content.PeriodLabel,
        Version = p.Version,
        PublishedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(p.PublishedAt),
        Correction = p.Correction ?? "",
    };

    private const int MaxPeriodDays = 366;

    [AllowAnonymous]
    public override async Task<GetIndicatorsResponse> GetIndicators(GetIndicatorsRequest request, ServerCallContext context)
    {
        var scope = ToScope(request);
        var from = ParseDay(request.FromDay, "from_day");
        var to = ParseDay(request.ToDay, "to_day");
        if (to < from || to.DayNumber - from.DayNumber >= MaxPeriodDays)
        {
            throw new InvalidInputException("to_day", $"须不早于 from_day，且期间不超过 {MaxPeriodDays} 天");
        }

        var values = await indicators.ComputeAsync(scope, from, to, context.CancellationToken);
        var response = new GetIndicatorsResponse();
        response.Indicators.AddRange(values.Select(v =>
        {
            var figure = new IndicatorFigure
            {
                Code = v.Code, Name = v.Name, Formula = v.Formula, Numerator = v.Numerator,
                InsufficientSample = v.InsufficientSample, Display = v.Display,
            };
            if (v.Denominator is { } denominator)
            {
                figure.Denominator = denominator;
            }

            if (v.Percent is { } percent)
            {
                figure.Percent = percent;
            }

            return figure;
        }));
        return response;
    }

    private Scope ToScope(GetIndicatorsRequest r)
    {
        var district = catalog.Current;
        bool Known(bool exists) => exists ? true : throw new InvalidInputException("scope_code", $"未知的 {r.ScopeKind} {r.ScopeCode}");
        return r.ScopeKind switch
        {
            Protos.V1.ScopeKind.District => Scope.District,
            Protos.V1.ScopeKind.Hall when Known(district.FindHall(r.ScopeCode) is not null) => new Scope(Domain.ScopeKind.Hall, r.ScopeCode),
            Protos.V1.ScopeKind.Department when Known(district.FindDepartment(r.ScopeCode) is not null) =>
                new Scope(Domain.ScopeKind.Department, r.ScopeCode),
            Protos.V1.ScopeKind.Window when Known(district.FindHall(r.HallCode)?.FindWindow(r.ScopeCode) is not null) =>
                new Scope(Domain.ScopeKind.Window, r.ScopeCode, r.HallCode),
            Protos.V1.ScopeKind.ServiceItem when Known(district.FindServiceItem(r.ScopeCode) is not null) =>
                new Scope(Domain.ScopeKind.ServiceItem, r.ScopeCode),
            _ => throw new InvalidInputException("scope_kind", "须为区、大厅、部门、窗口或事项之一"),
        };
    }

    private static DateOnly ParseDay(string value, string field) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new InvalidInputException(field, "须为 yyyy-MM-dd 格式的日期");
}

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
    IndicatorQuery indicators, CatalogSource catalog, DistrictClock clock, IPublicationStore store, IRatingStore ratings, DisclosurePublisher publisher,
    DisclosureReview review)
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
        return new GetPublicationResponse
        {
            Header = Header(publication), ContentJson = publication.IsWithdrawn ? "" : OpenData.ToJson(publication),
        };
    }

    [Authorize(Policy = CallerPolicies.DistrictSupervisor)]
    public override async Task<CorrectPublicationResponse> CorrectPublication(CorrectPublicationRequest request, ServerCallContext context)
    {
        var draft = await publisher.CorrectAsync(request.PeriodKey, request.Reason, context.StaffCaller().UserName, context.CancellationToken);
        return new CorrectPublicationResponse
        {
            Header = new PublicationHeader
            {
                PeriodKey = draft.PeriodKey, PeriodLabel = draft.Content.PeriodLabel, Version = draft.Version, Correction = draft.Correction ?? "",
            },
        };
    }

    [Authorize(Policy = CallerPolicies.DisclosureReader)]
    public override async Task<ListDraftsResponse> ListDrafts(ListDraftsRequest request, ServerCallContext context)
    {
        var response = new ListDraftsResponse();
        response.Drafts.AddRange((await review.DraftsAsync(context.CancellationToken)).Select(Draft));
        return response;
    }

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<RedactDraftTextResponse> RedactDraftText(RedactDraftTextRequest request, ServerCallContext context) =>
        new()
        {
            Draft = Draft(await review.RedactAsync(
                request.PeriodKey, request.Version, request.Row, request.Field.ToDomain("field"), request.Text, request.Reason,
                context.StaffCaller().UserName, context.CancellationToken)),
        };

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<HideDraftTextResponse> HideDraftText(HideDraftTextRequest request, ServerCallContext context) =>
        new()
        {
            Draft = Draft(await review.HideAsync(
                request.PeriodKey, request.Version, request.Row, request.Field.ToDomain("field"), request.Reason, context.StaffCaller().UserName,
                context.CancellationToken)),
        };

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<ApproveDraftResponse> ApproveDraft(ApproveDraftRequest request, ServerCallContext context) =>
        new()
        {
            Header = Header(await review.ApproveAsync(
                request.PeriodKey, request.Version, request.Revision, context.StaffCaller().UserName, context.CancellationToken)),
        };

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<WithdrawPublishedResponse> WithdrawPublished(WithdrawPublishedRequest request, ServerCallContext context) =>
        new()
        {
            Header = Header(await review.WithdrawAsync(
                request.PeriodKey, request.Version, request.HasRow ? request.Row : null, request.Reason, context.StaffCaller().UserName,
                context.CancellationToken)),
        };

    [Authorize(Policy = CallerPolicies.DisclosureReader)]
    public override async Task<ListDisclosureActionsResponse> ListDisclosureActions(ListDisclosureActionsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 1000)
        {
            throw new InvalidInputException("limit", "须在 0 到 1000 之间");
        }

        var response = new ListDisclosureActionsResponse();
        response.Actions.AddRange((await review.AuditAsync(request.Limit == 0 ? 200 : request.Limit, context.CancellationToken)).Select(a =>
        {
            var entry = new DisclosureAuditEntry
            {
                At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(a.At), UserName = a.UserName, Kind = AuditKind(a.Kind),
                PeriodKey = a.PeriodKey, Version = a.Version, Reason = a.Reason,
            };
            if (a.Row is { } row)
            {
                entry.Row = row;
            }

            return entry;
        }));
        return response;
    }

    private static string AuditKind(DisclosureActionKind kind) => kind switch
    {
        DisclosureActionKind.Drafted => "drafted",
        DisclosureActionKind.Redacted => "redacted",
        DisclosureActionKind.Hidden => "hidden",
        DisclosureActionKind.Approved => "approved",
        DisclosureActionKind.TextWithdrawn => "text-withdrawn",
        DisclosureActionKind.VersionWithdrawn => "version-withdrawn",
        DisclosureActionKind.SummaryRedacted => "summary-redacted",
        DisclosureActionKind.SummaryHidden => "summary-hidden",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private Protos.V1.DisclosureDraft Draft(Domain.DisclosureDraft d)
    {
        var draft = new Protos.V1.DisclosureDraft
        {
            PeriodKey = d.PeriodKey, PeriodLabel = d.Content.PeriodLabel, Version = d.Version, Revision = d.Revision,
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(d.CreatedAt),
            DueDay = d.DueDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Overdue = d.IsOverdue(clock.LocalDay(clock.UtcNow)),
            Correction = d.Correction ?? "", BadReviews = d.Content.BadReviews.Count,
        };
        draft.Headline.AddRange(d.Content.Headline.Select(v => new HeadlineFigure { Code = v.Code, Name = v.Name, Display = v.Display }));
        draft.Texts.AddRange(d.Texts.Select(t =>
        {
            var row = d.Content.BadReviews[t.Row];
            return new Protos.V1.DraftText
            {
                Row = t.Row, Original = t.Original, Scrubbed = t.Scrubbed, Changed = t.Changed, Withheld = t.Withheld, Published = t.Published,
                Decision = t.Decision switch
                {
                    Domain.DraftTextDecision.None => Protos.V1.DraftTextDecision.None,
                    Domain.DraftTextDecision.Redacted => Protos.V1.DraftTextDecision.Redacted,
                    Domain.DraftTextDecision.Hidden => Protos.V1.DraftTextDecision.Hidden,
                    _ => throw new ArgumentOutOfRangeException(nameof(d), t.Decision, null),
                },
                RatedOn = row.RatedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Department = row.Department, Level = row.Level,
                Field = t.Field.ToProto(),
            };
        }));
        return draft;
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

    private static PublicationHeader Header(Publication p)
    {
        var header = new PublicationHeader
        {
            PeriodKey = p.PeriodKey,
            PeriodLabel = p.Content.PeriodLabel,
            Version = p.Version,
            PublishedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(p.PublishedAt),
            Correction = p.Correction ?? "",
            Withdrawn = p.IsWithdrawn,
        };
        if (!p.IsWithdrawn)
        {
            header.Headline.AddRange(p.Content.Headline.Select(v => new HeadlineFigure { Code = v.Code, Name = v.Name, Display = v.Display }));
        }

        if (p.SignOff is { } signOff)
        {
            header.SignOff = new Protos.V1.PublicationSignOff
            {
                IssuingBody = signOff.IssuingBody, Contact = signOff.Contact, ApprovingRole = signOff.ApprovingRole,
                ApprovedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(signOff.ApprovedAt),
            };
        }

        header.Withdrawals.AddRange((p.Withdrawals ?? []).Select(w =>
        {
            var notice = new WithdrawalNotice
            {
                What = w.What, Reason = w.Reason, WithdrawnAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(w.WithdrawnAt),
            };
            if (w.Row is { } row)
            {
                notice.Row = row;
            }

            return notice;
        }));
        return header;
    }

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

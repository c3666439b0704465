using Google.Protobuf.WellKnownTypes;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The kiosk's only door to the server: calls the generated gRPC clients and maps proto messages to and from
/// the plain records the rest of the kiosk uses. Map, call, map — no rules here.
/// </summary>
public sealed class ServiceHallClient(
    CatalogService.CatalogServiceClient catalogClient,
    RatingService.RatingServiceClient ratingClient,
    TimeProvider timeProvider)
{
    /// <summary>How long one call may take before it counts as failed (the outbox then retries later).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public async Task<HallCatalog> GetCatalogAsync(string hallCode, CancellationToken cancellationToken)
    {
        var response = await catalogClient.GetCatalogAsync(
            new GetCatalogRequest { HallCode = hallCode }, deadline: Deadline(), cancellationToken: cancellationToken);
        return ToCatalog(response);
    }

    /// <summary>
    /// Submits a batch and returns one result per rating. Throws <see cref="Grpc.Core.RpcException"/> when the call
    /// fails, and <see cref="InvalidOperationException"/> when the answer does not account for every rating.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryResult>> SubmitRatingsAsync(
        IReadOnlyList<KioskRating> ratings, CancellationToken cancellationToken)
    {
        var request = new SubmitRatingsRequest();
        request.Ratings.AddRange(ratings.Select(ToSubmission));
        var response = await ratingClient.SubmitRatingsAsync(
            request, deadline: Deadline(), cancellationToken: cancellationToken);

        var results = new List<DeliveryResult>(response.Results.Count);
        foreach (var result in response.Results)
        {
            if (!Guid.TryParse(result.RatingId, out var id))
            {
                throw new InvalidOperationException("the server answered with a rating id that is not a UUID");
            }
            results.Add(result.Outcome switch
            {
                RatingOutcome.Stored or RatingOutcome.AlreadyStored => new DeliveryResult(id, DeliveryOutcome.Stored),
                RatingOutcome.Rejected => new DeliveryResult(id, DeliveryOutcome.Rejected, result.Field, result.Reason),
                RatingOutcome.Unspecified => throw new InvalidOperationException("the server answered without an outcome"),
                _ => throw new InvalidOperationException("the server answered with an unknown outcome"),
            });
        }
        var answered = results.Select(r => r.RatingId).ToHashSet();
        if (results.Count != ratings.Count || ratings.Any(r => !answered.Contains(r.Id)))
        {
            throw new InvalidOperationException("the server's answer does not match the ratings sent");
        }
        return results;
    }

    /// <summary>
    /// Adds the one follow-up (追评) of the rating made for the transaction with this short code; <paramref name="id"/>
    /// makes a retry safe (answered as stored before). Throws <see cref="Grpc.Core.RpcException"/> when refused (a
    /// citizen-readable message for an unknown code, a transaction not rated yet or a rating followed up already) or when
    /// the server cannot be reached.
    /// </summary>
    public async Task AddFollowUpAsync(Guid id, string shortCode, string text, DateTimeOffset writtenAt, CancellationToken cancellationToken) =>
        await ratingClient.AddFollowUpAsync(
            new AddFollowUpRequest { FollowUpId = id.ToString(), ShortCode = shortCode, Text = text, WrittenAt = Timestamp.FromDateTimeOffset(writtenAt) },
            deadline: Deadline(), cancellationToken: cancellationToken);

    // gRPC deadlines are wall-clock DateTimes; the TimeProvider keeps them consistent with the rest of the kiosk.
    private DateTime Deadline() => timeProvider.GetUtcNow().UtcDateTime + CallTimeout;

    internal static RatingSubmission ToSubmission(KioskRating rating)
    {
        var submission = new RatingSubmission
        {
            RatingId = rating.Id.ToString(),
            HallCode = rating.HallCode,
            WindowCode = rating.WindowCode ?? "",
            ServiceItemCode = rating.ServiceItemCode ?? "",
            StaffId = rating.StaffId ?? "",
            TransactionNumber = rating.TransactionNumber ?? "",
            Channel = rating.Channel switch
            {
                KioskChannel.HallPad => RatingChannel.HallPad,
                KioskChannel.HallTerminal => RatingChannel.HallTerminal,
                _ => throw new ArgumentOutOfRangeException(nameof(rating), rating.Channel, "unknown channel"),
            },
            Level = rating.Level.ToProto(),
            ReasonTagListVersion = rating.ReasonTagListVersion ?? "",
            Text = rating.Text ?? "",
            RatedAt = Timestamp.FromDateTimeOffset(rating.RatedAt),
            CallbackPhone = rating.CallbackPhone ?? "",
            DeviceId = rating.DeviceId,
        };
        submission.ReasonTagCodes.AddRange(rating.ReasonTagCodes);
        return submission;
    }

    internal static HallCatalog ToCatalog(GetCatalogResponse response)
    {
        var hall = response.Hall ?? new Hall();
        return new HallCatalog(
            new HallInfo(
                hall.Code, hall.Name, hall.RegionCode, hall.Address, hall.OpeningHours, hall.SupervisionPhone, hall.NameEn, hall.OpeningHoursEn),
            [.. response.Departments.Select(d => new DepartmentInfo(d.Code, d.Name, d.ShortName, d.NameEn, d.ShortNameEn))],
            [.. response.Windows.Select(w => new WindowInfo(
                w.Code, w.Name, w.DepartmentCode, [.. w.Staff.Select(s => new StaffInfo(s.StaffId, s.Name, s.Title))], w.NameEn))],
            [.. response.ServiceItems.Select(ToItem)],
            new ReasonTagListInfo(
                response.ReasonTags?.Version ?? "",
                [.. (response.ReasonTags?.Tags ?? []).Select(t => new ReasonTagInfo(
                    t.Code, t.Label, t.Dimension,
                    [.. t.Levels.Select(l => l.ToSatisfactionLevel()).OfType<SatisfactionLevel>()], t.LabelEn, t.DimensionEn))]),
            response.RatingRules is { } rules ? RatingInputRules.From(rules.MaxTextLength, rules.CallbackPhonePattern, rules.CallbackWorkingDays) : null);
    }

    private static ServiceItemInfo ToItem(ServiceItem item) => new(
        item.Code,
        item.BasicCode,
        item.Name,
        item.ItemType,
        item.DepartmentCode,
        [.. item.Conditions],
        [.. item.Materials.Select(m => new MaterialInfo(m.Name, m.OriginalCopies, m.Photocopies, m.Required, m.Note))],
        [.. item.ProcessSteps],
        item.LegalTimeLimitDays,
        item.PromisedTimeLimitDays,
        item.Fees,
        item.Location,
        item.OfficeHours,
        item.ConsultationPhone,
        item.SupervisionPhone,
        item.OnlineUrl,
        [.. item.Faq.Select(f => new FaqInfo(f.Question, f.Answer))],
        [.. item.WindowCodes],
        item.Theme,
        item.NameEn);
}

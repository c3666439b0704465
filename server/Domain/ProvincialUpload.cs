using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceHall.Server.Domain;

/// <summary>What an item of the provincial upload reports (docs/provincial-relay.md#items).</summary>
public enum UploadKind
{
    /// <summary>A stored rating (评价).</summary>
    Rating = 1,

    /// <summary>A transaction whose pad's time ran out (未评价).</summary>
    NotRated = 2,

    /// <summary>A step of a 差评 case the province is told of (差评整改).</summary>
    CaseStep = 3,
}

/// <summary>
/// One item for the provincial 好差评 platform, as it is queued in the same transaction as what it reports and sent as is
/// (同源发布: the province gets the very record the district stores). <see cref="Key"/> is the idempotency key: stable for
/// the item, so a retry or a backfill is recognised and never counted twice. Items of one <see cref="Stream"/> (a rating
/// and its case) are delivered in <see cref="StreamSequence"/> order. <see cref="PeriodAt"/> places the item in the period a
/// backfill names: when the citizen rated (a case belongs to its rating's period), or when a transaction was finished.
/// </summary>
public sealed record ProvincialUpload(string Key, UploadKind Kind, string Stream, int StreamSequence, DateTimeOffset PeriodAt, string Document);

/// <summary>
/// The provincial upload's documents (docs/provincial-relay.md): JSON with the data item names of GB/T 39046-2020, levels in the
/// provincial coding (1 = 非常不满意 … 5 = 非常满意, the reverse of GB/T 39046 A.8), channels in the national list's codes and times
/// in Beijing time (UTC+8). Never the rater's number, device or name: the province gets whether a rating was real-name, not who.
/// </summary>
public static class ProvincialUploads
{
    /// <summary>Provincial interfaces give times as "yyyy-MM-dd HH:mm:ss" in Beijing time, whatever the server's zone.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A time as the province reads it.</summary>
    public static string BeijingTime(DateTimeOffset instant) =>
        instant.ToOffset(BeijingOffset).ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The channel's code in the national channel list (GB/T 39046), explicitly, never the enum's number.</summary>
    public static int ChannelCode(RatingChannel channel) => channel switch
    {
        RatingChannel.Pc => 1,
        RatingChannel.Mobile => 2,
        RatingChannel.QrCode => 3,
        RatingChannel.HallPad => 4,
        RatingChannel.HallTerminal => 5,
        RatingChannel.Phone => 6,
        RatingChannel.Sms => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>
    /// Whether a rating goes to the province. A system default (<c>active = false</c>) was recorded upstream because no citizen
    /// rated; the province holds it already, and sending it back would count it twice (docs/provincial-relay.md#system-defaults).
    /// </summary>
    public static bool IsUploaded(Rating rating) => rating.IsActive;

    /// <summary>The key of a rating's item; its case's steps follow it in the rating's stream.</summary>
    public static string RatingKey(Guid ratingId) => $"rating:{ratingId}";

    public static ProvincialUpload OfRating(Rating r) => new(
        RatingKey(r.Id), UploadKind.Rating, r.Id.ToString(), 0, r.RatedAt,
        JsonSerializer.Serialize(
            new RatingDocument(
                RatingKey(r.Id), "rating", r.Id.ToString(), r.TransactionNumber, r.RegionCode, r.HallCode, r.WindowCode, r.DepartmentCode,
                r.ServiceItemCode, r.StaffId, ChannelCode(r.Channel), r.Channel.Label(), r.Level.ToProvincialCode(), r.Level.Label(),
                r.ReasonTagCodes, r.ReasonTagListVersion, r.Text, BeijingTime(r.RatedAt), 1, r.IsActive ? 1 : 0, r.IsRealName ? 1 : 0),
            Json));

    /// <summary>未评价 of a transaction: reported once, keyed by its number (it may still be rated later, which is a rating item).</summary>
    public static ProvincialUpload OfNotRated(ServiceTransaction t)
    {
        var key = $"not-rated:{t.TransactionNumber}";
        return new(
            key, UploadKind.NotRated, "transaction:" + t.TransactionNumber, 0, t.CompletedAt,
            JsonSerializer.Serialize(
                new NotRatedDocument(
                    key, "not_rated", t.TransactionNumber, t.HallCode, t.WindowCode, t.DepartmentCode, t.ServiceItemCode, t.StaffId,
                    BeijingTime(t.CompletedAt)),
                Json));
    }

    /// <summary>
    /// Whether the province is told of a step: every step that moves the case or changes what it answers for. A callback
    /// attempt is the handler's own log, and who looked at a rater's number is the district's privacy audit; neither is
    /// the province's (docs/provincial-relay.md#case-steps).
    /// </summary>
    public static bool IsUploaded(CaseEventKind kind) => kind switch
    {
        CaseEventKind.Opened or CaseEventKind.Assigned or CaseEventKind.Reassigned or CaseEventKind.Contacted
            or CaseEventKind.CallbackSkippedAnonymous or CaseEventKind.CallbackFailed or CaseEventKind.FixedAtOnce
            or CaseEventKind.RectificationScheduled or CaseEventKind.Explained or CaseEventKind.Appealed or CaseEventKind.AppealUpheld
            or CaseEventKind.AppealRejected or CaseEventKind.DeadlineExtended or CaseEventKind.FeedbackGiven
            or CaseEventKind.SatisfactionRecorded or CaseEventKind.Escalated or CaseEventKind.Closed => true,
        CaseEventKind.CallAttempted or CaseEventKind.ContactRevealed => false,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The items of a case's steps after the first <paramref name="eventsBefore"/> (all of a newly opened case's: 0).</summary>
    public static IEnumerable<ProvincialUpload> OfCaseSteps(BadReviewCase c, int eventsBefore) =>
        c.Events.Skip(eventsBefore).Where(e => IsUploaded(e.Kind)).Select(e => OfCaseStep(c, e));

    private static ProvincialUpload OfCaseStep(BadReviewCase c, CaseEvent e)
    {
        var key = $"case:{c.Id}:{e.Sequence}";
        return new(
            key, UploadKind.CaseStep, c.RatingId.ToString(), e.Sequence, c.RatedAt,
            JsonSerializer.Serialize(
                new CaseStepDocument(
                    key, "case_step", c.Id.ToString(), c.RatingId.ToString(), e.Sequence, e.Kind.Label(), e.To.Label(),
                    e.DepartmentCode ?? c.AssignedDepartmentCode ?? c.DepartmentCode, BeijingTime(e.At),
                    e.DueDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), e.Finding is { } f ? FindingLabel(f) : null,
                    e.Satisfaction is { } s ? SatisfactionLabel(s) : null),
                Json));
    }

    private static string FindingLabel(AppealFinding finding) => finding switch
    {
        AppealFinding.Misrated => "误评",
        AppealFinding.Malicious => "恶意差评",
        _ => throw new ArgumentOutOfRangeException(nameof(finding), finding, null),
    };

    private static string SatisfactionLabel(RaterSatisfaction satisfaction) => satisfaction switch
    {
        RaterSatisfaction.Satisfied => "满意",
        RaterSatisfaction.BasicallySatisfied => "基本满意",
        RaterSatisfaction.Dissatisfied => "不满意",
        _ => throw new ArgumentOutOfRangeException(nameof(satisfaction), satisfaction, null),
    };

    // The documents' fields: names as docs/provincial-relay.md lists them with their GB/T 39046 data items.
    private sealed record RatingDocument(
        [property: JsonPropertyName("uploadId")] string UploadId,
        [property: JsonPropertyName("itemType")] string ItemType,
        [property: JsonPropertyName("evaluationId")] string EvaluationId,
        [property: JsonPropertyName("projectNo")] string? ProjectNo,
        [property: JsonPropertyName("areaCode")] string AreaCode,
        [property: JsonPropertyName("hallCode")] string HallCode,
        [property: JsonPropertyName("windowCode")] string? WindowCode,
        [property: JsonPropertyName("deptCode")] string DeptCode,
        [property: JsonPropertyName("taskCode")] string? TaskCode,
        [property: JsonPropertyName("staffNo")] string? StaffNo,
        [property: JsonPropertyName("channel")] int Channel,
        [property: JsonPropertyName("channelName")] string ChannelName,
        [property: JsonPropertyName("satisfaction")] int Satisfaction,
        [property: JsonPropertyName("satisfactionName")] string SatisfactionName,
        [property: JsonPropertyName("reasonCodes")] IReadOnlyList<string> ReasonCodes,
        [property: JsonPropertyName("reasonListVersion")] string? ReasonListVersion,
        [property: JsonPropertyName("evaluationText")] string? EvaluationText,
        [property: JsonPropertyName("evaluationTime")] string EvaluationTime,
        [property: JsonPropertyName("sequence")] int Sequence,
        [property: JsonPropertyName("active")] int Active,
        [property: JsonPropertyName("realName")] int RealName);

    private sealed record NotRatedDocument(
        [property: JsonPropertyName("uploadId")] string UploadId,
        [property: JsonPropertyName("itemType")] string ItemType,
        [property: JsonPropertyName("projectNo")] string ProjectNo,
        [property: JsonPropertyName("hallCode")] string HallCode,
        [property: JsonPropertyName("windowCode")] string WindowCode,
        [property: JsonPropertyName("deptCode")] string DeptCode,
        [property: JsonPropertyName("taskCode")] string TaskCode,
        [property: JsonPropertyName("staffNo")] string? StaffNo,
        [property: JsonPropertyName("finishTime")] string FinishTime);

    private sealed record CaseStepDocument(
        [property: JsonPropertyName("uploadId")] string UploadId,
        [property: JsonPropertyName("itemType")] string ItemType,
        [property: JsonPropertyName("caseId")] string CaseId,
        [property: JsonPropertyName("evaluationId")] string EvaluationId,
        [property: JsonPropertyName("stepNo")] int StepNo,
        [property: JsonPropertyName("stepName")] string StepName,
        [property: JsonPropertyName("stateName")] string StateName,
        [property: JsonPropertyName("deptCode")] string DeptCode,
        [property: JsonPropertyName("stepTime")] string StepTime,
        [property: JsonPropertyName("dueDate")] string? DueDate,
        [property: JsonPropertyName("appealFinding")] string? AppealFinding,
        [property: JsonPropertyName("raterSatisfaction")] string? RaterSatisfaction);
}

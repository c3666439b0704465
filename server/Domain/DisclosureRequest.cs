using System.Security.Cryptography;
using System.Text;

namespace ServiceHall.Server.Domain;

/// <summary>Everything a <see cref="DisclosureRequest"/> is, for storage (the applicant's identity is kept apart, encrypted).</summary>
public sealed record DisclosureRequestSnapshot(
    Guid Id,
    string Number,
    string HallCode,
    DateTimeOffset SubmittedAt,
    DateOnly ReceivedDay,
    ApplicantKind ApplicantKind,
    InformationWanted Information,
    InformationForm Form,
    DeliveryMethod Delivery,
    DisclosureIntakeFlags Flags,
    DisclosureRequestState State,
    string? AssignedDepartmentCode,
    string? AssignedHandlerId,
    DateOnly? SupplementDueDay,
    DateOnly? SupplementReceivedDay,
    int ExtensionWorkingDays,
    DisclosureOutcome? Outcome,
    string? DraftReply,
    DateTimeOffset? ConcludedAt,
    DateOnly? ConcludedDay,
    bool RepliedLate,
    IReadOnlyList<DisclosureRequestEvent> Events);

/// <summary>
/// What the server noticed at intake, for the office to weigh — never a refusal (条例 art. 35: an unreasonable volume may be
/// asked about, not refused automatically): an earlier request of the same applicant for the same information (重复申请), and
/// an applicant with unusually many requests in the recent window.
/// </summary>
public sealed record DisclosureIntakeFlags(string? RepeatOf, int? RecentRequests)
{
    public static DisclosureIntakeFlags None { get; } = new(null, null);

    public bool Any => RepeatOf is not null || RecentRequests is not null;
}

/// <summary>
/// An information-disclosure request (依申请公开) on the statutory clock of the 政府信息公开条例 (docs/rules/disclosure-requests.md):
/// received at the kiosk, registered by the 政务公开 office, possibly sent back for 补正 (the clock stops, and restarts from
/// the supplement), assigned to the department holding the information, possibly with third parties or other agencies
/// consulted (not counted), answered with one of the annual report's outcomes after the office approves the reply, and
/// closed.
/// </summary>
/// <remarks>
/// Each step is declared once in <see cref="DisclosureRequestSteps"/>; every method runs that step's guard first, then checks its
/// inputs, and only then changes the request and appends exactly one <see cref="DisclosureRequestEvent"/>.
/// </remarks>
public sealed partial class DisclosureRequest : IWorkedCase
{
    private readonly List<DisclosureRequestEvent> _events = [];

    private DisclosureRequest(
        Guid id, string number, string hallCode, DateTimeOffset submittedAt, DateOnly receivedDay, ApplicantKind applicantKind,
        InformationWanted information, InformationForm form, DeliveryMethod delivery, DisclosureIntakeFlags flags)
    {
        Id = id;
        Number = number;
        HallCode = hallCode;
        SubmittedAt = submittedAt;
        ReceivedDay = receivedDay;
        ApplicantKind = applicantKind;
        Information = information;
        Form = form;
        Delivery = delivery;
        Flags = flags;
        State = DisclosureRequestState.Received;
    }

    public Guid Id { get; }

    /// <summary>The request number the applicant's receipt shows (<see cref="NumberOf"/>).</summary>
    public string Number { get; }

    public string HallCode { get; }

    /// <summary>When the applicant handed the request in at the kiosk.</summary>
    public DateTimeOffset SubmittedAt { get; }

    /// <summary>The day of receipt (art. 31): the reply period counts from here until a supplement restarts it.</summary>
    public DateOnly ReceivedDay { get; }

    public ApplicantKind ApplicantKind { get; }

    public InformationWanted Information { get; }

    public InformationForm Form { get; }

    public DeliveryMethod Delivery { get; }

    public DisclosureIntakeFlags Flags { get; }

    public DisclosureRequestState State { get; private set; }

    public string StateLabel => State.Label();

    public string? AssignedDepartmentCode { get; private set; }

    public string? AssignedHandlerId { get; private set; }

    /// <summary>The day the supplement is due by, once asked for.</summary>
    public DateOnly? SupplementDueDay { get; private set; }

    /// <summary>The day the supplement arrived: the reply period counts afresh from it (art. 30).</summary>
    public DateOnly? SupplementReceivedDay { get; private set; }

    /// <summary>The working days the one extension added (0 before it).</summary>
    public int ExtensionWorkingDays { get; private set; }

    public bool IsExtended => ExtensionWorkingDays > 0;

    /// <summary>The outcome of the drafted (and then approved and sent) reply; for a lapsed request, 其他处理 (逾期不补正).</summary>
    public DisclosureOutcome? Outcome { get; private set; }

    public string? DraftReply { get; private set; }

    /// <summary>When the request was answered (reply delivered) or lapsed: the annual report counts its outcome in that year.</summary>
    public DateTimeOffset? ConcludedAt { get; private set; }

    /// <summary>The local day of <see cref="ConcludedAt"/>: the annual report's year is this day's.</summary>
    public DateOnly? ConcludedDay { get; private set; }

    /// <summary>Answered after its reply deadline.</summary>
    public bool RepliedLate { get; private set; }

    public IReadOnlyList<DisclosureRequestEvent> Events => _events.AsReadOnly();

    /// <summary>
    /// The request number: the local day handed in and the last eight hex digits of the kiosk's request id ("20261009-3F9A2C1B").
    /// The kiosk shows it on the receipt before the server has the request, so it depends on nothing the server decides.
    /// </summary>
    public static string NumberOf(Guid id, DateOnly submittedDay) =>
        $"{submittedDay:yyyyMMdd}-{id.ToString("N")[^8..].ToUpperInvariant()}";

    /// <summary>The consultations, in the order they were sent, with the day each was answered.</summary>
    public IReadOnlyList<Consultation> Consultations
    {
        get
        {
            var list = new List<Consultation>();
            foreach (var e in _events)
            {
                if (e.Kind == DisclosureEventKind.ConsultationSent)
                {
                    list.Add(new Consultation(e.PartyKind!.Value, e.Party!, e.Day!.Value, e.DueDay, null, null));
                }
                else if (e.Kind == DisclosureEventKind.OpinionReceived)
                {
                    var index = list.FindIndex(c => c.AnsweredDay is null && c.Party == e.Party);
                    list[index] = list[index] with { AnsweredDay = e.Day, Opinion = e.Note };
                }
            }

            return list;
        }
    }

    /// <summary>Whether the reply clock runs now, and if not why.</summary>
    public DisclosureClockState Clock => State switch
    {
        DisclosureRequestState.Received or DisclosureRequestState.Registered or DisclosureRequestState.Assigned
            or DisclosureRequestState.ReplyDrafted or DisclosureRequestState.ReplyApproved => DisclosureClockState.Running,
        DisclosureRequestState.AwaitingSupplement => DisclosureClockState.StoppedForSupplement,
        DisclosureRequestState.Consulting => DisclosureClockState.PausedForConsultation,
        DisclosureRequestState.ReplySent or DisclosureRequestState.Closed => DisclosureClockState.Finished,
        _ => throw new InvalidOperationException($"unknown request state {State}"),
    };

    public DisclosureClockFacts ClockFacts => new(
        ReceivedDay, SupplementReceivedDay, ExtensionWorkingDays,
        Consultations.Select(c => new ConsultationPeriod(c.SentDay, c.AnsweredDay)).ToList());

    /// <summary>The reply deadline at <paramref name="at"/>.</summary>
    public DisclosureDeadline ReplyDeadline(DisclosureTimeLimits limits, DateTimeOffset at) => limits.ReplyDeadline(ClockFacts, Clock, at);

    /// <summary>What the annual report needs of the request.</summary>
    public DisclosureRequestFacts Facts => new(ApplicantKind, ReceivedDay, ConcludedDay, ConcludedDay is null ? null : Outcome);

    /// <summary>The steps <paramref name="actor"/> may take now.</summary>
    public IReadOnlyList<CaseStep<DisclosureRequest, DisclosureRequestState>> AllowedSteps(Actor actor, StepContext context) =>
        DisclosureRequestSteps.Catalog.Allowed(this, actor, context);

    /// <summary>
    /// A request handed in at <paramref name="submittedAt"/> on a kiosk of <paramref name="hallCode"/>: received that day
    /// (art. 31(1)), with what the server noticed at intake.
    /// </summary>
    public static DisclosureRequest Receive(
        Guid id, string hallCode, DisclosureApplication application, DateTimeOffset submittedAt, DisclosureIntakeFlags flags,
        DisclosureTimeLimits limits)
    {
        if (id == Guid.Empty)
        {
            throw new InvalidInputException("request_id", "不能为空");
        }

        var number = NumberOf(id, limits.Calendar.LocalDate(submittedAt));
        var request = new DisclosureRequest(id, number, hallCode, submittedAt, limits.DayOfReceipt(submittedAt), application.ApplicantKind,
            application.Information, application.Form, application.Delivery, flags);
        request.Append(Actor.System, submittedAt, DisclosureEventKind.Received, DisclosureRequestState.Received, null);
        return request;
    }

    public static DisclosureRequest Restore(DisclosureRequestSnapshot s)
    {
        var restored = new DisclosureRequest(s.Id, s.Number, s.HallCode, s.SubmittedAt, s.ReceivedDay, s.ApplicantKind, s.Information, s.Form,
            s.Delivery, s.Flags)
        {
            State = s.State,
            AssignedDepartmentCode = s.AssignedDepartmentCode,
            AssignedHandlerId = s.AssignedHandlerId,
            SupplementDueDay = s.SupplementDueDay,
            SupplementReceivedDay = s.SupplementReceivedDay,
            ExtensionWorkingDays = s.ExtensionWorkingDays,
            Outcome = s.Outcome,
            DraftReply = s.DraftReply,
            ConcludedAt = s.ConcludedAt,
            ConcludedDay = s.ConcludedDay,
            RepliedLate = s.RepliedLate,
        };
        restored._events.AddRange(s.Events);
        return restored;
    }

    public DisclosureRequestSnapshot ToSnapshot() => new(
        Id, Number, HallCode, SubmittedAt, ReceivedDay, ApplicantKind, Information, Form, Delivery, Flags, State, AssignedDepartmentCode,
        AssignedHandlerId, SupplementDueDay, SupplementReceivedDay, ExtensionWorkingDays, Outcome, DraftReply, ConcludedAt, ConcludedDay, RepliedLate,
        _events.ToList());

    // ---- helpers ----

    /// <summary>The longest code (department, handler) a step accepts.</summary>
    public const int MaxCodeLength = 64;

    private void Guard(CaseStep<DisclosureRequest, DisclosureRequestState> step, Actor by, DateTimeOffset at, DisclosureTimeLimits? limits = null) =>
        DisclosureRequestSteps.Catalog.Guard(step, this, by, new StepContext(at) { DisclosureLimits = limits });

    private void Append(
        Actor by, DateTimeOffset at, DisclosureEventKind kind, DisclosureRequestState to, string? note, string? department = null,
        DateOnly? day = null, DateOnly? dueDay = null, ConsultedParty? partyKind = null, string? party = null, DisclosureOutcome? outcome = null,
        string? approver = null, DeliveryMethod? delivery = null, int? extension = null, string? missed = null)
    {
        _events.Add(new DisclosureRequestEvent(_events.Count + 1, at, by, kind, State, to, note, department, day, dueDay, partyKind, party, outcome,
            approver, delivery, extension, missed));
        State = to;
    }

    private void RequireNotBeforeLastEvent(DateTimeOffset at)
    {
        if (_events.Count > 0 && at < _events[^1].At)
        {
            throw new InvalidInputException("at", "早于申请上一条记录的时间");
        }
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidInputException(field, "不能为空") : value.Trim();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    private static string? Code(string? value, string field) =>
        value is { Length: > MaxCodeLength } ? throw new InvalidInputException(field, $"不能超过 {MaxCodeLength} 个字符") : value;

    /// <summary>
    /// The key two requests for the same information share: the information's name, number and description, letters and digits
    /// only, case and width folded (so "第3号" and "第 ３ 号" match). Hashed: only equality is needed.
    /// </summary>
    public static string InformationKey(InformationWanted information)
    {
        var text = string.Join("|", information.Name, information.DocumentNumber, information.Description)
            .Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || rune.Value == '|')
            {
                kept.Append(rune.ToString());
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(kept.ToString())), 0, 16);
    }

    /// <summary>The keyed hash of an applicant's identity number, under the district's own secret: equal numbers, equal keys.</summary>
    public static string ApplicantKey(ApplicantIdentity applicant, byte[] secret) =>
        Convert.ToHexString(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{(int)applicant.DocumentKind}:{applicant.DocumentNumber}")));
}

/// <summary>One consultation: who, since when, until when it must answer (a third party), and its answer.</summary>
public sealed record Consultation(ConsultedParty Kind, string Party, DateOnly SentDay, DateOnly? DueDay, DateOnly? AnsweredDay, string? Opinion);

/// <summary>
/// What the intake noticed about an applicant's earlier requests (the store finds them by the applicant's keyed hash).
/// </summary>
public static class DisclosureIntake
{
    /// <summary>
    /// The flags of a new request: the earliest earlier request for the same information (重复申请, 条例 art. 36(6)), and the
    /// applicant's count of requests in the window when it reaches the threshold (art. 35). Flags only: the office decides.
    /// </summary>
    public static DisclosureIntakeFlags Flags(
        IReadOnlyList<(string Number, string InformationKey, DateTimeOffset SubmittedAt)> earlier, string informationKey,
        DateTimeOffset submittedAt, DisclosureVolumePolicy policy)
    {
        var repeat = earlier.Where(e => e.InformationKey == informationKey && e.SubmittedAt < submittedAt).OrderBy(e => e.SubmittedAt)
            .Select(e => e.Number).FirstOrDefault();
        var recent = earlier.Count(e => e.SubmittedAt >= submittedAt.AddDays(-policy.WindowDays) && e.SubmittedAt < submittedAt) + 1;
        return new DisclosureIntakeFlags(repeat, recent >= policy.Requests ? recent : null);
    }
}

/// <summary>
/// When an applicant's requests are many enough to flag for the office (条例 art. 35; never a refusal). Section "DisclosureVolume".
/// </summary>
public sealed record DisclosureVolumePolicy
{
    public const string Section = "DisclosureVolume";

    /// <summary>The window, in calendar days before a request, its applicant's earlier requests are counted in.</summary>
    public int WindowDays { get; init; } = 30;

    /// <summary>Flag when the applicant's requests in the window, this one included, reach this many.</summary>
    public int Requests { get; init; } = 10;

    public void Validate()
    {
        if (WindowDays < 1 || Requests < 2)
        {
            throw new ArgumentException($"{Section}: WindowDays must be ≥ 1 and Requests ≥ 2");
        }
    }
}

namespace ServiceHall.Server.Domain;

/// <summary>Where an information-disclosure request stands (docs/rules/disclosure-requests.md#states).</summary>
public enum DisclosureRequestState
{
    /// <summary>Handed in at the kiosk and received by the server; the clock runs from the day of receipt; to be registered.</summary>
    Received = 1,

    /// <summary>Registered by the 政务公开 office; to be assigned (or asked to supplement, or answered by the office).</summary>
    Registered = 2,

    /// <summary>补正 asked for: the clock is stopped until the supplement arrives; the request lapses if none arrives in time.</summary>
    AwaitingSupplement = 3,

    /// <summary>Given to the department that holds the information.</summary>
    Assigned = 4,

    /// <summary>A third party or another agency is being consulted: that time is not counted.</summary>
    Consulting = 5,

    /// <summary>A reply is drafted and awaits the office's approval.</summary>
    ReplyDrafted = 6,

    /// <summary>The reply is approved and is to be delivered.</summary>
    ReplyApproved = 7,

    /// <summary>The reply was delivered: the request is answered (it counts in the annual report from here).</summary>
    ReplySent = 8,

    /// <summary>办结 (answered and filed, or lapsed for want of a supplement).</summary>
    Closed = 9,
}

/// <summary>What happened to a request; one kind per step.</summary>
public enum DisclosureEventKind
{
    Received = 1,
    Registered = 2,
    SupplementRequested = 3,
    SupplementReceived = 4,
    Lapsed = 5,
    Assigned = 6,
    ConsultationSent = 7,
    OpinionReceived = 8,
    ReplyDrafted = 9,
    DraftReturned = 10,
    ReplyApproved = 11,
    ReplySent = 12,
    Extended = 13,
    Escalated = 14,
    Closed = 15,
}

/// <summary>Who is consulted (art. 32–33).</summary>
public enum ConsultedParty
{
    /// <summary>A third party whose lawful rights disclosure may harm: 15 working days to answer (art. 32).</summary>
    ThirdParty = 1,

    /// <summary>Another agency (art. 33: 征求其他机关意见).</summary>
    OtherAgency = 2,
}

/// <summary>
/// One audit record of a request: who, when, what, from which state to which, the note, and the details of its kind.
/// Appended once, never changed.
/// </summary>
public sealed record DisclosureRequestEvent(
    int Sequence,
    DateTimeOffset At,
    Actor By,
    DisclosureEventKind Kind,
    DisclosureRequestState From,
    DisclosureRequestState To,
    string? Note,
    string? DepartmentCode = null,
    // The local day the step counts on for the clock (a consultation sent or answered, a supplement received).
    DateOnly? Day = null,
    DateOnly? DueDay = null,
    ConsultedParty? PartyKind = null,
    string? Party = null,
    DisclosureOutcome? Outcome = null,
    string? Approver = null,
    DeliveryMethod? Delivery = null,
    int? ExtensionWorkingDays = null,
    string? MissedDeadline = null) : ICaseRecord
{
    string ICaseRecord.What => Kind.Label();
}

/// <summary>
/// What every case type's audit record says, whatever its details: the trail a console or an auditor reads is the same shape
/// for a 差评 case (<see cref="CaseEvent"/>) and an information-disclosure request (<see cref="DisclosureRequestEvent"/>).
/// </summary>
public interface ICaseRecord
{
    int Sequence { get; }

    DateTimeOffset At { get; }

    Actor By { get; }

    /// <summary>What happened, in the trail's words.</summary>
    string What { get; }

    string? Note { get; }
}

public static class DisclosureRequestStates
{
    public static string Label(this DisclosureRequestState state) => state switch
    {
        DisclosureRequestState.Received => "待登记",
        DisclosureRequestState.Registered => "已登记",
        DisclosureRequestState.AwaitingSupplement => "待补正",
        DisclosureRequestState.Assigned => "承办中",
        DisclosureRequestState.Consulting => "征求意见中",
        DisclosureRequestState.ReplyDrafted => "答复待审批",
        DisclosureRequestState.ReplyApproved => "答复待送达",
        DisclosureRequestState.ReplySent => "已答复",
        DisclosureRequestState.Closed => "已办结",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Label(this DisclosureEventKind kind) => kind switch
    {
        DisclosureEventKind.Received => "收到申请",
        DisclosureEventKind.Registered => "登记",
        DisclosureEventKind.SupplementRequested => "告知补正",
        DisclosureEventKind.SupplementReceived => "收到补正",
        DisclosureEventKind.Lapsed => "逾期未补正，视为放弃申请",
        DisclosureEventKind.Assigned => "交办",
        DisclosureEventKind.ConsultationSent => "征求意见",
        DisclosureEventKind.OpinionReceived => "收到意见",
        DisclosureEventKind.ReplyDrafted => "拟定答复",
        DisclosureEventKind.DraftReturned => "退回答复稿",
        DisclosureEventKind.ReplyApproved => "审批答复",
        DisclosureEventKind.ReplySent => "送达答复",
        DisclosureEventKind.Extended => "延长答复期限",
        DisclosureEventKind.Escalated => "督办升级",
        DisclosureEventKind.Closed => "办结",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Label(this ConsultedParty party) => party switch
    {
        ConsultedParty.ThirdParty => "第三方",
        ConsultedParty.OtherAgency => "其他机关",
        _ => throw new ArgumentOutOfRangeException(nameof(party), party, null),
    };
}

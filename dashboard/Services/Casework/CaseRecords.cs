namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>Where a 差评 case stands in the closed loop (docs/rules/bad-review-cases.md#states).</summary>
public enum CaseStage
{
    Unknown,
    New,
    Assigned,
    Contacted,
    FixedAtOnce,
    RectifyingByDeadline,
    Explained,
    Appealed,
    AppealUpheld,
    FeedbackGiven,
    Closed,
}

/// <summary>Where one deadline of a case stands.</summary>
public enum DeadlineState
{
    Unknown,
    OnTrack,

    /// <summary>预警: the deadline is near.</summary>
    DueSoon,

    /// <summary>逾期: past the deadline and not done.</summary>
    Overdue,
    Done,
}

public static class CaseStages
{
    /// <summary>Every stage a case can be in, in the order of the loop (for the state filter).</summary>
    public static IReadOnlyList<CaseStage> All { get; } =
    [
        CaseStage.New, CaseStage.Assigned, CaseStage.Contacted, CaseStage.FixedAtOnce, CaseStage.RectifyingByDeadline,
        CaseStage.Explained, CaseStage.Appealed, CaseStage.AppealUpheld, CaseStage.FeedbackGiven, CaseStage.Closed,
    ];

    /// <summary>The labels of cases.proto; the server also sends its own label with every summary.</summary>
    public static string Label(this CaseStage stage) => stage switch
    {
        CaseStage.New => "待分派",
        CaseStage.Assigned => "已分派",
        CaseStage.Contacted => "已回访核实",
        CaseStage.FixedAtOnce => "立行立改",
        CaseStage.RectifyingByDeadline => "限期整改中",
        CaseStage.Explained => "已解释说明",
        CaseStage.Appealed => "申诉中",
        CaseStage.AppealUpheld => "申诉成立",
        CaseStage.FeedbackGiven => "已反馈",
        CaseStage.Closed => "已办结",
        CaseStage.Unknown => "未知状态",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    /// <summary>The badge text of a deadline needing attention; null when there is nothing to flag.</summary>
    public static string? BadgeText(this DeadlineState state) => state switch
    {
        DeadlineState.DueSoon => "预警",
        DeadlineState.Overdue => "逾期",
        DeadlineState.OnTrack or DeadlineState.Done or DeadlineState.Unknown => null,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Words for the detail page, where every deadline says how it stands.</summary>
    public static string Label(this DeadlineState state) => state switch
    {
        DeadlineState.OnTrack => "未到期",
        DeadlineState.DueSoon => "预警",
        DeadlineState.Overdue => "逾期",
        DeadlineState.Done => "已完成",
        DeadlineState.Unknown => "—",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}

/// <summary>One case in the queue.</summary>
/// <param name="CaseId">The case's id.</param>
/// <param name="Stage">Where the case stands.</param>
/// <param name="StageLabel">The server's label of the stage, e.g. "限期整改中".</param>
/// <param name="Level">不满意 or 非常不满意; null if the server sent none.</param>
/// <param name="DepartmentCode">The responsible department's code.</param>
/// <param name="DepartmentName">Its name.</param>
/// <param name="WindowCode">The window rated; may be empty.</param>
/// <param name="ServiceItemName">The service item (事项) rated; may be empty.</param>
/// <param name="ReceivedAt">When the server received the 差评; deadlines count from here.</param>
/// <param name="ContactDue">回访 deadline.</param>
/// <param name="RectificationDue">整改反馈 deadline.</param>
/// <param name="ContactStatus">Where the contact deadline stands.</param>
/// <param name="RectificationStatus">Where the rectification deadline stands.</param>
/// <param name="RealName">A real-name rating (can be called back).</param>
/// <param name="Escalated">Escalated to the hall manager.</param>
/// <param name="CaseNumber">The readable number staff read out and search by (差评-yyyyMMdd-NNNN).</param>
/// <param name="WindowName">The window's name, beside its code.</param>
/// <param name="ReasonTagLabels">The reasons the citizen picked; empty when the server sent none.</param>
/// <param name="TextExcerpt">The first words of the citizen's text, de-identified by the server; empty for none.</param>
public sealed record CaseRow(
    string CaseId,
    CaseStage Stage,
    string StageLabel,
    SatisfactionLevel? Level,
    string DepartmentCode,
    string DepartmentName,
    string WindowCode,
    string ServiceItemName,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? ContactDue,
    DateTimeOffset? RectificationDue,
    DeadlineState ContactStatus,
    DeadlineState RectificationStatus,
    bool RealName,
    bool Escalated,
    string CaseNumber = "",
    string WindowName = "",
    IReadOnlyList<string>? ReasonTagLabels = null,
    string TextExcerpt = "")
{
    /// <summary>The reasons the citizen picked (none when the server sent none).</summary>
    public IReadOnlyList<string> Reasons => ReasonTagLabels ?? [];

    /// <summary>The case's readable number, or its id for a server that sends none.</summary>
    public string DisplayNumber => CaseNumber.Length > 0 ? CaseNumber : CaseId;

    /// <summary>The window as staff call it: its name, or its code when the name is unknown; empty for no window.</summary>
    public string WindowLabel => WindowName.Length > 0 ? WindowName : WindowCode;
}

/// <summary>What the citizen said, without who they are: only a masked phone for a real-name rating.</summary>
public sealed record CaseRating(
    SatisfactionLevel? Level,
    IReadOnlyList<string> ReasonTagLabels,
    string Text,
    DateTimeOffset? RatedAt,
    string Channel,
    string MaskedPhone,
    string Reference = "",
    string FollowUpText = "",
    DateTimeOffset? FollowUpWrittenAt = null,
    bool TextDeidentified = false)
{
    public bool IsAnonymous => MaskedPhone.Length == 0;
}

/// <summary>One audited step of a case.</summary>
public sealed record CaseTimelineEntry(
    int Sequence,
    DateTimeOffset? At,
    string ActorId,
    string ActorRole,
    string Action,
    CaseStage From,
    CaseStage To,
    string Note,
    IReadOnlyList<string> Evidence);

/// <summary>A case as the detail page shows it, with the steps the signed-in user may take now.</summary>
public sealed record CaseFile(
    CaseRow Summary,
    CaseRating? Rating,
    IReadOnlyList<CaseTimelineEntry> Timeline,
    IReadOnlyList<OfferedStep> AllowedSteps,
    IReadOnlyList<EvidenceFileInfo>? EvidenceFiles = null)
{
    /// <summary>The evidence files kept with the case (photos and PDFs), oldest first.</summary>
    public IReadOnlyList<EvidenceFileInfo> Files => EvidenceFiles ?? [];

    /// <summary>The kept file a step's evidence cites ("附件:…"), or null for a reference of another kind.</summary>
    public EvidenceFileInfo? FileCitedBy(string reference) => Files.FirstOrDefault(f => f.Reference == reference);

    /// <summary>Whether the user may take the named step now (e.g. "reveal_contact").</summary>
    public bool Allows(string step) => AllowedSteps.Any(s => s.Name == step);
}

/// <summary>An evidence file kept with a case (its content is fetched only when someone opens it).</summary>
public sealed record EvidenceFileInfo(
    string Id, string FileName, string ContentType, long SizeBytes, DateTimeOffset? UploadedAt, string UploadedBy, string Reference)
{
    /// <summary>"照片" or "PDF", for the list.</summary>
    public string KindLabel => ContentType == "application/pdf" ? "PDF" : "照片";

    /// <summary>"1.2 MB", "350 KB".</summary>
    public string SizeLabel => SizeBytes >= 1024 * 1024
        ? (SizeBytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB"
        : Math.Max(1, SizeBytes / 1024) + " KB";
}

/// <summary>A case the user may see was opened (a new 差评) or changed.</summary>
public sealed record CaseChange(CaseRow Case, bool Opened);

/// <summary>The queue's filters; each is optional.</summary>
/// <param name="Stages">Only cases in these stages; empty for any.</param>
/// <param name="DepartmentCode">Only this department's cases; empty for any.</param>
/// <param name="WindowCode">Only this window's cases; empty for any.</param>
/// <param name="OverdueOrDueSoonOnly">只看逾期/预警.</param>
/// <param name="HandlingStage">Only cases waiting in this stage (a triage count's label, e.g. 待回访); empty for any.</param>
/// <param name="CaseNumber">Only the case with this readable number, or of the rating with this 评价编号; empty for any.</param>
public sealed record CaseQueueFilter(
    IReadOnlyList<CaseStage> Stages,
    string DepartmentCode,
    string WindowCode,
    bool OverdueOrDueSoonOnly,
    TriageStage? HandlingStage = null,
    string CaseNumber = "")
{
    public static CaseQueueFilter Any { get; } = new([], "", "", false);
}

/// <summary>Where an open case waits, as the server's triage counts it (its label comes with the counts).</summary>
public enum TriageStage
{
    AwaitingAssignment = 1,
    AwaitingCallback = 2,
    Rectifying = 3,
    AwaitingFeedback = 4,
    AwaitingVerdict = 5,
    Appeal = 6,
}

/// <summary>Open cases of one stage, those overdue and those due today.</summary>
public sealed record TriageStageCount(TriageStage Stage, string Label, int Open, int Overdue, int DueToday);

/// <summary>Open cases by stage.</summary>
public sealed record TriageLoad(int Open, int Overdue, int DueToday, IReadOnlyList<TriageStageCount> Stages)
{
    public int OpenIn(TriageStage stage) => Stages.FirstOrDefault(s => s.Stage == stage)?.Open ?? 0;
}

/// <summary>One department's open cases.</summary>
public sealed record DepartmentTriage(string Code, string Name, TriageLoad Load);

/// <summary>What the console's triage header shows: the open cases the user answers for, and by department.</summary>
public sealed record CaseTriageView(TriageLoad Total, IReadOnlyList<DepartmentTriage> Departments);

namespace ServiceHall.Server.Domain;

/// <summary>Everything a <see cref="BadReviewCase"/> is, for storage; <see cref="BadReviewCase.Restore"/> gives it back.</summary>
public sealed record CaseSnapshot(
    Guid Id,
    Guid RatingId,
    string HallCode,
    string DepartmentCode,
    string? WindowCode,
    string? ServiceItemCode,
    string? StaffId,
    RatingLevel Level,
    bool IsRealName,
    DateTimeOffset ReceivedAt,
    CaseState State,
    string? AssignedDepartmentCode,
    string? AssignedHandlerId,
    CaseDeadlines Deadlines,
    ContactOutcome? Contact,
    AppealFinding? UpheldFinding,
    bool AppealRejected,
    int ReopenCount,
    RaterSatisfaction? Satisfaction,
    bool RectifiedLate,
    IReadOnlyList<CaseEvent> Events,
    DateTimeOffset? RatedAt = null,
    string? CaseNumber = null);

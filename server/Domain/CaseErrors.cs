namespace ServiceHall.Server.Domain;

/// <summary>
/// An action the case's current state does not allow (e.g. feedback before a disposition, a second appeal after one
/// was rejected, a second extension). Answered FailedPrecondition; the case is left exactly as it was.
/// </summary>
public sealed class CaseTransitionException(Guid caseId, string stateLabel, string action, string? why = null)
    : Exception($"案件 {caseId} 当前状态为“{stateLabel}”，不能{action}" + (why is null ? "" : $"：{why}"))
{
    public Guid CaseId { get; } = caseId;

    public string StateLabel { get; } = stateLabel;

    public string Action { get; } = action;
}

/// <summary>An action the actor's role (or department) may not take on this case. Answered PermissionDenied.</summary>
public sealed class CasePermissionException(Guid caseId, Actor actor, string action)
    : Exception($"{actor.Id}（{actor.Role}）无权对案件 {caseId} {action}")
{
    public Guid CaseId { get; } = caseId;

    public Actor Actor { get; } = actor;

    public string Action { get; } = action;
}

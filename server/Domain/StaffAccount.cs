namespace ServiceHall.Server.Domain;

/// <summary>What a signed-in member of staff may do (docs/architecture.md#security-model).</summary>
public enum StaffRole
{
    DepartmentHandler = 1,
    HallManager = 2,
    Supervisor = 3,
    Auditor = 4,
    Administrator = 5,
    /// <summary>Decides which citizen texts are not published (the ratings still count).</summary>
    Moderator = 6,
    /// <summary>
    /// 政务公开 officer: reviews each periodic disclosure before release, approves it, and withdraws what must not stay
    /// public (docs/rules/indicators-and-disclosure.md#review-before-release).
    /// </summary>
    DisclosureOfficer = 7,
}

/// <summary>
/// A staff account of the manager console. The password is kept only as a salted KDF hash. An account bound to a hall
/// sees that hall's cases only; one without a hall (a district-level supervisor or auditor) sees every hall's.
/// </summary>
public sealed record StaffAccount(
    Guid Id, string UserName, string DisplayName, StaffRole Role, string? DepartmentCode, string? HallCode, string PasswordHash)
{
    /// <summary>The account as it acts on cases; null for an administrator, who sees no case.</summary>
    public Actor? AsCaseActor() => Role switch
    {
        StaffRole.DepartmentHandler => new Actor(UserName, CaseRole.DepartmentHandler, DepartmentCode),
        StaffRole.HallManager => new Actor(UserName, CaseRole.HallManager),
        StaffRole.Supervisor => new Actor(UserName, CaseRole.Supervisor),
        StaffRole.Auditor => new Actor(UserName, CaseRole.Auditor),
        StaffRole.Administrator or StaffRole.Moderator or StaffRole.DisclosureOfficer => null,
        _ => throw new ArgumentOutOfRangeException(nameof(Role), Role, null),
    };

    /// <summary>
    /// Whether the account may see a case at all: only its own hall's, if it has one; a handler only its own
    /// department's (谁办理、谁负责).
    /// </summary>
    public bool MaySee(BadReviewCase c) => WorksIn(c.HallCode) && Role switch
    {
        StaffRole.DepartmentHandler => c.AssignedDepartmentCode == DepartmentCode || c.DepartmentCode == DepartmentCode,
        StaffRole.HallManager or StaffRole.Supervisor or StaffRole.Auditor => true,
        StaffRole.Administrator or StaffRole.Moderator or StaffRole.DisclosureOfficer => false,
        _ => throw new ArgumentOutOfRangeException(nameof(Role), Role, null),
    };

    /// <summary>Whether the account may see a kiosk in the fleet view: its own hall's, or every hall's without one.</summary>
    public bool MaySee(EnrolledKiosk kiosk) => WorksIn(kiosk.HallCode);

    /// <summary>Whether the account may be named as the handler of a case of this hall assigned to this department.</summary>
    public bool MayHandle(string departmentCode, string hallCode) =>
        Role == StaffRole.DepartmentHandler && DepartmentCode == departmentCode && WorksIn(hallCode);

    private bool WorksIn(string hallCode) => HallCode is null || HallCode == hallCode;
}

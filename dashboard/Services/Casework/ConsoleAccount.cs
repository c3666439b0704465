namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>
/// The roles of the security model (docs/architecture.md#security-model); what each may do is decided by the server on
/// every call.
/// </summary>
public enum ConsoleRole
{
    Unknown,
    DepartmentHandler,
    HallManager,
    Supervisor,
    Auditor,
    Administrator,
    Moderator,
    DisclosureOfficer,
}

public static class ConsoleRoles
{
    /// <summary>The role's name as shown in the console header.</summary>
    public static string Label(this ConsoleRole role) => role switch
    {
        ConsoleRole.DepartmentHandler => "部门经办人",
        ConsoleRole.HallManager => "大厅负责人",
        ConsoleRole.Supervisor => "督办人员",
        ConsoleRole.Auditor => "审计人员",
        ConsoleRole.Administrator => "系统管理员",
        ConsoleRole.Moderator => "内容审核员",
        ConsoleRole.DisclosureOfficer => "政务公开专员",
        ConsoleRole.Unknown => "未知角色",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>
    /// A timeline entry names its actor's role as a string. The contract does not fix its spelling, so both the
    /// command-line spelling ("hall-manager") and the enum spelling ("HallManager") are recognised; anything else is
    /// shown as sent.
    /// </summary>
    public static string LabelOfActorRole(string role)
    {
        var key = role.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)
            .Replace("STAFFROLE", "", StringComparison.OrdinalIgnoreCase);
        return key.ToUpperInvariant() switch
        {
            "DEPARTMENTHANDLER" => ConsoleRole.DepartmentHandler.Label(),
            "HALLMANAGER" => ConsoleRole.HallManager.Label(),
            "SUPERVISOR" => ConsoleRole.Supervisor.Label(),
            "AUDITOR" => ConsoleRole.Auditor.Label(),
            "ADMINISTRATOR" => ConsoleRole.Administrator.Label(),
            "SYSTEM" => "系统",
            _ => role,
        };
    }
}

/// <summary>The staff member signed in to the console.</summary>
/// <param name="UserName">Sign-in name.</param>
/// <param name="DisplayName">Name shown in the header.</param>
/// <param name="Role">What they do in the case loop.</param>
/// <param name="DepartmentCode">A department handler's department; empty otherwise.</param>
public sealed record ConsoleAccount(string UserName, string DisplayName, ConsoleRole Role, string DepartmentCode)
{
    public string RoleLabel => Role.Label();
}

/// <summary>A bearer token with the account it was issued to. Serialised into the browser tab's session storage.</summary>
public sealed record ConsoleCredentials(string AccessToken, DateTimeOffset ExpiresAt, ConsoleAccount Account);

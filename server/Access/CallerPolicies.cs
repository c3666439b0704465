using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Access;

/// <summary>
/// Who may call what, in one table: each gRPC method names one of these policies (or is anonymous), and the
/// ASP.NET Core pipeline refuses a call before the service runs. Which hall or department a caller may see is not
/// here: that is a domain rule (<c>StaffAccount.MaySee</c>), applied where the data is.
/// </summary>
public static class CallerPolicies
{
    /// <summary>An enrolled device of any kind that is not revoked (reports its own health).</summary>
    public const string Kiosk = nameof(Kiosk);

    /// <summary>
    /// A device that submits ratings: a hall terminal or a window pad (each with its own channel), or a business system
    /// relaying system defaults only — what each may send is checked at intake (<c>DeviceKinds.MayNotRate</c>).
    /// </summary>
    public const string RatingDevice = nameof(RatingDevice);

    /// <summary>A device a citizen uses: a hall terminal or a window pad (finds a transaction by short code, adds a 追评).</summary>
    public const string CitizenDevice = nameof(CitizenDevice);

    /// <summary>A window pad (follows its window's finished transactions, records 未评价).</summary>
    public const string WindowPad = nameof(WindowPad);

    /// <summary>A window's business system (reports finished transactions).</summary>
    public const string WindowSystem = nameof(WindowSystem);

    /// <summary>Staff who work bad-review cases: department handler, hall manager, supervisor, auditor.</summary>
    public const string CaseWorker = nameof(CaseWorker);

    /// <summary>The system administrator (enrolls and revokes kiosks).</summary>
    public const string Administrator = nameof(Administrator);

    /// <summary>Any signed-in member of staff, whatever the role (sign out, change one's own password).</summary>
    public const string SignedIn = nameof(SignedIn);

    /// <summary>Who reads the security log: the auditor and the administrator.</summary>
    public const string SecurityAuditor = nameof(SecurityAuditor);

    /// <summary>Who watches the kiosk fleet: the administrator and hall managers.</summary>
    public const string FleetViewer = nameof(FleetViewer);

    /// <summary>
    /// A district-level supervisor, bound to no hall: a district-wide action (correcting a publication) is not for
    /// someone who answers for one hall.
    /// </summary>
    public const string DistrictSupervisor = nameof(DistrictSupervisor);

    /// <summary>Who decides on flagged ratings (keep or exclude): a content moderator or a supervisor.</summary>
    public const string RatingReviewer = nameof(RatingReviewer);

    /// <summary>A content moderator (hides a citizen's text from publication).</summary>
    public const string Moderator = nameof(Moderator);

    /// <summary>
    /// The district's 政务公开 officer, bound to no hall: reviews, approves and withdraws periodic disclosures.
    /// </summary>
    public const string DisclosureOfficer = nameof(DisclosureOfficer);

    /// <summary>Who reads the review of a disclosure and its audit: the officer and the auditor (reads only).</summary>
    public const string DisclosureReader = nameof(DisclosureReader);

    /// <summary>
    /// Who watches the provincial upload: the administrator and district-level supervisors, auditors and disclosure officers
    /// (the upload is the district's, not one hall's).
    /// </summary>
    public const string RelayViewer = nameof(RelayViewer);

    /// <summary>
    /// Who works information-disclosure requests: the 政务公开 officer (every request) and department handlers (those assigned
    /// to their department); which request each may see is the desk's rule (DisclosureRequestDesk.MaySee).
    /// </summary>
    public const string DisclosureRequestWorker = nameof(DisclosureRequestWorker);

    /// <summary>Staff who work questions and could-not-get-it-done reports: department handler, hall manager, supervisor, auditor.</summary>
    public const string EnquiryWorker = nameof(EnquiryWorker);

    /// <summary>Registers both credential kinds, the policies, and how a refusal reaches a gRPC caller.</summary>
    public static IServiceCollection AddCallerPolicies(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, StaffTokenAuthentication>(StaffTokenAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, KioskCredentialAuthentication>(KioskCredentialAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Kiosk, policy => policy
                .AddAuthenticationSchemes(KioskCredentialAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new KioskInService()))
            .AddPolicy(RatingDevice, Device(DeviceKind.HallTerminal, DeviceKind.WindowPad, DeviceKind.WindowSystem))
            .AddPolicy(CitizenDevice, Device(DeviceKind.HallTerminal, DeviceKind.WindowPad))
            .AddPolicy(WindowPad, Device(DeviceKind.WindowPad))
            .AddPolicy(WindowSystem, Device(DeviceKind.WindowSystem))
            .AddPolicy(CaseWorker, Staff(
                "只有部门经办人、大厅负责人、督办人员和审计人员处理差评案件",
                StaffRole.DepartmentHandler, StaffRole.HallManager, StaffRole.Supervisor, StaffRole.Auditor))
            .AddPolicy(SignedIn, Staff("需要登录", Enum.GetValues<StaffRole>()))
            .AddPolicy(SecurityAuditor, Staff("只有审计人员和系统管理员可以查看安全日志", StaffRole.Auditor, StaffRole.Administrator))
            .AddPolicy(Administrator, Staff("只有系统管理员可以管理设备和账户", StaffRole.Administrator))
            .AddPolicy(FleetViewer, Staff("只有系统管理员和大厅负责人可以查看设备", StaffRole.Administrator, StaffRole.HallManager))
            .AddPolicy(DistrictSupervisor, policy => policy
                .AddAuthenticationSchemes(StaffTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new StaffRoleRequirement("只有区级督办人员（不限于某一大厅）可以进行此操作", [StaffRole.Supervisor], districtLevel: true)))
            .AddPolicy(RatingReviewer, Staff("只有内容审核人员和督办人员可以审核被标记的评价", StaffRole.Moderator, StaffRole.Supervisor))
            .AddPolicy(Moderator, Staff("只有内容审核人员可以进行此操作", StaffRole.Moderator))
            .AddPolicy(DisclosureOfficer, policy => policy
                .AddAuthenticationSchemes(StaffTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new StaffRoleRequirement("只有区级政务公开专员可以审核、发布或撤回公开内容", [StaffRole.DisclosureOfficer], districtLevel: true)))
            .AddPolicy(DisclosureReader, policy => policy
                .AddAuthenticationSchemes(StaffTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new StaffRoleRequirement(
                    "只有区级政务公开专员和审计人员可以查看公开审核", [StaffRole.DisclosureOfficer, StaffRole.Auditor], districtLevel: true)));
        services.AddAuthorizationBuilder().AddPolicy(RelayViewer, policy => policy
            .AddAuthenticationSchemes(StaffTokenAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new StaffRoleRequirement(
                "只有系统管理员和区级督办、审计、政务公开人员可以查看省级平台上报状态",
                [StaffRole.Administrator, StaffRole.Supervisor, StaffRole.Auditor, StaffRole.DisclosureOfficer], districtLevel: true)));
        services.AddAuthorizationBuilder()
            .AddPolicy(DisclosureRequestWorker, Staff(
                "只有政务公开专员和承办部门经办人办理政府信息公开申请", StaffRole.DisclosureOfficer, StaffRole.DepartmentHandler))
            .AddPolicy(EnquiryWorker, Staff(
                "只有部门经办人、大厅负责人、督办人员和审计人员办理咨询和“办不成事”反映",
                StaffRole.DepartmentHandler, StaffRole.HallManager, StaffRole.Supervisor, StaffRole.Auditor));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcRefusal>();
        return services;
    }

    private static Action<AuthorizationPolicyBuilder> Device(params DeviceKind[] kinds) => policy => policy
        .AddAuthenticationSchemes(KioskCredentialAuthentication.SchemeName)
        .RequireAuthenticatedUser()
        .AddRequirements(new KioskInService(), new DeviceKindRequirement(kinds));

    private static Action<AuthorizationPolicyBuilder> Staff(string refusal, params StaffRole[] roles) => policy => policy
        .AddAuthenticationSchemes(StaffTokenAuthentication.SchemeName)
        .RequireAuthenticatedUser()
        .AddRequirements(new StaffRoleRequirement(refusal, roles));
}

/// <summary>
/// A signed-in member of staff in one of the roles (and, if <paramref name="districtLevel"/>, bound to no hall); the
/// refusal is what the caller reads otherwise.
/// </summary>
public sealed class StaffRoleRequirement(string refusal, IReadOnlyCollection<StaffRole> roles, bool districtLevel = false)
    : AuthorizationHandler<StaffRoleRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffRoleRequirement requirement)
    {
        if (context.User.StaffAccount() is { } account && roles.Contains(account.Role) && (!districtLevel || account.HallCode is null))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, refusal));
        }

        return Task.CompletedTask;
    }
}

/// <summary>A recognised kiosk that has not been revoked: revocation takes effect on its very next call.</summary>
public sealed class KioskInService : AuthorizationHandler<KioskInService>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, KioskInService requirement)
    {
        switch (context.User.EnrolledKiosk())
        {
            case { IsRevoked: false }:
                context.Succeed(requirement);
                break;
            case { } revoked:
                context.Fail(new AuthorizationFailureReason(this, $"设备 {revoked.DeviceId} 已停用"));
                break;
            default:
                context.Fail();
                break;
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// A device of one of the kinds; any other is refused with what its own kind may do (docs/rules/ratings.md#device-kinds).
/// </summary>
public sealed class DeviceKindRequirement(IReadOnlyCollection<DeviceKind> kinds)
    : AuthorizationHandler<DeviceKindRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, DeviceKindRequirement requirement)
    {
        switch (context.User.EnrolledKiosk())
        {
            case { } device when kinds.Contains(device.Kind):
                context.Succeed(requirement);
                break;
            case { } device:
                context.Fail(new AuthorizationFailureReason(this, device.OutsideItsJob()));
                break;
            default:
                context.Fail();
                break;
        }

        return Task.CompletedTask;
    }
}

using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Accounts;

/// <summary>Scope by default: a role that would see every hall must say so (--district) or name its hall.</summary>
public sealed class AccountScopeTests
{
    [Theory]
    [InlineData(StaffRole.HallManager, null, false, false)]
    [InlineData(StaffRole.Supervisor, null, false, false)]
    [InlineData(StaffRole.Auditor, null, false, false)]
    [InlineData(StaffRole.HallManager, "370104-ZWZX", false, true)]
    [InlineData(StaffRole.HallManager, null, true, true)]
    [InlineData(StaffRole.Supervisor, "370104-ZWZX", true, false)]
    [InlineData(StaffRole.DepartmentHandler, null, false, true)]
    [InlineData(StaffRole.Administrator, null, false, true)]
    [InlineData(StaffRole.Administrator, null, true, false)]
    // The 政务公开 officer is the district's: --district always, never a hall.
    [InlineData(StaffRole.DisclosureOfficer, null, true, true)]
    [InlineData(StaffRole.DisclosureOfficer, null, false, false)]
    [InlineData(StaffRole.DisclosureOfficer, "370104-ZWZX", false, false)]
    [InlineData(StaffRole.DisclosureOfficer, "370104-ZWZX", true, false)]
    public void HallBoundRoles_NeedHallOrDistrict(StaffRole role, string? hall, bool district, bool accepted) =>
        Assert.Equal(accepted, AdminCommand.ScopeIsExplicit(role, hall, district));
}

using System.Security.Claims;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Access;

/// <summary>
/// A signed-in member of staff as ASP.NET Core sees the caller: the account rides along, so a service reads it
/// without a second look-up, and the role is a role claim for the policies.
/// </summary>
public sealed class StaffIdentity(StaffAccount account)
    : ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()), new Claim(ClaimTypes.Name, account.UserName),
         new Claim(ClaimTypes.Role, account.Role.ToString())],
        StaffTokenAuthentication.SchemeName, ClaimTypes.Name, ClaimTypes.Role)
{
    public StaffAccount Account { get; } = account;

    // The framework may clone a principal; a plain ClaimsIdentity would lose the account.
    public override ClaimsIdentity Clone() => new StaffIdentity(Account);
}

/// <summary>An enrolled kiosk or window pad as the caller; also a revoked one, which the Kiosk policy then refuses.</summary>
public sealed class KioskIdentity(EnrolledKiosk kiosk)
    : ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, kiosk.DeviceId), new Claim(ClaimTypes.Name, kiosk.DeviceId)],
        KioskCredentialAuthentication.SchemeName, ClaimTypes.Name, ClaimTypes.Role)
{
    public EnrolledKiosk Kiosk { get; } = kiosk;

    public override ClaimsIdentity Clone() => new KioskIdentity(Kiosk);
}

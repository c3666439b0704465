using System.Security.Claims;
using Grpc.Core;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Access;

/// <summary>
/// Who is calling, as the authentication handlers found them. A service whose method declares a staff or kiosk policy
/// reads its caller here; the pipeline has already refused anyone else.
/// </summary>
public static class Caller
{
    /// <summary>The signed-in account behind a call admitted by a staff policy.</summary>
    public static StaffAccount StaffCaller(this ServerCallContext context) =>
        context.GetHttpContext().User.StaffAccount()
        ?? throw new InvalidOperationException($"{context.Method} reads a staff caller but declares no staff policy");

    /// <summary>The enrolled kiosk behind a call admitted by the Kiosk policy.</summary>
    public static EnrolledKiosk KioskCaller(this ServerCallContext context) =>
        context.GetHttpContext().User.EnrolledKiosk()
        ?? throw new InvalidOperationException($"{context.Method} reads a kiosk caller but declares no kiosk policy");

    internal static StaffAccount? StaffAccount(this ClaimsPrincipal user) =>
        user.Identities.OfType<StaffIdentity>().FirstOrDefault()?.Account;

    internal static EnrolledKiosk? EnrolledKiosk(this ClaimsPrincipal user) =>
        user.Identities.OfType<KioskIdentity>().FirstOrDefault()?.Kiosk;
}

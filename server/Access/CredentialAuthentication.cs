using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Kiosks;

namespace ServiceHall.Server.Access;

/// <summary>
/// The console's sign-in token, sent as "authorization: Bearer &lt;token&gt;". Looked up on every call, so a session
/// that expires ends at once.
/// </summary>
public sealed class StaffTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, StaffSignIn signIn)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "StaffToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Each scheme is named only by its own policies, so a missing credential is this scheme's failure and its
        // message is what the caller reads.
        if (BearerCredential.Of(Request) is not { } token)
        {
            return AuthenticateResult.Fail("需要登录：缺少 authorization: Bearer 令牌");
        }

        var account = await signIn.FindSessionAccountAsync(token, Context.RequestAborted);
        return account is null
            ? AuthenticateResult.Fail("登录已失效，请重新登录")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new StaffIdentity(account)), SchemeName));
    }
}

/// <summary>
/// A kiosk's enrollment credential, sent as "authorization: Bearer &lt;credential&gt;". Looked up on every call and never
/// cached, so a revoked kiosk is refused from its next call on.
/// </summary>
public sealed class KioskCredentialAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KioskRegistry kiosks)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "KioskCredential";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerCredential.Of(Request) is not { } credential)
        {
            return AuthenticateResult.Fail("需要设备凭证：authorization: Bearer <凭证>");
        }

        // A revoked kiosk is still recognised: it is who it says, but the Kiosk policy refuses it (PermissionDenied),
        // and its outbox keeps the ratings until it is enrolled again.
        var kiosk = await kiosks.FindByCredentialAsync(credential, Context.RequestAborted);
        return kiosk is null
            ? AuthenticateResult.Fail("设备凭证无效")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new KioskIdentity(kiosk)), SchemeName));
    }
}

internal static class BearerCredential
{
    /// <summary>The token of an "authorization: Bearer …" header, or null.</summary>
    public static string? Of(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return token.Length > 0 ? token : null;
    }
}

using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Accounts;

namespace ServiceHall.Server.Grpc;

public sealed class AccountGrpcService(StaffSignIn signIn, AccountAdministration administration) : AccountService.AccountServiceBase
{
    [AllowAnonymous]
    public override async Task<SignInResponse> SignIn(SignInRequest request, ServerCallContext context)
    {
        var source = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
        var (token, expiresAt, account) = await signIn.SignInAsync(request.UserName, request.Password, context.CancellationToken, source);
        return new SignInResponse { AccessToken = token, ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt), Account = account.ToProto() };
    }

    [Authorize(Policy = CallerPolicies.SignedIn)]
    public override async Task<SignOutResponse> SignOut(SignOutRequest request, ServerCallContext context)
    {
        await signIn.SignOutAsync(context.StaffCaller(), Token(context), context.CancellationToken);
        return new SignOutResponse();
    }

    [Authorize(Policy = CallerPolicies.SignedIn)]
    public override async Task<ChangePasswordResponse> ChangePassword(ChangePasswordRequest request, ServerCallContext context)
    {
        await signIn.ChangePasswordAsync(context.StaffCaller(), Token(context), request.OldPassword, request.NewPassword, context.CancellationToken);
        return new ChangePasswordResponse();
    }

    [Authorize(Policy = CallerPolicies.Administrator)]
    public override async Task<UnlockAccountResponse> UnlockAccount(UnlockAccountRequest request, ServerCallContext context)
    {
        await administration.UnlockAsync(request.UserName, context.StaffCaller().UserName, context.CancellationToken);
        return new UnlockAccountResponse();
    }

    [Authorize(Policy = CallerPolicies.Administrator)]
    public override async Task<SetAccountDisabledResponse> SetAccountDisabled(SetAccountDisabledRequest request, ServerCallContext context)
    {
        await administration.SetDisabledAsync(request.UserName, request.Disabled, context.StaffCaller().UserName, context.CancellationToken);
        return new SetAccountDisabledResponse();
    }

    [Authorize(Policy = CallerPolicies.Administrator)]
    public override async Task<ListAccountsResponse> ListAccounts(ListAccountsRequest request, ServerCallContext context)
    {
        var response = new ListAccountsResponse();
        response.Accounts.AddRange((await administration.ListAsync(context.CancellationToken)).Select(a => new AccountStanding
        {
            Account = a.Account.ToProto(),
            FailedSignIns = a.Standing.FailedSignIns,
            LockedUntil = a.Standing.LockedUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            Disabled = a.Standing.IsDisabled,
        }));
        return response;
    }

    [Authorize(Policy = CallerPolicies.SecurityAuditor)]
    public override async Task<ListSecurityEventsResponse> ListSecurityEvents(ListSecurityEventsRequest request, ServerCallContext context)
    {
        var response = new ListSecurityEventsResponse();
        response.Events.AddRange((await administration.SecurityLogAsync(context.CancellationToken)).Select(e => new SecurityEvent
        {
            At = Timestamp.FromDateTimeOffset(e.At), Kind = e.Kind, UserName = e.UserName, Source = e.Source, Detail = e.Detail,
        }));
        return response;
    }

    // A staff policy admitted the call, so the bearer token is there.
    private static string Token(ServerCallContext context) => BearerCredential.Of(context.GetHttpContext().Request)!;
}

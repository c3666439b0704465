using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;

namespace ServiceHall.Server.Grpc;

public sealed class AccountGrpcService(StaffSignIn signIn) : AccountService.AccountServiceBase
{
    [AllowAnonymous]
    public override async Task<SignInResponse> SignIn(SignInRequest request, ServerCallContext context)
    {
        var (token, expiresAt, account) = await signIn.SignInAsync(request.UserName, request.Password, context.CancellationToken);
        return new SignInResponse { AccessToken = token, ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt), Account = account.ToProto() };
    }
}

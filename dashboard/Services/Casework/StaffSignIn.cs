using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>
/// Exchanges a user name and password for a token (<c>AccountService.SignIn</c>) and starts the session; signing out
/// ends the token on the server (<c>AccountService.SignOut</c>) as well as in this tab.
/// </summary>
public sealed class StaffSignIn(AccountService.AccountServiceClient client, ConsoleSession session, ILogger<StaffSignIn> logger)
{
    public const string WrongCredentials = "用户名或密码不正确";

    /// <summary>Null when signed in; otherwise the message to show.</summary>
    public async Task<string?> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return "请输入用户名和密码";
        }

        SignInResponse response;
        try
        {
            response = await client.SignInAsync(
                new SignInRequest { UserName = userName.Trim(), Password = password },
                deadline: DateTime.UtcNow + CaseClient.CallTimeout,
                cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            return WrongCredentials;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            return ConsoleCallException.From(ex).UserMessage;
        }
        catch (RpcException ex)
        {
            logger.LogWarning("Sign-in failed with {StatusCode}: {Detail}", ex.StatusCode, ex.Status.Detail);
            return ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
                ? "暂时无法连接服务器，请稍后重试"
                : "登录失败：" + ex.Status.Detail;
        }

        if (response.Account is null || string.IsNullOrEmpty(response.AccessToken) || response.ExpiresAt is null)
        {
            logger.LogError("The server answered a sign-in without a token, expiry or account");
            return "登录失败：服务器的应答不完整";
        }

        var account = response.Account.ToStaffAccount();
        await session.SignInAsync(new ConsoleCredentials(response.AccessToken, response.ExpiresAt.ToDateTimeOffset(), account));
        logger.LogInformation("{UserName} signed in to the console as {Role}", account.UserName, account.Role);
        return null;
    }

    /// <summary>
    /// Revokes the token on the server, then forgets it here. The tab forgets it even when the server cannot be
    /// reached: the token then ends at its idle timeout.
    /// </summary>
    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        if (session.Credentials is { } credentials)
        {
            try
            {
                await client.SignOutAsync(
                    new SignOutRequest(),
                    new Metadata { { "authorization", "Bearer " + credentials.AccessToken } },
                    deadline: DateTime.UtcNow + CaseClient.CallTimeout,
                    cancellationToken: cancellationToken);
            }
            catch (RpcException ex)
            {
                logger.LogWarning("Sign-out was not confirmed by the server ({StatusCode}); the token ends at its idle timeout", ex.StatusCode);
            }
        }

        await session.SignOutAsync();
    }
}

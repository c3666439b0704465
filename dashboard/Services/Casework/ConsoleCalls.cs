using Grpc.Core;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>How every console call goes out: with the signed-in user's bearer token, failures as ConsoleCallException.</summary>
public static class ConsoleCalls
{
    /// <summary>
    /// Makes one unary call for the signed-in user. An Unauthenticated answer also ends the session, which sends the
    /// console back to sign-in.
    /// </summary>
    public static async Task<TResponse> CallAsync<TResponse>(this ConsoleSession session, Func<Metadata, AsyncUnaryCall<TResponse>> call)
    {
        if (session.Credentials is not { } credentials)
        {
            await session.SignOutAsync("登录已过期，请重新登录。");
            throw new ConsoleCallException(ConsoleFailure.SignInRequired, "not signed in");
        }

        try
        {
            return await call(CaseClient.AuthorizationHeaders(credentials));
        }
        catch (RpcException ex)
        {
            var failure = ConsoleCallException.From(ex);
            if (failure.Failure == ConsoleFailure.SignInRequired)
            {
                await session.SignOutAsync("登录已失效，请重新登录。");
            }

            throw failure;
        }
    }
}

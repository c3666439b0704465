using Grpc.Core;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Grpc;

internal static class StaffCalls
{
    /// <summary>The signed-in account behind the call's "authorization: Bearer …" header.</summary>
    public static Task<StaffAccount> CallerAsync(this StaffSignIn signIn, ServerCallContext context) =>
        signIn.AuthenticateAsync(context.BearerToken(), context.CancellationToken);

    /// <summary>
    /// Ends a server stream when its caller leaves or the server stops, so watchers reconnect at once instead of holding
    /// the shutdown up or showing stale data as live.
    /// </summary>
    public static CancellationTokenSource StreamLifetime(this ServerCallContext context, IHostApplicationLifetime lifetime) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    /// <summary>The token of an "authorization: Bearer …" header, or null.</summary>
    public static string? BearerToken(this ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}

using Grpc.Core;

namespace ServiceHall.Server.Grpc;

internal static class StreamCalls
{
    /// <summary>
    /// Ends a server stream when its caller leaves or the server stops, so watchers reconnect at once instead of holding
    /// the shutdown up or showing stale data as live.
    /// </summary>
    public static CancellationTokenSource StreamLifetime(this ServerCallContext context, IHostApplicationLifetime lifetime) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
}

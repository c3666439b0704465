using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// Tells the server every 30 seconds that this kiosk is alive and how its outbox is doing, so the fleet view can warn
/// a hall manager about a silent kiosk or ratings piling up on it.
/// </summary>
public sealed class HeartbeatSender(
    Outbox outbox, KioskService.KioskServiceClient client, TimeProvider timeProvider, ILogger<HeartbeatSender> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private static readonly string Version =
        typeof(HeartbeatSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (RpcException e)
            {
                // The server is away or refuses this kiosk; the outbox sender reports that on the maintenance page.
                logger.LogDebug("Heartbeat not delivered: {Status}", e.StatusCode);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task ReportAsync(CancellationToken cancellationToken)
    {
        var lastDelivery = await outbox.GetLastDeliveryAsync(cancellationToken);
        var request = new ReportHeartbeatRequest
        {
            Version = Version,
            OutboxDepth = await outbox.GetDepthAsync(cancellationToken),
            OldestPendingSeconds = (int)((await outbox.GetOldestPendingAgeAsync(cancellationToken))?.TotalSeconds ?? 0),
            LastDeliveryAt = lastDelivery is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            RejectedCount = (await outbox.GetRecentRejectedAsync(1000, cancellationToken)).Count,
        };
        await client.ReportHeartbeatAsync(request, deadline: timeProvider.GetUtcNow().UtcDateTime.Add(ServiceHallClient.CallTimeout), cancellationToken: cancellationToken);
    }
}

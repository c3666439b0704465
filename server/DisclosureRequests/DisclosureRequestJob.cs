using Microsoft.Extensions.Options;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Instances;

namespace ServiceHall.Server.DisclosureRequests;

/// <summary>
/// Takes the server's own steps on information-disclosure requests on the same timer as the 差评 overdue scan
/// (<c>Cases:DeadlineScanSeconds</c>): escalates each reply deadline missed, once, and lapses each request whose supplement
/// period ended (docs/rules/disclosure-requests.md#the-clock). Of several instances on one database, only the leader runs it.
/// </summary>
public sealed class DisclosureRequestJob(
    DisclosureRequestDesk desk, IJobLeadership leadership, TimeProvider time, IOptions<CaseOptions> options, ILogger<DisclosureRequestJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.DeadlineScanSeconds), time);
        do
        {
            await leadership.WaitUntilLeaderAsync(stoppingToken);
            if (await desk.RunOverdueAsync(stoppingToken) is > 0 and var changed)
            {
                logger.LogWarning("{Count} information-disclosure requests escalated or lapsed", changed);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

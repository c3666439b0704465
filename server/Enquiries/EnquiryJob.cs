using Microsoft.Extensions.Options;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Instances;

namespace ServiceHall.Server.Enquiries;

/// <summary>
/// Escalates each question not answered and each report not concluded within its limit, once, on the same timer as the 差评
/// overdue scan (<c>Cases:DeadlineScanSeconds</c>; docs/rules/questions-and-reports.md#time-limits). Of several instances on
/// one database, only the leader runs it.
/// </summary>
public sealed class EnquiryJob(EnquiryDesk desk, IJobLeadership leadership, TimeProvider time, IOptions<CaseOptions> options, ILogger<EnquiryJob> logger)
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
                logger.LogWarning("{Count} questions or could-not-get-it-done reports escalated as overdue", changed);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Instances;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Cases;

/// <summary>
/// Looks at open cases on a timer and escalates each case whose deadline has passed to the hall manager (督办), once.
/// Warnings before a deadline need no job: the console computes them from the deadlines on every view. Of several
/// instances on one database, only the one leading runs it.
/// </summary>
public sealed class OverdueCaseJob(
    ICaseStore store, CaseTimeLimits limits, ChangeFeed changes, IJobLeadership leadership, TimeProvider time, IOptions<CaseOptions> options,
    ILogger<OverdueCaseJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.DeadlineScanSeconds), time);
        do
        {
            await leadership.WaitUntilLeaderAsync(stoppingToken);
            await EscalateOverdueAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    // Cases escalated per scan at most; the rest wait for the next scan.
    private const int ScanLimit = 5_000;

    public async Task<int> EscalateOverdueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var escalated = 0;
        // Only cases past a deadline and not escalated yet: the scan's cost follows the overdue cases, not all open ones.
        foreach (var c in await store.ListEscalationCandidatesAsync(now, ScanLimit, cancellationToken))
        {
            var report = c.DeadlineStatusAt(now, limits);
            var overdue = report.Contact == DeadlineStatus.Overdue ? "首次联系" : report.Rectification == DeadlineStatus.Overdue ? "整改反馈" : null;
            if (overdue is null || c.IsEscalated)
            {
                continue;
            }

            var eventsBefore = c.Events.Count;
            c.Escalate(Actor.System, $"{overdue}已逾期，自动升级至大厅负责人督办", now);
            try
            {
                await store.SaveCaseAsync(c, eventsBefore, cancellationToken);
            }
            catch (ConcurrentChangeException)
            {
                // Someone acted on the case meanwhile; the next scan sees it as it is now.
                continue;
            }

            changes.CaseChanged(c, opened: false);
            logger.LogWarning("Case {CaseId} overdue ({Stage}); escalated to the hall manager", c.Id, overdue);
            escalated++;
        }

        return escalated;
    }
}

using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Instances;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Cases;

/// <summary>
/// Looks at open cases on a timer and escalates (督办) each deadline a case missed, once per deadline and tier: to the hall
/// manager when it passes, to the district supervisor when it is still not met some working days later.
/// Warnings before a deadline need no job: the console computes them from the deadlines on every view. Of several
/// instances on one database, only the one leading runs it.
/// </summary>
public sealed class OverdueCaseJob(
    ICaseStore store, ChangeFeed changes, IJobLeadership leadership, TimeProvider time, IOptions<CaseOptions> options,
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
        // Only cases with a deadline missed and not escalated for yet: the scan's cost follows the overdue cases, not all
        // open ones. Each missed deadline escalates once, as its own audit event (contact, rectification, its extension,
        // a reopened round's); a manual escalation does not stop them.
        foreach (var c in await store.ListEscalationCandidatesAsync(now, ScanLimit, cancellationToken))
        {
            var eventsBefore = c.Events.Count;
            var missed = c.EscalateMissedDeadlines(now);
            if (missed.Count == 0)
            {
                continue;
            }

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
            logger.LogWarning(
                "Case {CaseId} overdue ({Stages}); escalated", c.Id, string.Join(", ", missed.Select(d => $"{d.Stage} → {d.Tier}")));
            escalated += missed.Count;
        }

        return escalated;
    }
}

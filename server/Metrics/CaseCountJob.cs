using Microsoft.Extensions.Options;
using ServiceHall.Server.Relay;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Metrics;

/// <summary>Recounts open and overdue cases (and the provincial upload queue) for the metrics every <see cref="MetricsOptions.CaseCountSeconds"/>, not on every scrape.</summary>
public sealed class CaseCountJob(
    ICaseStore cases, ProvincialUploadQueue uploads, ServerMetrics metrics, TimeProvider time, IOptions<MetricsOptions> options,
    IOptions<ProvincialRelayOptions> relay, ILogger<CaseCountJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CaseCountSeconds));
        do
        {
            try
            {
                metrics.CasesCounted(await cases.CountOpenCasesAsync(time.GetUtcNow(), stoppingToken));
                if (relay.Value.IsEnabled)
                {
                    // Read from the queue on every instance, so whichever one is scraped tells how the upload stands.
                    metrics.RelayCounted(
                        await uploads.ReadStatusAsync(stoppingToken), time.GetUtcNow(), TimeSpan.FromMinutes(relay.Value.StalledAfterMinutes));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Open cases not counted for the metrics; trying again in {Seconds} s", options.Value.CaseCountSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

using Grpc.Core;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// Delivers the outbox to the server in batches of up to 50. A stored or already-stored rating is marked
/// delivered, a rejected one is kept as rejected and never resent; when the call fails the batch stays pending
/// and the sender backs off (1 s doubling to 30 s), waking at once when a new rating is enqueued.
/// The UI never waits on any of this.
/// </summary>
public sealed class OutboxSender(
    Outbox outbox,
    ServiceHallClient client,
    TimeProvider timeProvider,
    ILogger<OutboxSender> logger) : BackgroundService
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    /// <summary>With nothing pending the sender still looks at the outbox this often, in case a signal was missed.</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);

    private TimeSpan _backoff = TimeSpan.Zero;

    /// <summary>When the last delivery attempt ended, and how (null error = it reached the server).</summary>
    public DateTimeOffset? LastAttemptAt { get; private set; }

    /// <summary>Why the last attempt failed, for the maintenance page; null after a successful call.</summary>
    public string? LastError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await DeliverOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Never let the sender die (that would stop the host): the ratings stay safe in the outbox.
                logger.LogError(ex, "The outbox sender failed unexpectedly; trying again in {Backoff}", MaxBackoff);
                LastError = ex.Message;
                wait = MaxBackoff;
            }
            await WaitAsync(wait, stoppingToken);
        }
    }

    /// <summary>Sends one batch and returns how long to wait before the next attempt.</summary>
    internal async Task<TimeSpan> DeliverOnceAsync(CancellationToken cancellationToken)
    {
        var batch = await outbox.GetPendingBatchAsync(Outbox.MaxBatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return IdlePoll;
        }
        try
        {
            var results = await client.SubmitRatingsAsync(batch, cancellationToken);
            await outbox.RecordResultsAsync(results, cancellationToken);
            _backoff = TimeSpan.Zero;
            LastAttemptAt = timeProvider.GetUtcNow();
            LastError = null;
            foreach (var rejected in results.Where(r => r.Outcome == DeliveryOutcome.Rejected))
            {
                logger.LogWarning("Rating {RatingId} rejected by the server: {Field} {Reason}",
                    rejected.RatingId, rejected.Field, rejected.Reason);
            }
            logger.LogInformation("Delivered {Count} ratings", results.Count);
            // A full batch suggests more are waiting: go again at once.
            return batch.Count == Outbox.MaxBatchSize ? TimeSpan.Zero : IdlePoll;
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            _backoff = _backoff == TimeSpan.Zero ? FirstBackoff : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
            LastAttemptAt = timeProvider.GetUtcNow();
            LastError = ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;
            await outbox.RecordFailedAttemptAsync(batch.Select(r => r.Id), cancellationToken);
            logger.LogWarning("Delivering {Count} ratings failed ({Error}); retrying in {Backoff}",
                batch.Count, LastError, _backoff);
            return _backoff;
        }
    }

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        RpcException => true,
        // The server's answer did not account for every rating: nothing is marked, the batch is retried.
        InvalidOperationException => true,
        HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(wait, timeProvider, linked.Token);
        var enqueued = outbox.WaitForEnqueueAsync(linked.Token);
        await Task.WhenAny(delay, enqueued);
        await linked.CancelAsync();
        // Observe the loser's cancellation so it is not reported as unobserved.
        await Task.WhenAll(delay, enqueued).ContinueWith(static _ => { }, TaskScheduler.Default);
    }
}

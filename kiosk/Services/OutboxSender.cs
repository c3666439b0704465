using Grpc.Core;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// Delivers the outbox to the server in batches of up to 50. A stored or already-stored rating is marked
/// delivered, a rejected one is kept as rejected and never resent; when the call fails the batch stays pending
/// and the sender retries with the shared backoff (<see cref="Reconnect"/>: 1 s doubling to 30 s by default), waking
/// at once when a new rating is enqueued. The UI never waits on any of this.
/// </summary>
public sealed class OutboxSender : BackgroundService
{
    /// <summary>With nothing pending the sender still looks at the outbox this often, in case a signal was missed.</summary>
    public static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);

    private readonly Outbox _outbox;
    private readonly ServiceHallClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OutboxSender> _logger;
    private readonly Reconnect _retry;

    public OutboxSender(
        Outbox outbox,
        ServiceHallClient client,
        TimeProvider timeProvider,
        ILogger<OutboxSender> logger,
        ReconnectOptions? reconnect = null)
    {
        _outbox = outbox;
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        // Every failure is retried, so the sender never dies (that would stop the host): the ratings stay safe in the
        // outbox whatever went wrong.
        _retry = new Reconnect(reconnect ?? new ReconnectOptions(), timeProvider, static _ => true);
        _retry.Disconnected += OnRetrying;
    }

    /// <summary>When the last delivery attempt ended, and how (null error = it reached the server).</summary>
    public DateTimeOffset? LastAttemptAt { get; private set; }

    /// <summary>Why the last attempt failed, for the maintenance page; null after a successful call.</summary>
    public string? LastError { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DeliveryLoop.RunAsync(_retry, _timeProvider, _outbox.WaitForEnqueueAsync, DeliverOnceAsync, stoppingToken);

    /// <summary>
    /// Sends one batch and returns how long to wait before looking again (zero when more are waiting); throws when the
    /// call failed, after noting the attempt.
    /// </summary>
    internal async Task<TimeSpan> DeliverOnceAsync(CancellationToken cancellationToken)
    {
        var batch = await _outbox.GetPendingBatchAsync(Outbox.MaxBatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return IdlePoll;
        }
        try
        {
            var results = await _client.SubmitRatingsAsync(batch, cancellationToken);
            await _outbox.RecordResultsAsync(results, cancellationToken);
            LastAttemptAt = _timeProvider.GetUtcNow();
            LastError = null;
            foreach (var rejected in results.Where(r => r.Outcome == DeliveryOutcome.Rejected))
            {
                _logger.LogWarning("Rating {RatingId} rejected by the server: {Field} {Reason}",
                    rejected.RatingId, rejected.Field, rejected.Reason);
            }
            _logger.LogInformation("Delivered {Count} ratings", results.Count);
            // A full batch suggests more are waiting: go again at once.
            return batch.Count == Outbox.MaxBatchSize ? TimeSpan.Zero : IdlePoll;
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            LastAttemptAt = _timeProvider.GetUtcNow();
            LastError = ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;
            await _outbox.RecordFailedAttemptAsync(batch.Select(r => r.Id), cancellationToken);
            _logger.LogWarning("Delivering {Count} ratings failed ({Error}); retrying", batch.Count, LastError);
            throw;
        }
    }

    private void OnRetrying(ReconnectWait wait)
    {
        if (wait.Error is { } error && !IsTransient(error, CancellationToken.None))
        {
            _logger.LogError(error, "The outbox sender failed unexpectedly; trying again in {Backoff}", wait.Delay);
            LastError = error.Message;
            return;
        }
        _logger.LogDebug("Trying the outbox again in {Backoff}", wait.Delay);
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
}

using Grpc.Core;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// Reports the pad's unrated transactions to the server (RecordNotRated) from the outbox's not-rated table, backing
/// off (1 s doubling to 30 s) while the server is away. FailedPrecondition means the transaction was rated meanwhile
/// (a late rating by short code): nothing more to report.
/// </summary>
public sealed class NotRatedSender(
    Outbox outbox,
    TransactionClient client,
    TimeProvider timeProvider,
    ILogger<NotRatedSender> logger) : BackgroundService
{
    private TimeSpan _backoff = TimeSpan.Zero;

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
                logger.LogError(ex, "The not-rated sender failed unexpectedly; trying again in {Backoff}", OutboxSender.MaxBackoff);
                wait = OutboxSender.MaxBackoff;
            }
            try
            {
                await Task.Delay(wait, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reports every pending transaction once; returns how long to wait before the next round.</summary>
    internal async Task<TimeSpan> DeliverOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var number in await outbox.GetPendingNotRatedAsync(cancellationToken))
        {
            try
            {
                await client.RecordNotRatedAsync(number, cancellationToken);
                await outbox.MarkNotRatedDoneAsync(number, cancellationToken);
                logger.LogInformation("Transaction {TransactionNumber} recorded 未评价 on the server", number);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument)
            {
                // Rated meanwhile, or the server does not know it: it answered, and retrying would not change that.
                await outbox.MarkNotRatedDoneAsync(number, cancellationToken);
                logger.LogWarning("Transaction {TransactionNumber} not recorded 未评价: {Status} {Detail}", number, ex.StatusCode, ex.Status.Detail);
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await outbox.RecordNotRatedAttemptAsync(number, cancellationToken);
                _backoff = _backoff == TimeSpan.Zero ? OutboxSender.FirstBackoff
                    : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, OutboxSender.MaxBackoff.Ticks));
                logger.LogWarning("Reporting transaction {TransactionNumber} 未评价 failed ({Error}); retrying in {Backoff}",
                    number, ex.Message, _backoff);
                return _backoff;
            }
        }
        _backoff = TimeSpan.Zero;
        // Idle: look again soon; a pad's timeouts are rare and a few seconds' delay costs nothing.
        return TimeSpan.FromSeconds(2);
    }
}

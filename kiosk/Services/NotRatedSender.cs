using Grpc.Core;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// Reports the pad's unrated transactions to the server (RecordNotRated) from the outbox's not-rated table, retrying
/// with the shared backoff (<see cref="Reconnect"/>) while the server is away. FailedPrecondition means the transaction
/// was rated meanwhile (a late rating by short code): nothing more to report.
/// </summary>
public sealed class NotRatedSender : BackgroundService
{
    /// <summary>Idle, the sender looks again this soon; a pad's timeouts are rare and a few seconds' delay costs nothing.</summary>
    internal static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);

    private readonly Outbox _outbox;
    private readonly TransactionClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<NotRatedSender> _logger;
    private readonly Reconnect _retry;

    public NotRatedSender(
        Outbox outbox,
        TransactionClient client,
        TimeProvider timeProvider,
        ILogger<NotRatedSender> logger,
        ReconnectOptions? reconnect = null)
    {
        _outbox = outbox;
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        // Every failure is retried: the reports stay in the outbox, and the sender must not stop the host.
        _retry = new Reconnect(reconnect ?? new ReconnectOptions(), timeProvider, static _ => true);
        _retry.Disconnected += OnRetrying;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _retry.RetryAsync(async token =>
                {
                    await DeliverOnceAsync(token);
                    return true;
                }, stoppingToken);
                await Task.Delay(IdlePoll, _timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Reports every pending transaction once; throws when the server could not be reached, after noting the attempt.</summary>
    internal async Task DeliverOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var number in await _outbox.GetPendingNotRatedAsync(cancellationToken))
        {
            try
            {
                await _client.RecordNotRatedAsync(number, cancellationToken);
                await _outbox.MarkNotRatedDoneAsync(number, cancellationToken);
                _logger.LogInformation("Transaction {TransactionNumber} recorded 未评价 on the server", number);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.InvalidArgument)
            {
                // Rated meanwhile, or the server does not know it: it answered, and retrying would not change that.
                await _outbox.MarkNotRatedDoneAsync(number, cancellationToken);
                _logger.LogWarning("Transaction {TransactionNumber} not recorded 未评价: {Status} {Detail}", number, ex.StatusCode, ex.Status.Detail);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                await _outbox.RecordNotRatedAttemptAsync(number, cancellationToken);
                _logger.LogWarning("Reporting transaction {TransactionNumber} 未评价 failed ({Error}); retrying", number, ex.Message);
                throw;
            }
        }
    }

    private void OnRetrying(ReconnectWait wait)
    {
        if (wait.Error is { } error && !IsTransient(error, CancellationToken.None))
        {
            _logger.LogError(error, "The not-rated sender failed unexpectedly; trying again in {Backoff}", wait.Delay);
            return;
        }
        _logger.LogDebug("Reporting 未评价 again in {Backoff}", wait.Delay);
    }

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        ex is RpcException or HttpRequestException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}

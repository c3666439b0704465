using Microsoft.Extensions.Options;
using ServiceHall.Kiosk.Rating;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The invitation a window pad is showing (一次一评): one transaction at a time, offered for
/// <see cref="KioskOptions.PadRatingSeconds"/> (each touch restarts them, and no countdown is shown — 适老化 specs).
/// When the time runs out unrated, the transaction is written to the outbox's not-rated table, never as a rating
/// (GB/T 39734: no silent defaults); <see cref="NotRatedSender"/> reports it to the server.
/// </summary>
public sealed class PadInvitation : IDisposable
{
    private readonly Outbox _outbox;
    private readonly KioskOptions _options;
    private readonly ILogger<PadInvitation> _logger;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();

    public PadInvitation(Outbox outbox, IOptions<KioskOptions> options, TimeProvider timeProvider, ILogger<PadInvitation> logger)
    {
        _outbox = outbox;
        _options = options.Value;
        _logger = logger;
        _timer = timeProvider.CreateTimer(_ => _ = ExpireAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The transaction waiting for its rating, or null when the pad is idle.</summary>
    public TransactionTarget? Current { get; private set; }

    /// <summary>Raised (on any thread) when an invitation arrives or ends.</summary>
    public event Action? Changed;

    /// <summary>
    /// A new transaction finished at the window. One that was still waiting is recorded 未评价 first: the next
    /// citizen is at the counter.
    /// </summary>
    public async Task OfferAsync(TransactionTarget transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        TransactionTarget? previous;
        lock (_lock)
        {
            previous = Current;
            Current = transaction;
            _timer.Change(TimeSpan.FromSeconds(_options.PadRatingSeconds), Timeout.InfiniteTimeSpan);
        }
        if (previous is not null && previous.TransactionNumber != transaction.TransactionNumber)
        {
            await _outbox.EnqueueNotRatedAsync(previous.TransactionNumber, cancellationToken);
        }
        Changed?.Invoke();
    }

    /// <summary>The citizen is still at it: give the full time again.</summary>
    public void Touch()
    {
        lock (_lock)
        {
            if (Current is not null)
            {
                _timer.Change(TimeSpan.FromSeconds(_options.PadRatingSeconds), Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The rating of this transaction is in the outbox: the invitation is over (one rating per transaction).</summary>
    public void MarkRated(string transactionNumber)
    {
        lock (_lock)
        {
            if (Current?.TransactionNumber != transactionNumber)
            {
                return;
            }
            Current = null;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        Changed?.Invoke();
    }

    public void Dispose() => _timer.Dispose();

    internal async Task ExpireAsync()
    {
        TransactionTarget? expired;
        lock (_lock)
        {
            expired = Current;
            Current = null;
        }
        if (expired is null)
        {
            return;
        }
        try
        {
            await _outbox.EnqueueNotRatedAsync(expired.TransactionNumber);
            _logger.LogInformation("Transaction {TransactionNumber} not rated on the pad; recorded 未评价", expired.TransactionNumber);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not keep transaction {TransactionNumber} as not rated", expired.TransactionNumber);
        }
        Changed?.Invoke();
    }
}

using Microsoft.Extensions.Options;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Rating;

/// <summary>Where a window pad's screen should go after <see cref="WindowPad.Follow"/>.</summary>
public enum PadScreen
{
    /// <summary>Nothing to change.</summary>
    Stay,

    /// <summary>The rating of the pad's transaction, just started.</summary>
    Rate,

    /// <summary>The idle screen: the transaction's rating was taken away.</summary>
    Idle,
}

/// <summary>
/// A window pad's flow (一次一评) in one place, free of UI types. The pad waits for its window's next finished
/// transaction (<see cref="WindowWatcher"/> offers it), shows it for <see cref="KioskOptions.PadRatingSeconds"/> (each
/// touch restarts them, and no countdown is shown — 适老化 specs) and hands it to the screen's rating session. When the
/// time runs out unrated, the transaction is written to the outbox's not-rated table, never as a rating (GB/T 39734: no
/// silent defaults); <see cref="NotRatedSender"/> reports it to the server. One per kiosk: the pad's screen may come
/// back with a new circuit and finds the transaction still on offer.
/// </summary>
public sealed class WindowPad : IDisposable
{
    private readonly Outbox _outbox;
    private readonly KioskOptions _options;
    private readonly ILogger<WindowPad> _logger;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();

    public WindowPad(Outbox outbox, IOptions<KioskOptions> options, TimeProvider timeProvider, ILogger<WindowPad> logger)
    {
        _outbox = outbox;
        _options = options.Value;
        _logger = logger;
        _timer = timeProvider.CreateTimer(_ => _ = ExpireAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True on a window pad; a hall terminal never has a transaction on offer.</summary>
    public bool IsEnabled => _options.IsWindowPad;

    /// <summary>The window this pad stands on (set on a pad).</summary>
    public string? WindowCode => _options.WindowCode;

    /// <summary>The transaction waiting for its rating, or null while the pad waits for the next one.</summary>
    public TransactionTarget? Current { get; private set; }

    /// <summary>Raised (on any thread) when a transaction is offered or its offer ends.</summary>
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

    /// <summary>
    /// Brings a screen's rating session in line with the pad, after <see cref="Changed"/>: a new transaction opens its
    /// rating at once; a transaction whose time ran out takes an unfinished rating of it away. A saved rating keeps its
    /// thank-you.
    /// </summary>
    public PadScreen Follow(RatingSession session, HallCatalog? catalog)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Current is { } offered)
        {
            if (session.Transaction?.TransactionNumber == offered.TransactionNumber || catalog is null)
            {
                return PadScreen.Stay;
            }
            session.StartForTransaction(catalog, offered, KioskChannel.HallPad);
            return PadScreen.Rate;
        }
        // A saved rating keeps its thank-you, and a good level recorded on its tap its few seconds to add a reason.
        if (session.Transaction is not null && session.Step is not (RatingStep.ThankYou or RatingStep.Recorded or RatingStep.NotStarted))
        {
            session.Cancel();
            return PadScreen.Idle;
        }
        return PadScreen.Stay;
    }

    /// <summary>The citizen starts the rating of the transaction on offer from the idle screen (after leaving it, say).</summary>
    public void StartRating(RatingSession session, HallCatalog catalog, TransactionTarget transaction)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.StartForTransaction(catalog, transaction, KioskChannel.HallPad);
    }

    /// <summary>The rating of this transaction is in the outbox: its offer is over (one rating per transaction).</summary>
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

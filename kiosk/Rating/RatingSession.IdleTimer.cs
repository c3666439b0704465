namespace ServiceHall.Kiosk.Rating;

/// <summary>The idle timeout, the "还在吗？" prompt, the recorded and thank-you pauses, and the way home.</summary>
public sealed partial class RatingSession
{
    /// <summary>
    /// While the idle timeout has run out and the screen asks "还在吗？": when it goes home unless touched. Null otherwise.
    /// </summary>
    public DateTimeOffset? StillThereUntil { get; private set; }

    /// <summary>On the recorded step: when the screen closes unless touched.</summary>
    public DateTimeOffset? ClosesAt { get; private set; }

    /// <summary>When the last touch was registered.</summary>
    public DateTimeOffset LastActivity { get; private set; }

    /// <summary>
    /// Raised (on a timer thread) when the kiosk should go back to its home screen: after the idle timeout, or
    /// when the thank-you pause is over.
    /// </summary>
    public event Action? HomeRequested;

    /// <summary>
    /// A touch anywhere: restarts the idle timeout (the thank-you pause keeps its own, shorter time). Called again after
    /// the citizen switches 关怀版 on, so the longer timeout applies at once.
    /// </summary>
    public void Touch()
    {
        bool wasAsking;
        lock (_lock)
        {
            wasAsking = StillThereUntil is not null;
            if (Step == RatingStep.Recorded)
            {
                ArmRecordedTimer();
            }
            else if (Step != RatingStep.ThankYou)
            {
                ArmIdleTimer();
            }
        }
        if (wasAsking)
        {
            Changed?.Invoke();
        }
    }

    public void Dispose()
    {
        KioskRating? final;
        lock (_lock)
        {
            final = TakeHeldFinal();
        }
        if (final is not null)
        {
            // The screen went away (the browser closed) while a good rating was held: it is sent as it stands.
            _ = ReleaseAsync(final, CancellationToken.None);
        }
        _timer.Dispose();
    }

    private void ArmIdleTimer()
    {
        LastActivity = _timeProvider.GetUtcNow();
        StillThereUntil = null;
        ClosesAt = null;
        _timer.Change(_preferences.IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    private void ArmRecordedTimer()
    {
        LastActivity = _timeProvider.GetUtcNow();
        StillThereUntil = null;
        ClosesAt = LastActivity + _preferences.RecordedTimeout;
        _timer.Change(_preferences.RecordedTimeout, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        KioskRating? final = null;
        var asking = false;
        lock (_lock)
        {
            // A rating being written is saved and thanked for; the thank-you pause then sends the kiosk home.
            if (_submitting)
            {
                return;
            }
            if (Step == RatingStep.Recorded || _held is not null)
            {
                // The few seconds to add to a good rating are over (or the citizen left while changing it): it is sent.
                final = TakeHeldFinal();
                Clear();
                _catalog = null;
            }
            else if (Step != RatingStep.ThankYou && StillThereUntil is null)
            {
                // Before anything is discarded, the screen asks whether the citizen is still there, with a countdown.
                StillThereUntil = _timeProvider.GetUtcNow() + _preferences.StillThereTimeout;
                _timer.Change(_preferences.StillThereTimeout, Timeout.InfiniteTimeSpan);
                asking = true;
            }
            else
            {
                Clear();
                _catalog = null;
            }
        }
        if (asking)
        {
            Changed?.Invoke();
            return;
        }
        if (final is not null)
        {
            _ = ReleaseAsync(final, CancellationToken.None);
        }
        // The next citizen starts with the standard screen (关怀版 and language last one visit).
        _preferences.Reset();
        Changed?.Invoke();
        HomeRequested?.Invoke();
    }
}

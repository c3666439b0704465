namespace ServiceHall.Kiosk.Rating;

/// <summary>The rating's writes to the outbox: a good level held while it may change, a 差评 once complete.</summary>
public sealed partial class RatingSession
{
    /// <summary>
    /// Chooses the level. A good level (非常满意/满意/基本满意) is recorded at once — written to the outbox, held there
    /// while the recorded screen lets the citizen add reasons or change the level — and the pad's transaction counts as
    /// rated. A 差评 moves on to the reasons step; a good level recorded before and now changed into a 差评 is taken
    /// back, so only the 差评 is recorded, once it is complete. Tags that do not fit the new level are dropped.
    /// </summary>
    public async Task<LevelResult> ChooseLevelAsync(SatisfactionLevel level, CancellationToken cancellationToken = default)
    {
        KioskRating? withdraw = null;
        KioskRating? record = null;
        KioskRating? previous;
        lock (_lock)
        {
            if (Step != RatingStep.ChooseLevel || _submitting || _catalog is null || !level.IsDefined()
                || (Window is null && Item is null && Transaction is null))
            {
                return LevelResult.Refused;
            }
            ArmIdleTimer();
            previous = _held;
            _tags.RemoveAll(t => !t.Levels.Contains(level));
            if (level.IsBadReview())
            {
                Level = level;
                withdraw = _held;
                _held = null;
                Saved = null;
                Step = RatingStep.ChooseReasons;
            }
            else
            {
                Level = level;
                record = BuildRating(_held?.Id, _held?.RatedAt, phone: null);
                _submitting = true;
            }
        }
        if (withdraw is not null)
        {
            // Still held: taken back. Already on its way (the safety hold passed): it stays, as the citizen first chose.
            await _outbox.DiscardHeldAsync(withdraw.Id, cancellationToken);
            Changed?.Invoke();
            return LevelResult.ReasonsNeeded;
        }
        if (record is null)
        {
            Changed?.Invoke();
            return LevelResult.ReasonsNeeded;
        }
        var heldUntil = _timeProvider.GetUtcNow() + TimeSpan.FromMinutes(_options.HeldRatingMaxMinutes);
        try
        {
            // A changed good level rewrites the same rating (same id, never a second one).
            if (previous is null || !await _outbox.ReplaceHeldAsync(record, heldUntil, cancellationToken))
            {
                await _outbox.EnqueueAsync(record, heldUntil, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (_lock)
            {
                _submitting = false;
                Level = null;
            }
            Changed?.Invoke();
            return LevelResult.SaveFailed;
        }
        lock (_lock)
        {
            _submitting = false;
            _held = record;
            Saved = new SavedRating(record.Id, IsBadReview: false, HasCallback: false);
            Step = RatingStep.Recorded;
            ArmRecordedTimer();
        }
        Changed?.Invoke();
        return LevelResult.Recorded;
    }

    /// <summary>On the recorded step: back to the levels, to change the choice (the recorded rating is held meanwhile).</summary>
    public bool ChangeLevel() => Transition(RatingStep.Recorded, () =>
    {
        Step = RatingStep.ChooseLevel;
        ClosesAt = null;
        return true;
    });

    /// <summary>
    /// Ends the recorded step (the citizen pressed 完成, the few seconds ran out, or the screen went away): the rating is
    /// written with what was added and sent. True when it was still held.
    /// </summary>
    public async Task<bool> FinishAsync(CancellationToken cancellationToken = default)
    {
        KioskRating? final;
        lock (_lock)
        {
            final = TakeHeldFinal();
            if (final is null)
            {
                return false;
            }
            Clear();
        }
        Changed?.Invoke();
        return await ReleaseAsync(final, cancellationToken);
    }

    /// <summary>
    /// Validates the optional callback number, builds the rating and commits it to the outbox; only then shows
    /// thank-you. An empty <paramref name="callbackPhone"/> means an anonymous rating.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(string? callbackPhone, CancellationToken cancellationToken = default)
    {
        KioskRating rating;
        lock (_lock)
        {
            if (Step != RatingStep.Contact || _submitting || Level is null
                || (Window is null && Item is null && Transaction is null)
                || !HasRequiredReasons)
            {
                return SubmitResult.NotReady;
            }
            string? phone = null;
            if (!string.IsNullOrWhiteSpace(callbackPhone))
            {
                phone = NormalizePhone(callbackPhone);
                if (phone is null)
                {
                    return SubmitResult.InvalidPhone;
                }
            }
            rating = BuildRating(id: null, ratedAt: null, phone);
            _submitting = true;
        }
        try
        {
            await _outbox.EnqueueAsync(rating, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (_lock)
            {
                _submitting = false;
            }
            return SubmitResult.SaveFailed;
        }
        lock (_lock)
        {
            _submitting = false;
            // The idle timeout may have fired while the rating was being written; it is saved all the same.
            Clear();
            Saved = new SavedRating(rating.Id, rating.Level.IsBadReview(), rating.CallbackPhone is not null, Rules.CallbackWorkingDays);
            Step = RatingStep.ThankYou;
            _timer.Change(TimeSpan.FromSeconds(_options.ThankYouSeconds), Timeout.InfiniteTimeSpan);
        }
        Changed?.Invoke();
        return SubmitResult.Saved;
    }

    /// <summary>True for a callback number the server accepts (a mainland mobile number), spaces and dashes ignored.</summary>
    public bool IsValidPhone(string? phone) => NormalizePhone(phone) is not null;

    private string? NormalizePhone(string? phone)
    {
        if (phone is null)
        {
            return null;
        }
        var digits = phone.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return Rules.IsCallbackPhone(digits) ? digits : null;
    }

    /// <summary>The held rating with what the citizen added since, or null when none is held. Call under the lock.</summary>
    private KioskRating? TakeHeldFinal()
    {
        if (_held is not { } held)
        {
            return null;
        }
        _held = null;
        return held with
        {
            ReasonTagCodes = [.. _tags.Where(t => t.Levels.Contains(held.Level)).Select(t => t.Code)],
            Text = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
        };
    }

    private async Task<bool> ReleaseAsync(KioskRating final, CancellationToken cancellationToken)
    {
        try
        {
            return await _outbox.ReleaseHeldAsync(final, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Still recorded as tapped: the outbox sends a held rating when its hold time passes.
            return false;
        }
    }

    /// <summary>The rating as chosen so far. Call under the lock, with a level and a target chosen.</summary>
    private KioskRating BuildRating(Guid? id, DateTimeOffset? ratedAt, string? phone)
    {
        var now = _timeProvider.GetUtcNow();
        return new KioskRating
        {
            Id = id ?? Guid.CreateVersion7(now),
            HallCode = _options.HallCode,
            WindowCode = Transaction?.WindowCode ?? Window?.Code,
            ServiceItemCode = Transaction is { ServiceItemCode.Length: > 0 } t ? t.ServiceItemCode : Item?.Code,
            // The transaction names who served; otherwise a window with one person on duty tells, with several the
            // kiosk cannot know.
            StaffId = Transaction is { StaffId.Length: > 0 } served ? served.StaffId
                : Window?.Staff is [var only] ? only.StaffId : null,
            TransactionNumber = Transaction?.TransactionNumber,
            Channel = Channel,
            Level = Level!.Value,
            ReasonTagCodes = [.. _tags.Select(t => t.Code)],
            ReasonTagListVersion = _catalog?.ReasonTags.Version,
            Text = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
            // A changed level keeps the moment of the first tap: that is when the citizen rated.
            RatedAt = ratedAt ?? now,
            CallbackPhone = phone,
            DeviceId = _options.DeviceId,
        };
    }
}

using Microsoft.Extensions.Options;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Rating;

/// <summary>The steps of one rating on the kiosk.</summary>
public enum RatingStep
{
    /// <summary>No rating under way (home, or browsing the guide).</summary>
    NotStarted,
    ChooseTarget,
    ChooseLevel,
    ChooseReasons,
    Contact,
    ThankYou,
    /// <summary>
    /// A good level was recorded on the tap that chose it; the screen thanks the citizen and, for a few seconds, offers
    /// optional reasons, a comment and a way to change the level. Then it goes home.
    /// </summary>
    Recorded,
}

/// <summary>What became of a tap on a level.</summary>
public enum LevelResult
{
    /// <summary>Not at the level step, or the level is unknown.</summary>
    Refused,
    /// <summary>A good level: recorded in the outbox at once (<see cref="RatingStep.Recorded"/>).</summary>
    Recorded,
    /// <summary>A 差评: the reasons step follows, as the rules require a reason.</summary>
    ReasonsNeeded,
    /// <summary>The outbox could not write it; nothing is shown as recorded.</summary>
    SaveFailed,
}

/// <summary>What became of a submit.</summary>
public enum SubmitResult
{
    /// <summary>Committed to the outbox; the thank-you screen is showing.</summary>
    Saved,
    /// <summary>Not at the contact step, or the rating is incomplete.</summary>
    NotReady,
    /// <summary>The callback number is not a mainland mobile number.</summary>
    InvalidPhone,
    /// <summary>The outbox could not write it; nothing is shown as recorded.</summary>
    SaveFailed,
}

/// <summary>
/// One citizen's rating as a state machine, free of UI types. A good level is recorded on the tap that chooses it:
/// target → level → recorded (optional reasons and comment, or a change of level, for a few seconds). A 差评 asks for
/// what the rules require: target → level → reasons → contact → submit → thank you. Nothing is preselected;
/// out-of-order calls are refused (they return false rather than throw, so a double tap cannot break the screen).
/// After <see cref="KioskOptions.IdleTimeoutSeconds"/> without a touch (<see cref="KioskOptions.ElderlyIdleTimeoutSeconds"/>
/// in 关怀版) the session asks "还在吗？" for <see cref="KioskOptions.StillThereSeconds"/>; a touch carries on, otherwise
/// it discards any unfinished 差评 — it never records a default rating (GB/T 39734) — resets the citizen's
/// <see cref="KioskSessionPreferences"/> and raises <see cref="HomeRequested"/>; so does the end of the thank-you pause.
/// </summary>
/// <remarks>
/// About 700 lines on purpose: every transition of the six steps, the good rating held while it may still change, the
/// idle timer and its "还在吗？" prompt sit in one class, so which call is allowed in which step, and what becomes of a
/// held rating on every way out, can be read (and is tested) in one place; each screen of the flow is its own component.
/// </remarks>
public sealed class RatingSession : IDisposable
{
    private readonly Outbox _outbox;
    private readonly KioskOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly KioskSessionPreferences _preferences;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly List<ReasonTagInfo> _tags = [];

    private HallCatalog? _catalog;
    private bool _submitting;
    // The good rating recorded on its tap and held in the outbox while the citizen may still add to it or change it.
    private KioskRating? _held;

    public RatingSession(Outbox outbox, IOptions<KioskOptions> options, TimeProvider timeProvider, KioskSessionPreferences preferences)
    {
        _outbox = outbox;
        _options = options.Value;
        _timeProvider = timeProvider;
        _preferences = preferences;
        _timer = timeProvider.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public RatingStep Step { get; private set; } = RatingStep.NotStarted;

    /// <summary>The window rated, if one was chosen.</summary>
    public WindowInfo? Window { get; private set; }

    /// <summary>The service item rated, if one was chosen.</summary>
    public ServiceItemInfo? Item { get; private set; }

    /// <summary>The transaction rated (一次一评), when the rating is of one 办件; the window and item then come from it.</summary>
    public TransactionTarget? Transaction { get; private set; }

    /// <summary>The channel the rating goes out under: a pad for its window's transactions, else a hall terminal.</summary>
    public KioskChannel Channel { get; private set; } = KioskChannel.HallTerminal;

    public SatisfactionLevel? Level { get; private set; }

    public IReadOnlyList<ReasonTagInfo> SelectedTags => _tags;

    public string Text { get; private set; } = "";

    /// <summary>The most characters a 文字评价 may have: the server's limit, sent in the catalog.</summary>
    public int MaxTextLength => Rules.MaxTextLength;

    /// <summary>The rating just saved, for the thank-you step; null on every other step.</summary>
    public SavedRating? Saved { get; private set; }

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

    /// <summary>Raised (possibly on a timer thread) whenever the step or a choice changes.</summary>
    public event Action? Changed;

    /// <summary>Tags that may be chosen at the current level.</summary>
    public IReadOnlyList<ReasonTagInfo> AvailableTags =>
        _catalog is not null && Level is { } level ? _catalog.TagsFor(level) : [];

    /// <summary>For a 差评, true once a tag is chosen or a text written; always true for the good levels.</summary>
    public bool HasRequiredReasons => Level is { } level && (!level.IsBadReview() || _tags.Count > 0 || !string.IsNullOrWhiteSpace(Text));

    /// <summary>Begins a rating at the target step (which window or item is rated).</summary>
    public void Start(HallCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        lock (_lock)
        {
            Clear();
            _catalog = catalog;
            Step = RatingStep.ChooseTarget;
            ArmIdleTimer();
        }
        Changed?.Invoke();
    }

    /// <summary>Begins a rating of one service item (from its guide page): the item is the target, nothing else is chosen.</summary>
    public bool StartForItem(HallCatalog catalog, string itemCode)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var item = catalog.FindItem(itemCode);
        if (item is null)
        {
            return false;
        }
        lock (_lock)
        {
            Clear();
            _catalog = catalog;
            Item = item;
            Step = RatingStep.ChooseLevel;
            ArmIdleTimer();
        }
        Changed?.Invoke();
        return true;
    }

    /// <summary>
    /// Begins the rating of one transaction (a pad's invitation, or a short code typed on a kiosk): the transaction is
    /// the target, with its window, item and staff member; the citizen goes straight to the levels.
    /// </summary>
    public void StartForTransaction(HallCatalog catalog, TransactionTarget transaction, KioskChannel channel)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(transaction);
        lock (_lock)
        {
            Clear();
            _catalog = catalog;
            Transaction = transaction;
            Channel = channel;
            Window = catalog.FindWindow(transaction.WindowCode);
            Item = catalog.FindItem(transaction.ServiceItemCode);
            Step = RatingStep.ChooseLevel;
            ArmIdleTimer();
        }
        Changed?.Invoke();
    }

    public bool ChooseWindow(string windowCode) => Transition(RatingStep.ChooseTarget, () =>
    {
        if (_catalog!.FindWindow(windowCode) is not { } window)
        {
            return false;
        }
        Window = window;
        Item = null;
        Step = RatingStep.ChooseLevel;
        return true;
    });

    public bool ChooseItem(string itemCode) => Transition(RatingStep.ChooseTarget, () =>
    {
        if (_catalog!.FindItem(itemCode) is not { } item)
        {
            return false;
        }
        Item = item;
        Window = null;
        Step = RatingStep.ChooseLevel;
        return true;
    });

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

    /// <summary>Selects or unselects a reason tag; refused if the tag is unknown or does not fit the level.</summary>
    public bool ToggleTag(string tagCode) => Transition(ReasonsStep, () =>
    {
        var existing = _tags.FindIndex(t => t.Code == tagCode);
        if (existing >= 0)
        {
            _tags.RemoveAt(existing);
            return true;
        }
        if (AvailableTags.FirstOrDefault(t => t.Code == tagCode) is not { } tag)
        {
            return false;
        }
        _tags.Add(tag);
        return true;
    });

    public bool IsTagSelected(string tagCode) => _tags.Exists(t => t.Code == tagCode);

    /// <summary>Sets the 文字评价 (cut to <see cref="MaxTextLength"/> characters).</summary>
    public bool SetText(string? text) => Transition(ReasonsStep, () =>
    {
        text ??= "";
        Text = text.Length > MaxTextLength ? text[..MaxTextLength] : text;
        return true;
    });

    /// <summary>Moves on to the contact step; refused for a 差评 without a tag or a text.</summary>
    public bool ContinueToContact() => Transition(RatingStep.ChooseReasons, () =>
    {
        if (!HasRequiredReasons)
        {
            return false;
        }
        Step = RatingStep.Contact;
        return true;
    });

    /// <summary>One step back; from the first step this is the same as <see cref="Cancel"/>.</summary>
    public void Back()
    {
        lock (_lock)
        {
            Step = Step switch
            {
                RatingStep.ChooseTarget => RatingStep.NotStarted,
                // A transaction is its own target: there is nothing to choose before the levels.
                // Changing a recorded level: going back keeps the level as recorded.
                RatingStep.ChooseLevel when _held is not null => RatingStep.Recorded,
                RatingStep.ChooseLevel when Transaction is not null => RatingStep.NotStarted,
                // From an item's guide page the item was the target; going back offers the whole choice.
                RatingStep.ChooseLevel => RatingStep.ChooseTarget,
                RatingStep.ChooseReasons => RatingStep.ChooseLevel,
                RatingStep.Contact => _submitting ? RatingStep.Contact : RatingStep.ChooseReasons,
                RatingStep.NotStarted or RatingStep.ThankYou or RatingStep.Recorded => Step,
                _ => throw new InvalidOperationException($"unknown step {Step}"),
            };
            if (Step == RatingStep.NotStarted)
            {
                Clear();
            }
            else if (Step == RatingStep.Recorded)
            {
                Level = _held!.Level;
                ArmRecordedTimer();
            }
            else
            {
                ArmIdleTimer();
            }
        }
        Changed?.Invoke();
    }

    /// <summary>
    /// Abandons an unfinished 差评 (nothing is recorded), or leaves the thank-you screen early. A good level recorded on
    /// its tap stays recorded: it is sent with whatever was added.
    /// </summary>
    public void Cancel()
    {
        KioskRating? final;
        lock (_lock)
        {
            if (_submitting)
            {
                return;
            }
            final = TakeHeldFinal();
            Clear();
            // The citizen is still here: the idle timeout, not the thank-you pause, decides when to go home.
            ArmIdleTimer();
        }
        Changed?.Invoke();
        if (final is not null)
        {
            // The outbox's hold time sends it even if this write never happens.
            _ = ReleaseAsync(final, CancellationToken.None);
        }
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

    /// <summary>True for a callback number the server accepts (a mainland mobile number), spaces and dashes ignored.</summary>
    public bool IsValidPhone(string? phone) => NormalizePhone(phone) is not null;

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

    private static RatingStep ReasonsStep => RatingStep.ChooseReasons;

    private RatingInputRules Rules => _catalog?.Rules ?? RatingInputRules.Default;

    private string? NormalizePhone(string? phone)
    {
        if (phone is null)
        {
            return null;
        }
        var digits = phone.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return Rules.IsCallbackPhone(digits) ? digits : null;
    }

    private bool Transition(RatingStep requiredStep, Func<bool> change)
    {
        bool changed;
        lock (_lock)
        {
            // Reasons and a comment may also be added to a good level already recorded.
            var allowed = Step == requiredStep || (requiredStep == ReasonsStep && Step == RatingStep.Recorded);
            if (!allowed || _submitting || _catalog is null)
            {
                return false;
            }
            changed = change();
            if (Step == RatingStep.Recorded)
            {
                ArmRecordedTimer();
            }
            else
            {
                ArmIdleTimer();
            }
        }
        if (changed)
        {
            Changed?.Invoke();
        }
        return changed;
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

    private void Clear()
    {
        // A good rating still held (a new transaction arrived at the pad, say) is sent as it stands, never dropped.
        if (TakeHeldFinal() is { } final)
        {
            _ = ReleaseAsync(final, CancellationToken.None);
        }
        Step = RatingStep.NotStarted;
        Window = null;
        Item = null;
        Transaction = null;
        Channel = KioskChannel.HallTerminal;
        Level = null;
        Text = "";
        Saved = null;
        StillThereUntil = null;
        ClosesAt = null;
        _tags.Clear();
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

/// <summary>What the thank-you screen may say about the rating just saved (no contact data).</summary>
/// <param name="Id">The rating's id.</param>
/// <param name="IsBadReview">True for a 差评.</param>
/// <param name="HasCallback">True when the citizen left a number to be called back on.</param>
/// <param name="CallbackWorkingDays">The server's callback deadline in working days; 0 when the catalog did not say.</param>
public sealed record SavedRating(Guid Id, bool IsBadReview, bool HasCallback, int CallbackWorkingDays = 0)
{
    /// <summary>The short reference the citizen may quote (评价编号); staff see the same on the case.</summary>
    public string Reference => RatingReference.Of(Id);
}

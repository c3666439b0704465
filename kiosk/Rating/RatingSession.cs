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
/// One citizen's rating as a state machine, free of UI types: target → level → reasons → contact → submit →
/// thank you. Nothing is preselected; a 差评 needs a tag or a text; out-of-order calls are refused (they return
/// false rather than throw, so a double tap cannot break the screen). After <see cref="KioskOptions.IdleTimeoutSeconds"/>
/// without a touch (<see cref="KioskOptions.ElderlyIdleTimeoutSeconds"/> in 关怀版) the session discards any unfinished
/// rating — it never records a default one (GB/T 39734) — resets the citizen's <see cref="KioskSessionPreferences"/> and
/// raises <see cref="HomeRequested"/>; so does the end of the thank-you pause.
/// </summary>
/// <remarks>
/// Over 400 lines on purpose: every transition of the five steps and the idle timer sit in one class, so which call is
/// allowed in which step can be read (and is tested) in one place; each screen of the flow is its own component.
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

    /// <summary>Chooses the level and moves on to the reasons step. Tags that do not fit the new level are dropped.</summary>
    public bool ChooseLevel(SatisfactionLevel level) => Transition(RatingStep.ChooseLevel, () =>
    {
        if (!level.IsDefined())
        {
            return false;
        }
        Level = level;
        _tags.RemoveAll(t => !t.Levels.Contains(level));
        Step = RatingStep.ChooseReasons;
        return true;
    });

    /// <summary>Selects or unselects a reason tag; refused if the tag is unknown or does not fit the level.</summary>
    public bool ToggleTag(string tagCode) => Transition(RatingStep.ChooseReasons, () =>
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
    public bool SetText(string? text) => Transition(RatingStep.ChooseReasons, () =>
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
                RatingStep.ChooseLevel when Transaction is not null => RatingStep.NotStarted,
                // From an item's guide page the item was the target; going back offers the whole choice.
                RatingStep.ChooseLevel => RatingStep.ChooseTarget,
                RatingStep.ChooseReasons => RatingStep.ChooseLevel,
                RatingStep.Contact => _submitting ? RatingStep.Contact : RatingStep.ChooseReasons,
                RatingStep.NotStarted or RatingStep.ThankYou => Step,
                _ => throw new InvalidOperationException($"unknown step {Step}"),
            };
            if (Step == RatingStep.NotStarted)
            {
                Clear();
            }
            else
            {
                ArmIdleTimer();
            }
        }
        Changed?.Invoke();
    }

    /// <summary>Abandons the rating (nothing is recorded), or leaves the thank-you screen early.</summary>
    public void Cancel()
    {
        lock (_lock)
        {
            if (_submitting)
            {
                return;
            }
            Clear();
            // The citizen is still here: the idle timeout, not the thank-you pause, decides when to go home.
            ArmIdleTimer();
        }
        Changed?.Invoke();
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
            var now = _timeProvider.GetUtcNow();
            rating = new KioskRating
            {
                Id = Guid.CreateVersion7(now),
                HallCode = _options.HallCode,
                WindowCode = Transaction?.WindowCode ?? Window?.Code,
                ServiceItemCode = Transaction is { ServiceItemCode.Length: > 0 } t ? t.ServiceItemCode : Item?.Code,
                // The transaction names who served; otherwise a window with one person on duty tells, with several the
                // kiosk cannot know.
                StaffId = Transaction is { StaffId.Length: > 0 } served ? served.StaffId
                    : Window?.Staff is [var only] ? only.StaffId : null,
                TransactionNumber = Transaction?.TransactionNumber,
                Channel = Channel,
                Level = Level.Value,
                ReasonTagCodes = [.. _tags.Select(t => t.Code)],
                ReasonTagListVersion = _catalog?.ReasonTags.Version,
                Text = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
                RatedAt = now,
                CallbackPhone = phone,
                DeviceId = _options.DeviceId,
            };
            _submitting = true;
        }
        try
        {
            await _outbox.EnqueueAsync(rating, cancellationToken);
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
            Saved = new SavedRating(rating.Id, rating.Level.IsBadReview(), rating.CallbackPhone is not null);
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
        lock (_lock)
        {
            if (Step != RatingStep.ThankYou)
            {
                ArmIdleTimer();
            }
        }
    }

    /// <summary>True for a callback number the server accepts (a mainland mobile number), spaces and dashes ignored.</summary>
    public bool IsValidPhone(string? phone) => NormalizePhone(phone) is not null;

    public void Dispose() => _timer.Dispose();

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
            if (Step != requiredStep || _submitting || _catalog is null)
            {
                return false;
            }
            changed = change();
            ArmIdleTimer();
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
        _timer.Change(_preferences.IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    private void Clear()
    {
        Step = RatingStep.NotStarted;
        Window = null;
        Item = null;
        Transaction = null;
        Channel = KioskChannel.HallTerminal;
        Level = null;
        Text = "";
        Saved = null;
        _tags.Clear();
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            // A rating being written is saved and thanked for; the thank-you pause then sends the kiosk home.
            if (_submitting)
            {
                return;
            }
            Clear();
            _catalog = null;
        }
        // The next citizen starts with the standard screen (关怀版 and language last one visit).
        _preferences.Reset();
        Changed?.Invoke();
        HomeRequested?.Invoke();
    }
}

/// <summary>What the thank-you screen may say about the rating just saved (no contact data).</summary>
public sealed record SavedRating(Guid Id, bool IsBadReview, bool HasCallback);

using Microsoft.Extensions.Options;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Rating;

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
/// One class in three files: the steps and their guards here, the outbox writes (the good rating held while it may
/// still change, the 差评 submitted) in <c>RatingSession.Recording.cs</c>, the idle timer and its "还在吗？" prompt in
/// <c>RatingSession.IdleTimer.cs</c>. They share one lock and one state, so which call is allowed in which step, and
/// what becomes of a held rating on every way out, is still tested as one machine; each screen is its own component.
/// </remarks>
public sealed partial class RatingSession : IDisposable
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

    private static RatingStep ReasonsStep => RatingStep.ChooseReasons;

    private RatingInputRules Rules => _catalog?.Rules ?? RatingInputRules.Default;

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
}

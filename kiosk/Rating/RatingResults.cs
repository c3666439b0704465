namespace ServiceHall.Kiosk.Rating;

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

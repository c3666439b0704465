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

namespace ServiceHall.Kiosk.Rating;

/// <summary>
/// One rating as the citizen confirmed it on this kiosk. The id is generated here (time-ordered v7) and is the
/// idempotency key: the server stores each id once, so the outbox may resend freely.
/// </summary>
public sealed record KioskRating
{
    public required Guid Id { get; init; }
    public required string HallCode { get; init; }
    /// <summary>The window rated (or serving the item), if any; at least one of window and item is set.</summary>
    public string? WindowCode { get; init; }
    /// <summary>实施编码 of the service item rated, if any.</summary>
    public string? ServiceItemCode { get; init; }
    /// <summary>工号 of the staff member on duty, when the window has exactly one.</summary>
    public string? StaffId { get; init; }
    public required SatisfactionLevel Level { get; init; }
    public IReadOnlyList<string> ReasonTagCodes { get; init; } = [];
    public string? ReasonTagListVersion { get; init; }
    public string? Text { get; init; }
    public required DateTimeOffset RatedAt { get; init; }
    /// <summary>Mainland mobile number left with consent for a callback; null for an anonymous rating.</summary>
    public string? CallbackPhone { get; init; }
    public required string DeviceId { get; init; }
    /// <summary>办件编号 when one transaction is rated (一次一评); the server accepts one rating per transaction.</summary>
    public string? TransactionNumber { get; init; }
    /// <summary>Which national channel the rating came through: the window pad or another hall terminal.</summary>
    public KioskChannel Channel { get; init; } = KioskChannel.HallTerminal;
}

/// <summary>The two national channels (GB/T 39046) a kiosk box can rate through.</summary>
public enum KioskChannel
{
    /// <summary>政务大厅其他终端: a free-standing kiosk.</summary>
    HallTerminal,
    /// <summary>政务大厅平板电脑: the pad on a window's counter.</summary>
    HallPad,
}

namespace ServiceHall.Server.Domain;

/// <summary>
/// A rating as a client submitted it, before any check. Strings may be empty; the channel and level are null when the
/// client sent none or one this server does not know. <paramref name="UnreadableField"/> names a field the client sent
/// but that could not be read at all (a timestamp out of range): the rating is rejected for it alone.
/// </summary>
public sealed record RatingSubmission(
    string RatingId,
    string TransactionNumber,
    string HallCode,
    string WindowCode,
    string ServiceItemCode,
    string StaffId,
    RatingChannel? Channel,
    RatingLevel? Level,
    IReadOnlyList<string> ReasonTagCodes,
    string ReasonTagListVersion,
    string Text,
    DateTimeOffset? RatedAt,
    string CallbackPhone,
    string DeviceId,
    string? UnreadableField = null)
{
    /// <summary>
    /// Recorded by an upstream system by default (no citizen chose it), relayed by a window's business system: stored
    /// with <c>active = false</c>, so 主动评价率 counts only what citizens chose (docs/rules/ratings.md#active-ratings).
    /// </summary>
    public bool SystemDefault { get; init; }
}

/// <summary>A stored rating (评价): one citizen's judgement of one occasion of service.</summary>
public sealed record Rating(
    Guid Id,
    string? TransactionNumber,
    string HallCode,
    string RegionCode,
    string? WindowCode,
    string? ServiceItemCode,
    string DepartmentCode,
    string? StaffId,
    RatingChannel Channel,
    RatingLevel Level,
    IReadOnlyList<string> ReasonTagCodes,
    string? ReasonTagListVersion,
    string? Text,
    DateTimeOffset RatedAt,
    DateTimeOffset ReceivedAt,
    string? CallbackPhone,
    string? DeviceId)
{
    /// <summary>A real-name rating left a way to call the citizen back; an anonymous one did not.</summary>
    public bool IsRealName => CallbackPhone is not null;

    /// <summary>
    /// Chosen by the citizen (主动评价), as opposed to a default an upstream system recorded when no citizen rated
    /// (docs/rules/ratings.md#active-ratings). Every rating made on a kiosk or pad is.
    /// </summary>
    public bool IsActive { get; init; } = true;

    public bool IsBad => Level.IsBad();

    /// <summary>
    /// The staff number was not on the window's (or hall's) roster when the rating arrived: stored as given, for a
    /// person to review (a shift change while the kiosk was offline, or a wrong number).
    /// </summary>
    public bool StaffNotOnRoster { get; init; }

    /// <summary>
    /// Arrived long after it was made (a kiosk offline for a while): accepted, counted in the period it was made, and
    /// marked so a period's figures can say how many came in after it closed.
    /// </summary>
    public bool ArrivedLate { get; init; }

    /// <summary>The rating as handlers and disclosures read it (without who made it).</summary>
    public RatingRecord ToRecord() => new(
        Id, HallCode, WindowCode, ServiceItemCode, DepartmentCode, Level, Channel, ReasonTagCodes, Text, RatedAt, IsActive);
}

/// <summary>Why a submission was refused: the field at fault (its proto name) and a reason a person can read.</summary>
public sealed record RatingRejection(string Field, string Reason);

/// <summary>
/// A stored rating as case handlers and disclosures read it: what was said about which service, and nothing about who
/// said it (no phone, no device).
/// </summary>
public sealed record RatingRecord(
    Guid RatingId,
    string HallCode,
    string? WindowCode,
    string? ServiceItemCode,
    string DepartmentCode,
    RatingLevel Level,
    RatingChannel Channel,
    IReadOnlyList<string> ReasonTagCodes,
    string? Text,
    DateTimeOffset RatedAt,
    bool IsActive);

/// <summary>
/// How many ratings of one kind were made in a period: the unit every figure is summed from, so a figure never needs
/// the ratings themselves. No window or no service item is null.
/// </summary>
public sealed record RatingTally(
    string HallCode,
    string DepartmentCode,
    string? WindowCode,
    string? ServiceItemCode,
    RatingChannel Channel,
    RatingLevel Level,
    bool IsActive,
    int Count)
{
    /// <summary>Ratings as tallies: one tally per rating (a period's sums come from adding them up).</summary>
    public static IEnumerable<RatingTally> Of(IEnumerable<RatingRecord> ratings) => ratings.Select(r =>
        new RatingTally(r.HallCode, r.DepartmentCode, r.WindowCode, r.ServiceItemCode, r.Channel, r.Level, r.IsActive, 1));
}

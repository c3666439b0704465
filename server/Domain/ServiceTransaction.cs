namespace ServiceHall.Server.Domain;

public enum TransactionStatus
{
    /// <summary>Finished at the window; the citizen has been asked to rate it.</summary>
    Offered = 1,

    /// <summary>The pad's time ran out without a rating (未评价). It can still be rated with its short code.</summary>
    NotRated = 2,

    Rated = 3,
}

/// <summary>
/// A finished transaction (办件) that its citizen is asked to rate once (一次一评, GB/T 39734), on the window's pad or
/// later with its short code, within 5 working days (鲁政办发〔2020〕10号).
/// </summary>
public sealed record ServiceTransaction(
    string TransactionNumber,
    string HallCode,
    string WindowCode,
    string ServiceItemCode,
    string DepartmentCode,
    string? StaffId,
    string ShortCode,
    DateTimeOffset CompletedAt,
    DateTimeOffset RateBy,
    TransactionStatus Status)
{
    /// <summary>Why the citizen may not rate it now (rated already, or its rating period is over), or null.</summary>
    public string? WhyNotRateable(DateTimeOffset now) => Status == TransactionStatus.Rated
        ? TransactionRules.AlreadyRated
        : now > RateBy ? TransactionRules.TooLate : null;

    /// <summary>The receipt's short code: the same alphabet and length as every code a citizen types back in (<see cref="PickupCode"/>).</summary>
    public static string NewShortCode() => PickupCode.New();
}

/// <summary>The rules a rating of a known transaction must keep (一次一评).</summary>
public static class TransactionRules
{
    public const string AlreadyRated = "该办件已评价，每次办理只能评价一次";

    /// <summary>
    /// The condition a refusal names when the transaction was rated already: a client may then offer the one follow-up
    /// (追评) the rating may get (docs/rules/ratings.md#follow-up-ratings).
    /// </summary>
    public const string RatedCondition = "TRANSACTION_RATED";
    public const string TooLate = "该办件已超过 5 个工作日的评价期限";

    public const string BeforeCompletion = "评价时间早于办件办结时间";

    /// <summary>
    /// The first rule a rating breaks against its transaction, or null. The rating period is judged on when the citizen
    /// rated (rated_at, which the rating rules bound by the device's enrolment and the server's clock, each with the
    /// allowed skew), not on when the rating arrived: a citizen who rated in time on a kiosk that was offline rated in time.
    /// </summary>
    public static RatingRejection? Check(Rating rating, ServiceTransaction transaction, TimeSpan allowedClockSkew)
    {
        if (transaction.HallCode != rating.HallCode)
        {
            return new("transaction_number", "该办件不属于本大厅");
        }

        if (transaction.Status == TransactionStatus.Rated)
        {
            return new("transaction_number", AlreadyRated);
        }

        if (rating.RatedAt > transaction.RateBy)
        {
            return new("transaction_number", TooLate);
        }

        if (rating.RatedAt < transaction.CompletedAt - allowedClockSkew)
        {
            return new("rated_at", BeforeCompletion);
        }

        if (rating.WindowCode is not null && rating.WindowCode != transaction.WindowCode)
        {
            return new("window_code", $"与办件的办理窗口 {transaction.WindowCode} 不符");
        }

        if (rating.ServiceItemCode is not null && rating.ServiceItemCode != transaction.ServiceItemCode)
        {
            return new("service_item_code", "与办件的事项不符");
        }

        return null;
    }
}

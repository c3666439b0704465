using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>The rating period of a transaction is judged on when the citizen rated, not on arrival.</summary>
public class TransactionRulesTests
{
    private static readonly DateTimeOffset Completed = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset RateBy = new(2026, 3, 9, 23, 59, 59, TimeSpan.FromHours(8));
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private static readonly ServiceTransaction Transaction = new(
        "BJ-1", TestCatalog.HallCode, "A01", "ITEM-SB", "RSJ", null, "ABCD2345", Completed, RateBy, TransactionStatus.NotRated);

    private static Rating RatedAt(DateTimeOffset ratedAt, DateTimeOffset receivedAt) => new(
        Guid.CreateVersion7(), "BJ-1", TestCatalog.HallCode, "370104", "A01", "ITEM-SB", "RSJ", null, RatingChannel.HallTerminal,
        RatingLevel.Satisfied, [], null, null, ratedAt, receivedAt, null, "kiosk-01");

    [Fact]
    public void Check_RatedOnTheLastDayDeliveredThreeDaysLater_Accepted()
    {
        Assert.Null(TransactionRules.Check(RatedAt(RateBy.AddHours(-1), RateBy.AddDays(3)), Transaction, Skew));
    }

    [Fact]
    public void Check_RatedAfterThePeriod_TooLate()
    {
        var refusal = TransactionRules.Check(RatedAt(RateBy.AddMinutes(1), RateBy.AddMinutes(2)), Transaction, Skew);

        Assert.Equal(("transaction_number", TransactionRules.TooLate), (refusal!.Field, refusal.Reason));
    }

    [Fact]
    public void Check_RatedBeforeTheTransactionWasFinished_RefusedBeyondTheSkew()
    {
        Assert.Null(TransactionRules.Check(RatedAt(Completed.AddMinutes(-4), Completed), Transaction, Skew));
        Assert.Equal("rated_at", TransactionRules.Check(RatedAt(Completed.AddMinutes(-6), Completed), Transaction, Skew)!.Field);
    }

    [Fact]
    public void Check_TransactionRatedAlready_Refused()
    {
        var refusal = TransactionRules.Check(RatedAt(Completed.AddHours(1), Completed.AddHours(1)), Transaction with { Status = TransactionStatus.Rated }, Skew);

        Assert.Equal(TransactionRules.AlreadyRated, refusal!.Reason);
    }
}

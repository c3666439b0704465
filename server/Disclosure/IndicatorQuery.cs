using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Disclosure;

/// <summary>How disclosures present figures. Section "Disclosure".</summary>
public sealed class DisclosureOptions
{
    public const string Section = "Disclosure";

    /// <summary>A rate whose denominator is smaller shows 样本不足.</summary>
    [Range(0, 10_000)]
    public int MinimumSample { get; set; } = 10;
}

/// <summary>
/// What the indicators of one scope and run of days are counted from: the rating tallies, the ratings that leave them (the
/// 差评 an upheld appeal took out, and the ratings a reviewer excluded as fraud — each once), the case figures and
/// (district-wide) the transactions.
/// </summary>
public sealed record IndicatorInputs(
    IReadOnlyList<RatingTally> Tallies, IReadOnlyList<RatingRecord> UpheldRatings, CaseFigures Cases, (int Offered, int NotRated) Transactions)
{
    public IndicatorCounts Counts => IndicatorCounts.Of(Tallies, UpheldRatings, Cases, Transactions);
}

/// <summary>
/// The one way the indicators are counted, for the live query and every figure of a publication alike: for some local
/// days and a scope, all summed in the database, the ratings from the store's tallies, the cases from the facts kept
/// beside each.
/// </summary>
public sealed class IndicatorQuery(
    IRatingStore ratings, IRatingReviewStore reviews, ICaseStore cases, ITransactionStore transactions, DistrictClock clock, IOptions<DisclosureOptions> options)
{
    public async Task<IReadOnlyList<IndicatorValue>> ComputeAsync(
        Scope scope, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var counts = await CountAsync(scope, firstDay, lastDay, cancellationToken);
        return Indicators.Compute(counts, options.Value.MinimumSample);
    }

    public async Task<IndicatorCounts> CountAsync(Scope scope, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken) =>
        (await GatherAsync(scope, firstDay, lastDay, cancellationToken)).Counts;

    /// <summary>What <see cref="CountAsync"/> counts from, for a caller that also breaks the ratings down (by channel).</summary>
    public async Task<IndicatorInputs> GatherAsync(Scope scope, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var from = clock.DayBounds(firstDay).From;
        var to = clock.DayBounds(lastDay).To;
        var tallies = await ratings.TallyRatingsAsync(firstDay, lastDay, scope, cancellationToken);
        var upheld = await ratings.ListUpheldRatingsAsync(from, to, scope, cancellationToken);
        // A rating a reviewer excluded leaves every figure the same way (docs/rules/ratings.md#anti-fraud).
        var excluded = await reviews.ListExcludedRatingsAsync(from, to, scope, cancellationToken);
        upheld = upheld.Concat(excluded).DistinctBy(r => r.RatingId).ToList();
        var caseFigures = await cases.CountCasesAsync(from, to, scope, clock.UtcNow, cancellationToken);
        // Transactions are counted district-wide for now: 未评率 of a narrower scope shows 样本不足.
        var offered = scope.Kind == ScopeKind.District ? await transactions.CountTransactionsAsync(from, to, cancellationToken) : default;
        return new IndicatorInputs(tallies, upheld, caseFigures, offered);
    }
}

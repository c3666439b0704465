using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
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

/// <summary>Counts what the indicators need for one period and scope, from the stored ratings and cases.</summary>
public sealed class IndicatorQuery(IServiceHallStore store, TimeProvider time, IOptions<DisclosureOptions> options)
{
    public async Task<IReadOnlyList<IndicatorValue>> ComputeAsync(
        Scope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var counts = await CountAsync(scope, from, to, cancellationToken);
        return Indicators.Compute(counts, options.Value.MinimumSample);
    }

    public async Task<IndicatorCounts> CountAsync(Scope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ratings = await store.CountRatingsAsync(scope, from, to, cancellationToken);
        var cases = (await store.ListCasesReceivedAsync(from, to, cancellationToken)).Where(scope.Covers).ToList();
        var upheld = cases.Where(c => c.IsExcludedFromStatistics).ToList();
        var counted = cases.Where(c => !c.IsExcludedFromStatistics).ToList();

        var levels = LevelCounts.Empty;
        foreach (var (level, _, count) in ratings)
        {
            levels = levels.Add(level, count);
        }

        // An upheld appeal takes its 差评 out of the rating figures; it is shown as its own count instead.
        foreach (var c in upheld)
        {
            levels = levels.Add(c.Level, -1);
        }

        return new IndicatorCounts(
            levels,
            ratings.Where(r => r.Active).Sum(r => r.Count) - upheld.Count,
            upheld.Count,
            // Transactions offered a rating (一次一评) are not recorded yet: 未评率 shows 样本不足 until they are.
            TransactionsOffered: 0,
            TransactionsNotRated: 0,
            BadDue: counted.Count(c => c.IsClosed || now > c.Deadlines.RectificationDue),
            BadRectified: counted.Count(c => c.IsRectified),
            BadRectifiedInTime: counted.Count(c => c.RectifiedInTime == true),
            RealNameBad: counted.Count(c => c.IsRealName),
            RealNameBadContacted: counted.Count(c => c.IsRealName && c.IsCalledBack),
            RatersAsked: counted.Count(c => c.Satisfaction is not null),
            RatersSatisfied: counted.Count(c => c.Satisfaction is RaterSatisfaction.Satisfied or RaterSatisfaction.BasicallySatisfied));
    }
}

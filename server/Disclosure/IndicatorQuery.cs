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
/// Counts what the indicators need for some local days and a scope, all summed in the database: the ratings from the
/// store's tallies, the cases from the facts kept beside each.
/// </summary>
public sealed class IndicatorQuery(IServiceHallStore store, DistrictClock clock, IOptions<DisclosureOptions> options)
{
    public async Task<IReadOnlyList<IndicatorValue>> ComputeAsync(
        Scope scope, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var counts = await CountAsync(scope, firstDay, lastDay, cancellationToken);
        return Indicators.Compute(counts, options.Value.MinimumSample);
    }

    public async Task<IndicatorCounts> CountAsync(Scope scope, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var from = clock.DayBounds(firstDay).From;
        var to = clock.DayBounds(lastDay).To;
        var tallies = await store.TallyRatingsAsync(firstDay, lastDay, scope, cancellationToken);
        var upheld = await store.ListUpheldRatingsAsync(from, to, scope, cancellationToken);
        var cases = await store.CountCasesAsync(from, to, scope, clock.UtcNow, cancellationToken);
        // Transactions are counted district-wide for now: 未评率 of a narrower scope shows 样本不足.
        var transactions = scope.Kind == ScopeKind.District ? await store.CountTransactionsAsync(from, to, cancellationToken) : default;
        return IndicatorCounts.Of(tallies, upheld, cases, transactions);
    }
}

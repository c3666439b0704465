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
        var ratings = await store.ListRatingsAsync(from, to, cancellationToken);
        var cases = await store.ListCasesReceivedAsync(from, to, cancellationToken);
        // Transactions are counted district-wide for now: 未评率 of a narrower scope shows 样本不足.
        var transactions = scope.Kind == ScopeKind.District ? await store.CountTransactionsAsync(from, to, cancellationToken) : default;
        return IndicatorCounts.Of(ratings.Where(scope.Covers), cases.Where(scope.Covers), time.GetUtcNow(), transactions);
    }
}

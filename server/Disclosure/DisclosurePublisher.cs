using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Instances;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Disclosure;

/// <summary>When disclosures are published. Section "Publishing".</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>
    /// Which periods are published once they have closed; empty means the norm, monthly with quarterly and annual
    /// roll-ups. (Empty rather than a filled default: configuration adds to a list, it does not replace it.)
    /// </summary>
    public List<PeriodKind> Cadences { get; set; } = [];

    public IReadOnlyList<PeriodKind> EffectiveCadences =>
        Cadences.Count == 0 ? [PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Year] : Cadences.Distinct().ToList();

    /// <summary>How often the job looks for a closed period that is not published yet.</summary>
    [System.ComponentModel.DataAnnotations.Range(10, 86_400)]
    public int CheckSeconds { get; set; } = 3600;
}

/// <summary>
/// Publishes each period once it has closed, and corrections as new versions. What is published is frozen: later
/// ratings or case steps never change a stored version
/// (docs/rules/indicators-and-disclosure.md#published-means-frozen).
/// </summary>
public sealed class DisclosurePublisher(
    IPublicationStore store, PublicationBuilder builder, DistrictClock clock, IOptions<PublishingOptions> options,
    ILogger<DisclosurePublisher> logger)
{
    /// <summary>Publishes the last closed period of each cadence if it is not published yet; returns what it published.</summary>
    public async Task<IReadOnlyList<Publication>> PublishClosedPeriodsAsync(CancellationToken cancellationToken)
    {
        var today = clock.LocalDay(clock.UtcNow);
        var published = await store.ListPublicationsAsync(cancellationToken);
        var done = new List<Publication>();
        foreach (var kind in options.Value.EffectiveCadences)
        {
            var period = Period.Containing(kind, today).Previous();
            if (published.Any(p => p.PeriodKey == period.Key))
            {
                continue;
            }

            var publication = new Publication(period.Key, 1, clock.UtcNow, null, await builder.BuildAsync(period, cancellationToken));
            if (await store.AddPublicationAsync(publication, cancellationToken))
            {
                logger.LogInformation("Disclosure {PeriodKey} published", period.Key);
                done.Add(publication);
            }
        }

        return done;
    }

    /// <summary>
    /// Publishes a correction of a period as its next version, saying why and what changed; the earlier versions stay.
    /// </summary>
    public async Task<Publication> CorrectAsync(string periodKey, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InvalidInputException("reason", "更正须说明原因");
        }

        TextLimits.Check(reason.Trim(), "reason", TextLimits.Reason);

        var period = Period.TryParse(periodKey) ?? throw new InvalidInputException("period_key", "须为 2026-11、2026-Q4 或 2026 的形式");
        var latest = (await store.ListPublicationsAsync(cancellationToken))
            .Where(p => p.PeriodKey == period.Key).MaxBy(p => p.Version)
            ?? throw new NotFoundException($"{period.Key} 尚未公开", "publication", period.Key);
        var content = await builder.BuildAsync(period, cancellationToken);
        var changes = Changes(latest.Content, content);
        var correction = $"{reason.Trim()}。变化：{(changes.Count == 0 ? "主要指标无变化" : string.Join("；", changes))}";
        var publication = new Publication(period.Key, latest.Version + 1, clock.UtcNow, correction, content);
        if (!await store.AddPublicationAsync(publication, cancellationToken))
        {
            throw new ConcurrentChangeException($"{period.Key} 已有第 {publication.Version} 版，请刷新后重试");
        }

        logger.LogInformation("Disclosure {PeriodKey} corrected as version {Version}", period.Key, publication.Version);
        return publication;
    }

    private static List<string> Changes(PublicationContent before, PublicationContent after) =>
        before.Headline.Zip(after.Headline)
            .Where(x => x.First.Display != x.Second.Display)
            .Select(x => $"{x.First.Name} {x.First.Display} → {x.Second.Display}")
            .Concat(before.BadReviews.Count == after.BadReviews.Count ? [] : [$"公开差评 {before.BadReviews.Count} 条 → {after.BadReviews.Count} 条"])
            .ToList();
}

/// <summary>Runs the publisher on a timer.</summary>
public sealed class DisclosureJob(
    DisclosurePublisher publisher, IJobLeadership leadership, TimeProvider time, IOptions<PublishingOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), time);
        do
        {
            // Of several instances on one database, only the leading one publishes.
            await leadership.WaitUntilLeaderAsync(stoppingToken);
            await publisher.PublishClosedPeriodsAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

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

    /// <summary>
    /// Working days after a period closes that its late ratings are waited for; the period is published on the working
    /// day after these and the rectification deadline of a 差评 received on the last of them (CaseDeadlines) have run out.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 60)]
    public int LateRatingWorkingDays { get; set; } = 5;

    /// <summary>How often the job looks for a closed period that is not published yet.</summary>
    [System.ComponentModel.DataAnnotations.Range(10, 86_400)]
    public int CheckSeconds { get; set; } = 3600;
}

/// <summary>
/// Drafts each period's disclosure once the period has closed, and corrections as drafts of the next version; the
/// 政务公开 officer reviews and approves each (<see cref="DisclosureReview"/>). What is published is frozen: later
/// ratings or case steps never change a stored version (docs/rules/indicators-and-disclosure.md#published-means-frozen).
/// </summary>
public sealed class DisclosurePublisher(
    IPublicationStore store, PublicationBuilder builder, PublicationSchedule schedule, IRatingStore ratings, DistrictClock clock,
    IOptions<PublishingOptions> options, IOptions<DisclosureReviewOptions> review, ILogger<DisclosurePublisher> logger)
{
    /// <summary>Who the job writes in the audit.</summary>
    public const string Job = "system";

    // One drafting run at a time in this process: two runs reading the same published versions would both draft a
    // correction for the same late ratings. (Instances are kept apart by the job leadership.)
    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>
    /// Drafts every period whose figures are final and that has no draft or publication yet (<see cref="PublicationSchedule"/>),
    /// then a correction of each published period that received ratings after it was published; returns the new drafts.
    /// </summary>
    public async Task<IReadOnlyList<DisclosureDraft>> DraftClosedPeriodsAsync(CancellationToken cancellationToken)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            return await DraftClosedPeriodsOnceAsync(cancellationToken);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    private async Task<IReadOnlyList<DisclosureDraft>> DraftClosedPeriodsOnceAsync(CancellationToken cancellationToken)
    {
        var today = clock.LocalDay(clock.UtcNow);
        var published = await store.ListPublicationsAsync(cancellationToken);
        var drafts = await store.ListDraftsAsync(cancellationToken);
        var done = new List<DisclosureDraft>();
        var due = schedule.Due(
            options.Value.EffectiveCadences, await ratings.FirstRatingDayAsync(cancellationToken), today,
            published.Select(p => p.PeriodKey).Concat(drafts.Select(d => d.PeriodKey)).ToHashSet());
        foreach (var period in due)
        {
            var draft = await DraftAsync(period, 1, null, cancellationToken);
            if (await store.AddDraftAsync(draft, Drafted(draft), cancellationToken))
            {
                logger.LogInformation("Disclosure {PeriodKey} drafted for review, due {DueDay}", period.Key, Iso(draft.DueDay));
                done.Add(draft);
            }
        }

        done.AddRange(await CorrectForLateRatingsAsync(published, cancellationToken));

        foreach (var overdue in (await store.ListDraftsAsync(cancellationToken)).Where(d => d.IsOverdue(today)))
        {
            // Loud on purpose: a period whose disclosure is late is a breach of the district's own schedule.
            logger.LogError(
                "Disclosure {PeriodKey} v{Version} is NOT APPROVED and was due {DueDay}: the 政务公开 officer must review it",
                overdue.PeriodKey, overdue.Version, Iso(overdue.DueDay));
        }

        return done;
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A period that received ratings after it was first published gets a correction draft: the new version counts them
    /// and says how many arrived later (docs/rules/indicators-and-disclosure.md#late-ratings). A period with a draft
    /// waiting for review gets none until that one is approved.
    /// </summary>
    private async Task<IReadOnlyList<DisclosureDraft>> CorrectForLateRatingsAsync(IReadOnlyList<Publication> published, CancellationToken cancellationToken)
    {
        var corrected = new List<DisclosureDraft>();
        foreach (var versions in published.GroupBy(p => p.PeriodKey))
        {
            var latest = versions.MaxBy(p => p.Version)!;
            if (Period.TryParse(versions.Key) is not { } period)
            {
                continue;
            }

            var later = await ratings.CountLateRatingsReceivedAfterAsync(
                clock.DayBounds(period.FirstDay).From, clock.DayBounds(period.LastDay).To, versions.MinBy(p => p.Version)!.PublishedAt,
                cancellationToken);
            if (later <= latest.Content.PublishedLater)
            {
                continue;
            }

            try
            {
                corrected.Add(await CorrectAsync(
                    period.Key, $"期后收到迟到评价 {later - latest.Content.PublishedLater} 条，计入本期", Job, latest.Version, cancellationToken));
            }
            catch (ConcurrentChangeException)
            {
                // A draft of this period waits for review, a newer version was published meanwhile, or another run
                // drafted it first; the next run looks again.
            }
        }

        return corrected;
    }

    /// <summary>
    /// Drafts a correction of a period as its next version, saying why and what changed; once the officer approves it,
    /// it is published and the earlier versions stay.
    /// </summary>
    public Task<DisclosureDraft> CorrectAsync(string periodKey, string reason, string by, CancellationToken cancellationToken) =>
        CorrectAsync(periodKey, reason, by, basedOnVersion: null, cancellationToken);

    /// <summary>
    /// As <see cref="CorrectAsync(string, string, string, CancellationToken)"/>, but only if the latest published version
    /// is still <paramref name="basedOnVersion"/> (when given): a correction decided on an older version is not drafted.
    /// </summary>
    private async Task<DisclosureDraft> CorrectAsync(
        string periodKey, string reason, string by, int? basedOnVersion, CancellationToken cancellationToken)
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
        if (basedOnVersion is { } seen && latest.Version != seen)
        {
            throw new ConcurrentChangeException($"{period.Key} 已发布第 {latest.Version} 版");
        }

        if ((await store.ListDraftsAsync(cancellationToken)).Any(d => d.PeriodKey == period.Key))
        {
            throw new ConcurrentChangeException($"{period.Key} 已有待审核的草稿，请先审核发布");
        }

        var draft = await DraftAsync(period, latest.Version + 1, reason.Trim(), cancellationToken);
        var changes = Changes(latest.Content, draft.Content);
        draft = draft with { Correction = $"{reason.Trim()}。变化：{(changes.Count == 0 ? "主要指标无变化" : string.Join("；", changes))}" };
        if (!await store.AddDraftAsync(draft, Drafted(draft) with { UserName = by, Reason = reason.Trim() }, cancellationToken))
        {
            throw new ConcurrentChangeException($"{period.Key} 已有第 {draft.Version} 版，请刷新后重试");
        }

        logger.LogInformation("Disclosure {PeriodKey} correction drafted as version {Version}", period.Key, draft.Version);
        return draft;
    }

    private async Task<DisclosureDraft> DraftAsync(Period period, int version, string? correction, CancellationToken cancellationToken)
    {
        var (content, texts) = await builder.BuildForReviewAsync(period, cancellationToken);
        return new DisclosureDraft(
            period.Key, version, clock.UtcNow, clock.LocalDay(clock.UtcNow).AddDays(review.Value.ReviewDays), correction, content, texts);
    }

    private DisclosureAction Drafted(DisclosureDraft draft) =>
        new(clock.UtcNow, Job, DisclosureActionKind.Drafted, draft.PeriodKey, draft.Version, null, "");

    private static List<string> Changes(PublicationContent before, PublicationContent after) =>
        before.Headline.Zip(after.Headline)
            .Where(x => x.First.Display != x.Second.Display)
            .Select(x => $"{x.First.Name} {x.First.Display} → {x.Second.Display}")
            .Concat(before.BadReviews.Count == after.BadReviews.Count ? [] : [$"公开差评 {before.BadReviews.Count} 条 → {after.BadReviews.Count} 条"])
            .Concat(before.PublishedLater == after.PublishedLater ? [] : [$"期后收到的评价 {before.PublishedLater} 条 → {after.PublishedLater} 条"])
            .ToList();
}

/// <summary>Runs the publisher on a timer.</summary>
public sealed class DisclosureJob(
    DisclosurePublisher publisher, IJobLeadership leadership, TimeProvider time, IOptions<PublishingOptions> options,
    ILogger<DisclosureJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckSeconds), time);
        do
        {
            // Of several instances on one database, only the leading one publishes.
            await leadership.WaitUntilLeaderAsync(stoppingToken);
            try
            {
                await publisher.DraftClosedPeriodsAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed run (the database away, say) must not stop the server that takes the ratings: the next
                // check tries again.
                logger.LogError(ex, "Drafting the periodic disclosures failed; trying again at the next check");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

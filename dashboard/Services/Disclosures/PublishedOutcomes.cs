using ServiceHall.Dashboard.Components.Disclosures;

namespace ServiceHall.Dashboard.Services.Disclosures;

/// <summary>The latest period's rectified 差评 as published: the period's label and its rows, newest rectification first.</summary>
public sealed record PublishedOutcomeList(string PeriodLabel, IReadOnlyList<PublishedBadReview> Rows);

/// <summary>
/// What the hall screen's ticker shows (docs/rules/indicators-and-disclosure.md#on-the-hall-screen): the 差评 of the
/// latest published period that were rectified, with the 整改情况 as the 政务公开 office approved it. Only what was
/// published is shown — the same rows, words and withdrawals as the disclosure page — so nothing reaches the wall before
/// its review. Read from the public <c>DisclosureService</c> and kept for <see cref="KeptFor"/>.
/// </summary>
public sealed class PublishedOutcomes(DisclosureClient client, TimeProvider time)
{
    /// <summary>
    /// How long a read publication is shown before it is read again: with the ticker's turn, a withdrawn text leaves the
    /// wall within a minute, as it leaves every other channel.
    /// </summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(30);

    /// <summary>The most rows a ticker goes round.</summary>
    public const int MostShown = 12;

    private readonly SemaphoreSlim _reading = new(1, 1);
    private (PublishedOutcomeList? List, DateTimeOffset ReadAt)? _kept;

    /// <summary>The latest outcomes, or null when nothing is published or the server cannot be reached now.</summary>
    public async Task<PublishedOutcomeList?> LatestAsync(CancellationToken cancellationToken = default)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_kept is { } kept && time.GetUtcNow() - kept.ReadAt < KeptFor)
            {
                return kept.List;
            }

            // Nothing published yet is not kept: the first publication shows at the ticker's next turn.
            var list = await ReadAsync(cancellationToken);
            _kept = list is null ? null : (list, time.GetUtcNow());
            return list;
        }
        catch (DisclosureUnavailableException)
        {
            // The wall keeps what it showed; the ticker is not worth an error on a public screen.
            return _kept?.List;
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task<PublishedOutcomeList?> ReadAsync(CancellationToken cancellationToken)
    {
        // The newest period still standing (a month before the quarter and year that end with it).
        var latest = (await client.ListAsync(cancellationToken))
            .Where(p => !p.Withdrawn)
            .OrderByDescending(p => DisclosureFormat.Recency(p.PeriodKey).LastDay)
            .ThenBy(p => DisclosureFormat.Recency(p.PeriodKey).Span)
            .FirstOrDefault();
        if (latest is null || await client.GetAsync(latest.PeriodKey, 0, cancellationToken) is not { Document: { } document })
        {
            return null;
        }

        var rows = Rectified(document.Content.BadReviews);
        return rows.Count == 0 ? null : new PublishedOutcomeList(document.Content.PeriodLabel, rows);
    }

    /// <summary>The rows with a published 整改情况 and a day of rectification, the latest first.</summary>
    public static IReadOnlyList<PublishedBadReview> Rectified(IEnumerable<PublishedBadReview> rows) =>
        rows.Where(r => r.RectifiedOn is not null && !string.IsNullOrWhiteSpace(r.WhatWasDone))
            .OrderByDescending(r => r.RectifiedOn)
            .Take(MostShown)
            .ToList();
}

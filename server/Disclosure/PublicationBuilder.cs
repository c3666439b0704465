using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Disclosure;

/// <summary>
/// Puts together what a periodic disclosure holds (docs/rules/indicators-and-disclosure.md#what-a-disclosure-holds):
/// every figure counted by <see cref="IndicatorQuery"/>, the same path the live indicators take, and the list of 差评
/// and their cases one by one.
/// </summary>
public sealed class PublicationBuilder(
    IndicatorQuery indicators, IRatingStore ratings, IRatingReviewStore reviews, ICaseStore caseStore, IPublicationStore publications,
    CatalogSource catalogSource, ICatalogStore catalogStore, CaseTimeLimits limits, DistrictClock clock, IOptions<DisclosureOptions> options,
    IEnquiryStore enquiries)
{
    /// <summary>Shown instead of a text a moderator kept out of publication.</summary>
    public const string HiddenText = "（文字评价不予公开）";

    // How many earlier periods the trend shows next to this one.
    private const int TrendPeriods = 5;

    public async Task<PublicationContent> BuildAsync(Period period, CancellationToken cancellationToken) =>
        (await BuildForReviewAsync(period, cancellationToken)).Content;

    /// <summary>
    /// The content and, for the 政务公开 officer's review, each 差评 text as written beside what the de-identification made
    /// of it (docs/rules/indicators-and-disclosure.md#review-before-release).
    /// </summary>
    public async Task<(PublicationContent Content, IReadOnlyList<DraftText> Texts)> BuildForReviewAsync(Period period, CancellationToken cancellationToken)
    {
        var catalog = catalogSource.Current;
        var minimum = options.Value.MinimumSample;
        var (from, to) = Bounds(period);
        var inputs = await indicators.GatherAsync(Scope.District, period.FirstDay, period.LastDay, cancellationToken);
        var district = inputs.Counts;
        var bad = await ratings.ListBadRatingsAsync(from, to, cancellationToken);
        var cases = (await caseStore.ListCasesRatedAsync(from, to, cancellationToken)).ToDictionary(c => c.RatingId);
        var hidden = await publications.ListHiddenTextsAsync(cancellationToken);
        var withdrawn = await publications.ListWithdrawnTextKeysAsync(cancellationToken);
        var firstRatingDay = await ratings.FirstRatingDayAsync(cancellationToken);
        // Ratings the period received after its first version was published: a correction counts them and says so.
        var firstVersion = (await publications.ListPublicationsAsync(cancellationToken))
            .Where(p => p.PeriodKey == period.Key).MinBy(p => p.Version);
        var publishedLater = firstVersion is null ? 0 : await ratings.CountLateRatingsReceivedAfterAsync(from, to, firstVersion.PublishedAt, cancellationToken);

        // An upheld appeal takes its 差评 out of the figures and out of the published list.
        var upheldIds = inputs.UpheldRatings.Select(r => r.RatingId).ToHashSet();
        var counted = bad.Where(r => !upheldIds.Contains(r.RatingId)).ToList();
        Task<IndicatorCounts> CountsFor(Scope scope) => indicators.CountAsync(scope, period.FirstDay, period.LastDay, cancellationToken);

        var departmentCounts = new List<(string, string, IndicatorCounts)>();
        foreach (var d in catalog.Departments)
        {
            departmentCounts.Add((d.Code, d.ShortName, await CountsFor(new Scope(ScopeKind.Department, d.Code))));
        }

        var windowCounts = new List<(string, string, IndicatorCounts)>();
        foreach (var h in catalog.Halls)
        {
            foreach (var w in h.Windows)
            {
                windowCounts.Add((h.Code + "/" + w.Code, $"{h.Name} {w.Code} {w.Name}", await CountsFor(new Scope(ScopeKind.Window, w.Code, h.Code))));
            }
        }

        var departments = Rank(departmentCounts, minimum);
        var windows = Rank(windowCounts, minimum);

        // Former staff too: a text written before its staff member left the roster still names them.
        var staff = StaffIdentities(catalog, await catalogStore.ListStaffIdentitiesAsync(cancellationToken));
        var withheld = 0;
        var texts = new List<DraftText>();
        var badReviews = counted.Select((r, row) =>
        {
            var c = cases.GetValueOrDefault(r.RatingId);
            var outcome = c is null ? BadReviewOutcome.Unknown : BadReviewOutcome.Of(c, limits.Calendar);
            var hall = catalog.FindHall(r.HallCode);
            var window = r.WindowCode is null ? null : hall?.FindWindow(r.WindowCode);
            // Catalog names are public text too: nothing invisible reaches a reader (docs/rules/privacy.md#in-public).
            var listed = new PublishedBadReview(
                clock.LocalDay(r.RatedAt),
                PublicText.StripControls(catalog.FindDepartment(c?.AssignedDepartmentCode ?? r.DepartmentCode)?.ShortName ?? r.DepartmentCode),
                window is null ? "" : PublicText.StripControls($"{window.Code} {window.Name}"),
                r.ServiceItemCode is null ? "" : PublicText.StripControls(catalog.FindServiceItem(r.ServiceItemCode)?.Name ?? ""),
                r.Level.Label(),
                r.ReasonTagCodes.Select(code => PublicText.StripControls(catalog.ReasonTags.Find(code)?.Label ?? code)).ToList(),
                "",
                Outcome(c, outcome),
                outcome.Disposition,
                "",
                outcome.RectifiedOn,
                outcome.WorkingDaysTaken,
                outcome.OnTime,
                outcome.CalledBack,
                outcome.CitizenVerdict);
            return listed with
            {
                Text = PublishedText(r, listed, row, hidden, withdrawn, staff, ref withheld, texts),
                WhatWasDone = PublishedSummary(outcome.PublicSummary, row, staff, ref withheld, texts),
            };
        }).ToList();

        var trend = new List<TrendPoint>();
        var earlier = period;
        for (var i = 0; i < TrendPeriods; i++)
        {
            earlier = earlier.Previous();
            // The trend starts at the first period with a rating, not with empty periods before it.
            if (!PublicationSchedule.HasData(earlier, firstRatingDay))
            {
                break;
            }

            var counts = await indicators.CountAsync(Scope.District, earlier.FirstDay, earlier.LastDay, cancellationToken);
            trend.Insert(0, TrendPoint(earlier, counts, minimum));
        }

        trend.Add(TrendPoint(period, district, minimum));

        var content = new PublicationContent(
            period.Key,
            period.Label,
            period.FirstDay,
            period.LastDay,
            catalog.RegionCode,
            Indicators.Compute(district, minimum),
            RatingLevels.All.Select(l => new LabelledCount(l.ToGbt39046Code().ToString(System.Globalization.CultureInfo.InvariantCulture), l.Label(), district.Levels.Of(l))).ToList(),
            Enum.GetValues<RatingChannel>()
                .Select(ch => new LabelledCount(
                    ch.ToString(), ch.Label(),
                    inputs.Tallies.Where(t => t.Channel == ch).Sum(t => t.Count) - inputs.UpheldRatings.Count(r => r.Channel == ch)))
                .Where(x => x.Count > 0)
                .ToList(),
            departments,
            windows,
            trend,
            counted
                .SelectMany(r => r.ReasonTagCodes)
                .GroupBy(code => code)
                .Select(g => new LabelledCount(g.Key, catalog.ReasonTags.Find(g.Key)?.Label ?? g.Key, g.Count()))
                .OrderByDescending(x => x.Count).ThenBy(x => x.Code, StringComparer.Ordinal)
                .ToList(),
            badReviews,
            withheld,
            publishedLater)
        {
            // How many ratings of the period a reviewer excluded, and why (docs/rules/ratings.md#anti-fraud).
            ExcludedRatings = (await reviews.CountExclusionsAsync(from, to, cancellationToken))
                .Select(x => new LabelledCount(x.Reason.ToString(), x.Reason.Label(), x.Count))
                .ToList(),
            Enquiries =
            [
                await EnquiryFiguresAsync(EnquiryKind.Question, "question", "办事咨询", "答复", period, cancellationToken),
                await EnquiryFiguresAsync(EnquiryKind.CouldNotBeDoneReport, "could_not_be_done_report", "办不成事反映", "办结", period, cancellationToken),
            ],
        };
        return (content, texts);
    }

    /// <summary>The period's figures of one enquiry kind, by the same computation as the handling statistics' months.</summary>
    private async Task<EnquiryFigures> EnquiryFiguresAsync(
        EnquiryKind kind, string code, string label, string doneLabel, Period period, CancellationToken cancellationToken)
    {
        var f = await enquiries.PeriodFiguresAsync(kind, period.FirstDay, period.LastDay, cancellationToken);
        return new EnquiryFigures(code, label, doneLabel, f.Received, f.Done, f.DoneOnTime, f.MedianWorkingDays);
    }

    /// <summary>
    /// A citizen's text as published: hidden by a moderator, withdrawn by the 政务公开 officer, withheld when the
    /// de-identification cannot make it safe with confidence (docs/rules/indicators-and-disclosure.md#de-identification),
    /// else scrubbed; every text but the hidden and withdrawn ones goes to the officer's review.
    /// </summary>
    private static string PublishedText(
        RatingRecord rating, PublishedBadReview listed, int row, IReadOnlySet<Guid> hidden, IReadOnlySet<string> withdrawn, IReadOnlyList<string> staff,
        ref int withheld, List<DraftText> texts)
    {
        if (rating.Text is null)
        {
            return "";
        }

        if (hidden.Contains(rating.RatingId))
        {
            return HiddenText;
        }

        var review = PublicText.Review(rating.Text, staff);
        if (withdrawn.Contains(Withdrawal.KeyOf(listed, review.Text)))
        {
            // Withdrawn once from a publication: never published again, not even offered for review
            // (docs/rules/indicators-and-disclosure.md#withdrawal).
            return DisclosureDraft.WithdrawnText;
        }

        withheld += review.Withheld ? 1 : 0;
        var published = review.Withheld ? PublicText.WithheldText : review.Text;
        texts.Add(new DraftText(row, rating.Text, review.Text, review.Changed, review.Withheld, published, DraftTextDecision.None));
        return published;
    }

    /// <summary>
    /// The handler's account of what was done, de-identified like a citizen's text and put before the officer the same way:
    /// staff write it, but it may still name a citizen, a number or a colleague.
    /// </summary>
    private static string PublishedSummary(string? summary, int row, IReadOnlyList<string> staff, ref int withheld, List<DraftText> texts)
    {
        if (string.IsNullOrEmpty(summary))
        {
            return "";
        }

        var review = PublicText.Review(summary, staff);
        withheld += review.Withheld ? 1 : 0;
        var published = review.Withheld ? PublicText.WithheldText : review.Text;
        texts.Add(new DraftText(row, summary, review.Text, review.Changed, review.Withheld, published, DraftTextDecision.None, DraftTextField.WhatWasDone));
        return published;
    }

    private (DateTimeOffset From, DateTimeOffset To) Bounds(Period period) =>
        (clock.DayBounds(period.FirstDay).From, clock.DayBounds(period.LastDay).To);

    private static List<UnitFigures> Rank(IEnumerable<(string Code, string Name, IndicatorCounts Counts)> units, int minimum) =>
        units
            .Where(u => u.Counts.Levels.Total > 0 || u.Counts.AppealUpheld > 0)
            // Ranked by 好评率 where the sample allows, then by ratings: the table a district publishes.
            .OrderByDescending(u => u.Counts.Levels.Total >= Math.Max(minimum, 1) ? Indicators.Percent(u.Counts.Levels.Good, u.Counts.Levels.Total) : -1)
            .ThenByDescending(u => u.Counts.Levels.Total)
            .ThenBy(u => u.Code, StringComparer.Ordinal)
            .Select((u, i) =>
            {
                var values = Indicators.Compute(u.Counts, minimum).ToDictionary(v => v.Code);
                return new UnitFigures(
                    i + 1, u.Code, PublicText.StripControls(u.Name), u.Counts.Levels.Total, values[Indicators.GoodRate].Display, u.Counts.Levels.Bad,
                    u.Counts.BadRectified, values[Indicators.RectifiedInTimeRate].Display, u.Counts.Levels.Good, u.Counts.BadDue,
                    u.Counts.BadRectifiedInTime);
            })
            .ToList();

    private static TrendPoint TrendPoint(Period period, IndicatorCounts counts, int minimum) => new(
        period.Key, period.Label, counts.Levels.Total,
        Indicators.Compute(counts, minimum).Single(v => v.Code == Indicators.GoodRate).Display, counts.Levels.Bad);

    private static List<string> StaffIdentities(DistrictCatalog catalog, IEnumerable<StaffIdentity> everNamed) =>
        catalog.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff).SelectMany(s => new[] { s.Name, s.StaffId })
            .Concat(everNamed.SelectMany(s => new[] { s.Name, s.StaffId }))
            .Distinct()
            .ToList();

    /// <summary>Where a 差评's case stands, in the words a citizen reads: its disposition and its state.</summary>
    private static string Outcome(BadReviewCase? c, BadReviewOutcome outcome)
    {
        if (c is null)
        {
            return "处理中";
        }

        var disposed = outcome.Disposition is not ("处理中" or "申诉中");
        return c.State switch
        {
            CaseState.Closed when disposed => $"{outcome.Disposition}，已办结",
            CaseState.Closed => "已办结",
            _ when disposed => $"{outcome.Disposition}，{c.State.Label()}",
            _ => $"处理中（{c.State.Label()}）",
        };
    }
}

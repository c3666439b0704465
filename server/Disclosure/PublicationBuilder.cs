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
    IndicatorQuery indicators, IRatingStore ratings, IRatingReviewStore reviews, ICaseStore caseStore, IPublicationStore publications, CatalogSource catalogSource,
    DistrictClock clock, IOptions<DisclosureOptions> options)
{
    /// <summary>Shown instead of a text a moderator kept out of publication.</summary>
    public const string HiddenText = "（文字评价不予公开）";

    // How many earlier periods the trend shows next to this one.
    private const int TrendPeriods = 5;

    public async Task<PublicationContent> BuildAsync(Period period, CancellationToken cancellationToken)
    {
        var catalog = catalogSource.Current;
        var minimum = options.Value.MinimumSample;
        var (from, to) = Bounds(period);
        var inputs = await indicators.GatherAsync(Scope.District, period.FirstDay, period.LastDay, cancellationToken);
        var district = inputs.Counts;
        var bad = await ratings.ListBadRatingsAsync(from, to, cancellationToken);
        var cases = await caseStore.ListCasesReceivedAsync(from, to, cancellationToken);
        var hidden = await publications.ListHiddenTextsAsync(cancellationToken);

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

        var staff = StaffIdentities(catalog).ToList();
        var withheld = 0;
        var badReviews = counted.Select(r =>
        {
            var c = cases.FirstOrDefault(x => x.RatingId == r.RatingId);
            var hall = catalog.FindHall(r.HallCode);
            var window = r.WindowCode is null ? null : hall?.FindWindow(r.WindowCode);
            // Catalog names are public text too: nothing invisible reaches a reader (docs/rules/privacy.md#in-public).
            return new PublishedBadReview(
                clock.LocalDay(r.RatedAt),
                PublicText.StripControls(catalog.FindDepartment(c?.AssignedDepartmentCode ?? r.DepartmentCode)?.ShortName ?? r.DepartmentCode),
                window is null ? "" : PublicText.StripControls($"{window.Code} {window.Name}"),
                r.ServiceItemCode is null ? "" : PublicText.StripControls(catalog.FindServiceItem(r.ServiceItemCode)?.Name ?? ""),
                r.Level.Label(),
                r.ReasonTagCodes.Select(code => PublicText.StripControls(catalog.ReasonTags.Find(code)?.Label ?? code)).ToList(),
                PublishedText(r, hidden, staff, ref withheld),
                Outcome(c));
        }).ToList();

        var trend = new List<TrendPoint>();
        var earlier = period;
        for (var i = 0; i < TrendPeriods; i++)
        {
            earlier = earlier.Previous();
            var counts = await indicators.CountAsync(Scope.District, earlier.FirstDay, earlier.LastDay, cancellationToken);
            trend.Insert(0, TrendPoint(earlier, counts, minimum));
        }

        trend.Add(TrendPoint(period, district, minimum));

        return new PublicationContent(
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
            withheld)
        {
            // How many ratings of the period a reviewer excluded, and why (docs/rules/ratings.md#anti-fraud).
            ExcludedRatings = (await reviews.CountExclusionsAsync(from, to, cancellationToken))
                .Select(x => new LabelledCount(x.Reason.ToString(), x.Reason.Label(), x.Count))
                .ToList(),
        };
    }

    /// <summary>
    /// A citizen's text as published: hidden by a moderator, withheld when the de-identification cannot make it safe
    /// with confidence (docs/rules/indicators-and-disclosure.md#de-identification), else scrubbed.
    /// </summary>
    private static string PublishedText(RatingRecord rating, IReadOnlySet<Guid> hidden, IReadOnlyList<string> staff, ref int withheld)
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
        withheld += review.Withheld ? 1 : 0;
        return review.Withheld ? PublicText.WithheldText : review.Text;
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
                    u.Counts.BadRectified, values[Indicators.RectifiedInTimeRate].Display);
            })
            .ToList();

    private static TrendPoint TrendPoint(Period period, IndicatorCounts counts, int minimum) => new(
        period.Key, period.Label, counts.Levels.Total,
        Indicators.Compute(counts, minimum).Single(v => v.Code == Indicators.GoodRate).Display, counts.Levels.Bad);

    private static IEnumerable<string> StaffIdentities(DistrictCatalog catalog) =>
        catalog.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff).SelectMany(s => new[] { s.Name, s.StaffId });

    /// <summary>What was done about a 差评, in the words a citizen reads.</summary>
    private static string Outcome(BadReviewCase? c)
    {
        if (c is null)
        {
            return "处理中";
        }

        var disposition = c.Events.LastOrDefault(e => e.Kind is CaseEventKind.FixedAtOnce or CaseEventKind.RectificationScheduled
            or CaseEventKind.Explained or CaseEventKind.AppealUpheld)?.Kind;
        var done = disposition switch
        {
            CaseEventKind.FixedAtOnce => "立行立改",
            CaseEventKind.RectificationScheduled => "限期整改",
            CaseEventKind.Explained => "解释说明",
            CaseEventKind.AppealUpheld => "经核实属误评或恶意差评，不计入差评",
            _ => null,
        };
        return c.State switch
        {
            CaseState.Closed when done is not null => $"{done}，已办结",
            CaseState.Closed => "已办结",
            _ when done is not null => $"{done}，{c.State.Label()}",
            _ => $"处理中（{c.State.Label()}）",
        };
    }
}

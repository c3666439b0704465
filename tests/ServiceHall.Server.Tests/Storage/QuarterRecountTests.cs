using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;
using Xunit.Abstractions;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// A generated quarter recounted by hand: every published figure equals a count made here from the generated ratings
/// and what was done on each case, by a method that shares nothing with the store's sums. The quarter has ratings made
/// just before it that arrived inside it, ratings made at its end that arrived days later, and cases in every stage.
/// </summary>
public sealed class QuarterRecountTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly Period Q3 = new(PeriodKind.Quarter, 2026, 3);

    private readonly ClockedServer _server = new();

    private sealed class ClockedServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(8)));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Disclosure:MinimumSample", "1");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    /// <summary>What the generator did to one 差评's case, as the recount sees it.</summary>
    private enum Handling
    {
        Untouched,
        ClosedInTime,
        ClosedLate,
        RealNameReachedAndSatisfied,
        RealNameWaiting,
        AppealUpheld,
    }

    private sealed record Generated(Rating Rating, Handling Handling, CaseDeadlines? Deadlines);

    [Fact]
    public async Task PublishedQuarter_RecountedFromTheGeneratedRatingsAndCases_EveryFigureMatches()
    {
        var generated = await GenerateAsync();
        // Some days after the quarter: the late ratings are in, some deadlines have passed and some have not.
        var early = new DateTimeOffset(2026, 10, 8, 12, 0, 0, China);
        // After every deadline of the quarter's cases: each 差评 is due.
        var settled = new DateTimeOffset(2026, 11, 2, 12, 0, 0, China);

        foreach (var asOf in new[] { early, settled })
        {
            _server.Clock.SetUtcNow(asOf);
            var published = await _server.Services.GetRequiredService<PublicationBuilder>().BuildAsync(Q3, CancellationToken.None);
            var expected = Recount(generated, asOf, _ => true);
            output.WriteLine($"{asOf:yyyy-MM-dd HH:mm}: {expected}");

            var headline = published.Headline.ToDictionary(v => v.Code);
            Assert.Equal(expected.Ratings, headline[Indicators.RatingCount].Numerator);
            Assert.Equal((expected.Good, expected.Ratings), Fraction(headline[Indicators.GoodRate]));
            Assert.Equal((expected.Bad, expected.Ratings), Fraction(headline[Indicators.BadRate]));
            Assert.Equal((expected.Ratings, expected.Ratings), Fraction(headline[Indicators.ActiveRate]));
            Assert.Equal((expected.Rectified, expected.Due), Fraction(headline[Indicators.RectifiedRate]));
            Assert.Equal((expected.InTime, expected.Due), Fraction(headline[Indicators.RectifiedInTimeRate]));
            Assert.Equal((expected.CalledBack, expected.CallbackDue), Fraction(headline[Indicators.CallbackRate]));
            Assert.Equal((expected.Satisfied, expected.Asked), Fraction(headline[Indicators.FixSatisfactionRate]));
            Assert.Equal(expected.Upheld, headline[Indicators.AppealUpheldCount].Numerator);
            Assert.Equal(expected.Bad, published.BadReviews.Count);
            Assert.Equal(
                RatingLevels.All.Select(l => generated.Count(g => InQ3(g) && g.Rating.Level == l && g.Handling != Handling.AppealUpheld)),
                published.Levels.Select(l => l.Count));

            foreach (var unit in published.Departments)
            {
                var e = Recount(generated, asOf, g => g.Rating.DepartmentCode == unit.Code);
                Assert.Equal(
                    (e.Ratings, e.Good, e.Bad, e.Rectified, e.InTime, e.Due),
                    (unit.Ratings, unit.GoodRatings, unit.BadReviews, unit.Rectified, unit.RectifiedInTime, unit.BadDue));
            }

            foreach (var unit in published.Windows)
            {
                var e = Recount(generated, asOf, g => g.Rating.HallCode + "/" + g.Rating.WindowCode == unit.Code);
                Assert.Equal(
                    (e.Ratings, e.Good, e.Bad, e.Rectified, e.InTime, e.Due),
                    (unit.Ratings, unit.GoodRatings, unit.BadReviews, unit.Rectified, unit.RectifiedInTime, unit.BadDue));
            }

            // Each 差评's row says what became of it, as the generator made it.
            var rows = published.BadReviews;
            var listed = generated.Where(g => InQ3(g) && g.Rating.IsBad && g.Handling != Handling.AppealUpheld).OrderBy(g => g.Rating.RatedAt).ToList();
            Assert.Equal(listed.Select(g => g.Handling switch
            {
                Handling.ClosedInTime or Handling.ClosedLate => ("立行立改", (bool?)(g.Handling == Handling.ClosedInTime), "匿名", "匿名，未征询"),
                Handling.RealNameReachedAndSatisfied => ("立行立改", true, "是", "满意"),
                _ => ("处理中", null, g.Rating.CallbackPhone is null ? "匿名" : "否", g.Rating.CallbackPhone is null ? "匿名，未征询" : "未征询"),
            }), rows.Select(b => (b.Disposition, b.OnTime, b.CalledBack, b.CitizenVerdict)));
            Assert.All(rows.Where(b => b.OnTime is not null), b => Assert.True(b.RectifiedOn is not null && b.WorkingDaysTaken >= 0));
            Assert.All(rows.Where(b => b.OnTime == false), b => Assert.True(b.WorkingDaysTaken > 5));
            Assert.Contains(rows, b => b.WhatWasDone.StartsWith("已增设取号机", StringComparison.Ordinal));
            Assert.DoesNotContain(rows, b => b.WhatWasDone.Contains("13900001111", StringComparison.Ordinal));

            Assert.Equal(
                generated.Where(InQ3).Select(g => g.Rating.DepartmentCode).Distinct().Order(StringComparer.Ordinal),
                published.Departments.Select(d => d.Code).Order(StringComparer.Ordinal));
            if (asOf == settled)
            {
                // Once everything is due, the quarter's 差评 are in its handling rates exactly as in its 差评率.
                Assert.Equal(expected.Bad, headline[Indicators.RectifiedRate].Denominator);
                Assert.Equal(expected.RealNameBad, headline[Indicators.CallbackRate].Denominator);
            }
            else
            {
                // Early, some are not due yet: left out of the handling rates until they are.
                Assert.True(expected.Due < expected.Bad && expected.CallbackDue < expected.RealNameBad);
            }
        }
    }

    [Fact]
    public async Task WhatWasDone_PutBeforeTheOfficer_LikeTheCitizensText()
    {
        await GenerateAsync();
        _server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 12, 0, 0, China));

        var (content, texts) = await _server.Services.GetRequiredService<PublicationBuilder>().BuildForReviewAsync(Q3, CancellationToken.None);

        // Every 整改情况 the draft would publish is one of its texts under review, its original (with the number) beside it.
        var summaries = texts.Where(t => t.Field == DraftTextField.WhatWasDone).ToList();
        Assert.Equal(
            content.BadReviews.Select((b, row) => (b, row)).Where(x => x.b.WhatWasDone.Length > 0).Select(x => x.row),
            summaries.Select(t => t.Row));
        Assert.NotEmpty(summaries);
        Assert.All(summaries, t =>
        {
            Assert.Contains("13900001111", t.Original, StringComparison.Ordinal);
            Assert.DoesNotContain("13900001111", t.Published, StringComparison.Ordinal);
            Assert.Equal(content.BadReviews[t.Row].WhatWasDone, t.Published);
        });
    }

    private static (int, int?) Fraction(IndicatorValue v) => (v.Numerator, v.Denominator);

    private static bool InQ3(Generated g)
    {
        var day = DateOnly.FromDateTime(g.Rating.RatedAt.ToOffset(China).DateTime);
        return day >= Q3.FirstDay && day <= Q3.LastDay;
    }

    private sealed record Expected(
        int Ratings, int Good, int Bad, int Upheld, int Due, int Rectified, int InTime, int RealNameBad, int CallbackDue, int CalledBack,
        int Asked, int Satisfied);

    /// <summary>The figures of Q3 at <paramref name="asOf"/>, counted from what was generated.</summary>
    private static Expected Recount(IReadOnlyList<Generated> all, DateTimeOffset asOf, Func<Generated, bool> scope)
    {
        var q3 = all.Where(g => InQ3(g) && scope(g)).ToList();
        var upheld = q3.Count(g => g.Handling == Handling.AppealUpheld);
        var counted = q3.Where(g => g.Handling != Handling.AppealUpheld).ToList();
        var bad = counted.Where(g => g.Rating.IsBad).ToList();
        var closed = bad.Where(g => g.Handling is Handling.ClosedInTime or Handling.ClosedLate or Handling.RealNameReachedAndSatisfied).ToList();
        var realName = bad.Where(g => g.Rating.CallbackPhone is not null).ToList();
        return new Expected(
            counted.Count,
            counted.Count(g => !g.Rating.IsBad),
            bad.Count,
            upheld,
            Due: bad.Count(g => closed.Contains(g) || asOf > g.Deadlines!.RectificationDue),
            Rectified: closed.Count,
            InTime: closed.Count(g => g.Handling != Handling.ClosedLate),
            RealNameBad: realName.Count,
            CallbackDue: realName.Count(g => g.Handling == Handling.RealNameReachedAndSatisfied || asOf > g.Deadlines!.ContactDue),
            CalledBack: realName.Count(g => g.Handling == Handling.RealNameReachedAndSatisfied),
            Asked: bad.Count(g => g.Handling == Handling.RealNameReachedAndSatisfied),
            Satisfied: bad.Count(g => g.Handling == Handling.RealNameReachedAndSatisfied));
    }

    /// <summary>
    /// Ratings from 2026-06-28 to 2026-10-03, each received a little after it was made — some of them days later, across
    /// the quarter's edges — and each 差评's case worked by one of the <see cref="Handling"/> scripts.
    /// </summary>
    private async Task<List<Generated>> GenerateAsync()
    {
        var catalog = _server.Services.GetRequiredService<CatalogSource>().Current;
        var limits = _server.Services.GetRequiredService<CaseTimeLimits>();
        var store = _server.Services.GetRequiredService<IRatingStore>();
        var random = new Random(20261001);
        var windows = catalog.Halls.SelectMany(h => h.Windows.Select(w => (Hall: h, Window: w))).ToList();
        var tags = catalog.ReasonTags.Tags.Where(t => t.Levels.Any(l => l.IsBad())).ToList();
        var all = new List<Generated>();
        var ratings = new List<Rating>();
        var cases = new List<BadReviewCase>();
        for (var day = new DateTimeOffset(2026, 6, 28, 9, 0, 0, China); day < new DateTimeOffset(2026, 10, 4, 0, 0, 0, China); day = day.AddDays(1))
        {
            for (var i = random.Next(8, 20); i > 0; i--)
            {
                var ratedAt = day.AddMinutes(random.Next(14 * 60));
                // Most arrive at once; one in eight days later (a kiosk that was offline).
                var receivedAt = random.Next(8) == 0 ? ratedAt.AddDays(random.Next(2, 6)).AddHours(random.Next(1, 5)) : ratedAt.AddSeconds(3);
                var (hall, window) = windows[random.Next(windows.Count)];
                var item = window.ServiceItemCodes.Count == 0 ? null : window.ServiceItemCodes[random.Next(window.ServiceItemCodes.Count)];
                var level = random.Next(6) == 0 ? (random.Next(2) == 0 ? RatingLevel.Dissatisfied : RatingLevel.VeryDissatisfied)
                    : (RatingLevel)random.Next(1, 4);
                var handling = level.IsBad() ? (Handling)random.Next(6) : Handling.Untouched;
                var realName = level.IsBad() && (handling is Handling.RealNameReachedAndSatisfied or Handling.RealNameWaiting || random.Next(4) == 0)
                    && handling is not (Handling.ClosedInTime or Handling.ClosedLate);
                var rating = new Rating(
                    Guid.CreateVersion7(ratedAt), null, hall.Code, catalog.RegionCode, window.Code, item,
                    item is null ? window.DepartmentCode : catalog.FindServiceItem(item)!.DepartmentCode, null, RatingChannel.HallTerminal, level,
                    level.IsBad() ? [tags[random.Next(tags.Count)].Code] : [], catalog.ReasonTags.Version, level.IsBad() ? "窗口等候时间太长" : null,
                    ratedAt, receivedAt, realName ? "13912345678" : null, "kiosk-recount")
                {
                    ArrivedLate = receivedAt - ratedAt > TimeSpan.FromHours(24),
                };
                ratings.Add(rating);
                if (!level.IsBad())
                {
                    all.Add(new Generated(rating, handling, null));
                    continue;
                }

                var c = BadReviewCase.Open(Guid.CreateVersion7(receivedAt), rating, limits);
                Work(c, handling, limits);
                cases.Add(c);
                all.Add(new Generated(rating, handling, c.Deadlines));
            }
        }

        await store.AddRatingsAsync(ratings, cases, CancellationToken.None);
        return all;
    }

    private static void Work(BadReviewCase c, Handling handling, CaseTimeLimits limits)
    {
        var manager = new Actor("recount-manager", CaseRole.HallManager);
        var handler = new Actor("recount-handler", CaseRole.DepartmentHandler, c.DepartmentCode);
        var supervisor = new Actor("recount-supervisor", CaseRole.Supervisor);
        var at = c.ReceivedAt;
        switch (handling)
        {
            case Handling.Untouched:
            case Handling.RealNameWaiting:
                return;
            case Handling.ClosedInTime:
            case Handling.ClosedLate:
                c.Assign(manager, c.DepartmentCode, null, null, at.AddMinutes(10));
                c.SkipCallbackAnonymous(handler, at.AddMinutes(20));
                c.FixAtOnce(handler, "已当场整改", null, at.AddMinutes(30));
                c.GiveFeedback(
                    handler, "已反馈", null, handling == Handling.ClosedLate ? c.Deadlines.RectificationDue.AddHours(2) : at.AddMinutes(40),
                    "已增设取号机，咨询请拨13900001111");
                return;
            case Handling.RealNameReachedAndSatisfied:
                c.Assign(manager, c.DepartmentCode, null, null, at.AddMinutes(10));
                c.RecordCallback(handler, CallOutcome.Reached, "情况属实", null, at.AddMinutes(25));
                c.FixAtOnce(handler, "已当场整改", null, at.AddMinutes(30));
                c.GiveFeedback(handler, "已反馈", null, at.AddMinutes(40));
                c.RecordSatisfaction(handler, RaterSatisfaction.Satisfied, null, limits, at.AddMinutes(50));
                return;
            case Handling.AppealUpheld:
                c.Assign(manager, c.DepartmentCode, null, null, at.AddMinutes(10));
                if (c.IsRealName)
                {
                    c.RecordCallback(handler, CallOutcome.Reached, "评价人承认误评", null, at.AddMinutes(20));
                }
                else
                {
                    c.SkipCallbackAnonymous(handler, at.AddMinutes(20));
                }

                c.Appeal(handler, "误触", ["监控录像 001"], at.AddMinutes(30));
                c.UpholdAppeal(supervisor, AppealFinding.Misrated, "录像显示误触", at.AddMinutes(40));
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(handling), handling, null);
        }
    }

    public void Dispose() => _server.Dispose();
}

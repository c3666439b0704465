using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;
using CaseState = ServiceHall.Server.Domain.CaseState;
using ScopeKind = ServiceHall.Server.Domain.ScopeKind;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// The handling figures, summed in the database, against the same figures counted case by case; and against the publication's
/// own indicators. Runs on SQLite, and on PostgreSQL when the suite runs there (<see cref="TestStore"/>).
/// </summary>
public sealed class HandlingFiguresTests : IDisposable
{
    private readonly ServerFactory _server = new();

    private ICaseStore Cases => _server.Services.GetRequiredService<ICaseStore>();

    private DistrictClock Clock => _server.Services.GetRequiredService<DistrictClock>();

    /// <summary>A closed history of 40 days, and open 差评 (real-name and anonymous) from the kiosk just now.</summary>
    private async Task<IReadOnlyList<BadReviewCase>> SeedAsync()
    {
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(3_000, 40, badPerMille: 100, seed: 11, CancellationToken.None);
        var client = _server.CreateRatingClient();
        for (var i = 0; i < 6; i++)
        {
            var r = ServerFactory.GoodRating();
            r.Level = Protos.V1.RatingLevel.VeryDissatisfied;
            r.Text = "窗口无人";
            r.CallbackPhone = i % 2 == 0 ? "13912345678" : "";
            await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { r } });
        }

        // The real-name ones are worked on: one waits for the callback, one is being rectified, one waits for the rater's verdict.
        var manager = new Actor("manager", CaseRole.HallManager);
        var handler = new Actor("handler", CaseRole.DepartmentHandler, "XZSP");
        var realName = (await Cases.ListCasesAsync(new CaseQuery([CaseState.New]), CancellationToken.None)).Cases.Where(c => c.IsRealName).ToList();
        Assert.Equal(3, realName.Count);
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < realName.Count; i++)
        {
            var c = realName[i];
            var before = c.Events.Count;
            c.Assign(manager, "XZSP", null, null, at);
            if (i > 0)
            {
                c.RecordCallback(handler, CallOutcome.Reached, "核实属实", null, at.AddSeconds(2));
            }

            if (i > 1)
            {
                c.FixAtOnce(handler, "已当场补正", null, at.AddSeconds(3));
                c.GiveFeedback(handler, "已电话告知评价人", null, at.AddSeconds(4));
            }

            await Cases.SaveCaseAsync(c, before, CancellationToken.None);
        }

        return await Cases.ListCasesRatedAsync(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
    }

    private static readonly Scope[] Scopes =
        [Scope.District, new(ScopeKind.Department, "XZSP"), new(ScopeKind.Hall, ServerFactory.HallCode), new(ScopeKind.Window, "A01", ServerFactory.HallCode)];

    [Fact]
    public async Task HandlingCounts_SummedInTheDatabase_EqualThoseCountedCaseByCase()
    {
        var cases = await SeedAsync();
        Assert.Contains(cases, c => c.State == CaseState.New);
        Assert.Contains(cases, c => c.Events.Any(e => e.Kind == CaseEventKind.Contacted));
        Assert.Contains(cases, c => c.Events.Any(e => e.Kind == CaseEventKind.FeedbackGiven));
        var to = DateTimeOffset.UtcNow.AddDays(1);
        var from = to.AddDays(-60);
        var calendar = _server.Services.GetRequiredService<CaseTimeLimits>().Calendar;
        foreach (var scope in Scopes)
        {
            // Now, and a month on, when every open case is overdue.
            foreach (var now in new[] { DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30) })
            {
                var dueBy = now.AddHours(30);
                var expected = HandlingCounts.Of(cases.Where(scope.Covers), now, dueBy, calendar);
                var actual = await Cases.CountHandlingAsync(from, to, scope, now, dueBy, TimeSpan.FromHours(8), CancellationToken.None);
                Assert.Equal(Sorted(expected.States), Sorted(actual.States));
                Assert.Equal(Sorted(expected.ToContact), Sorted(actual.ToContact));
                Assert.Equal(Sorted(expected.ToFeedback), Sorted(actual.ToFeedback));
            }
        }

        // A month on, every case still on a running clock is overdue.
        var later = await Cases.CountHandlingAsync(
            from, to, Scope.District, DateTimeOffset.UtcNow.AddDays(30), DateTimeOffset.UtcNow.AddDays(31), TimeSpan.FromHours(8), CancellationToken.None);
        var running = later.States.Where(s => BadReviewCase.ContactClockRuns(s.State) || BadReviewCase.RectificationClockRuns(s.State)).ToList();
        Assert.NotEmpty(running);
        Assert.All(running, s => Assert.Equal(s.Count, s.Overdue));
        Assert.Equal(cases.Count, later.States.Sum(s => s.Count));
    }

    [Fact]
    public async Task OpenCases_ForTriage_EqualThoseCountedCaseByCase_WheneverRated()
    {
        var cases = await SeedAsync();
        var now = DateTimeOffset.UtcNow;
        var calendar = _server.Services.GetRequiredService<CaseTimeLimits>().Calendar;
        // Tomorrow evening: the cases from the kiosk are due by then (first contact within one working day), none overdue now.
        foreach (var dueBy in new[] { now.AddHours(1), now.AddDays(10) })
        {
            foreach (var (hall, department) in new (string?, string?)[] { (null, null), (ServerFactory.HallCode, null), (ServerFactory.HallCode, "XZSP"), ("NONE", null) })
            {
                var expected = HandlingCounts.Of(
                    cases.Where(c => !c.IsClosed && (hall is null || c.HallCode == hall) && (department is null || (c.AssignedDepartmentCode ?? c.DepartmentCode) == department)),
                    now, dueBy, calendar).States;
                var actual = await Cases.CountOpenCasesAsync(hall, department, now, dueBy, CancellationToken.None);
                Assert.Equal(Sorted(expected), Sorted(actual));
            }
        }

        var load = Server.Domain.CaseLoad.Of(await Cases.CountOpenCasesAsync(null, null, now, now.AddDays(10), CancellationToken.None));
        Assert.Equal(6, load.Open);
        Assert.Equal(0, load.Overdue);
        Assert.Equal(5, load.DueToday); // all but the one waiting for the rater's verdict, whose clocks have stopped
    }

    [Fact]
    public async Task CaseFiguresByDepartmentAndByMonth_EachEqualTheScopesOwnCount_AndSumToTheWhole()
    {
        var cases = await SeedAsync();
        var asOf = DateTimeOffset.UtcNow;
        var to = DateTimeOffset.UtcNow.AddDays(1);
        var from = to.AddDays(-60);
        var byDepartment = await Cases.CountCasesByAsync(from, to, Scope.District, asOf, CaseGrouping.Department, CancellationToken.None);
        Assert.True(byDepartment.Count >= 2);
        foreach (var group in byDepartment)
        {
            var scope = new Scope(ScopeKind.Department, group.Key);
            Assert.Equal(await Cases.CountCasesAsync(from, to, scope, asOf, CancellationToken.None), group.Figures);
            Assert.Equal(cases.Count(scope.Covers), group.Received);
        }

        Assert.Equal(cases.Count, byDepartment.Sum(g => g.Received));
        var bounds = Enumerable.Range(0, 4).Select(i => from.AddDays(i * 20)).ToList();
        var byPeriod = await Cases.CountCasesByPeriodAsync(bounds, Scope.District, asOf, CancellationToken.None);
        Assert.Equal(3, byPeriod.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(await Cases.CountCasesAsync(bounds[i], bounds[i + 1], Scope.District, asOf, CancellationToken.None), byPeriod[i].Figures);
            Assert.Equal(cases.Count(c => c.RatedAt >= bounds[i] && c.RatedAt < bounds[i + 1]), byPeriod[i].Received);
        }
    }

    [Fact]
    public async Task HandlingByBreakdown_SummedInTheDatabase_EqualsEachGroupCountedCaseByCase()
    {
        var cases = await SeedAsync();
        var ratings = _server.Services.GetRequiredService<IRatingStore>();
        var rated = new Dictionary<Guid, RatingRecord>();
        foreach (var c in cases)
        {
            rated[c.Id] = (await ratings.FindRatingAsync(c.RatingId, CancellationToken.None))!;
        }

        var keysOf = new Dictionary<HandlingGrouping, Func<BadReviewCase, IEnumerable<string>>>
        {
            [HandlingGrouping.Department] = c => [c.AssignedDepartmentCode ?? c.DepartmentCode],
            [HandlingGrouping.Window] = c => [c.WindowCode is null ? "" : c.HallCode + "/" + c.WindowCode],
            [HandlingGrouping.Staff] = c => [c.StaffId ?? ""],
            [HandlingGrouping.ReasonTags] = c => rated[c.Id].ReasonTagCodes.Count == 0 ? [""] : rated[c.Id].ReasonTagCodes.Distinct(),
            [HandlingGrouping.Channel] = c => [((long)rated[c.Id].Channel).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        };
        var to = DateTimeOffset.UtcNow.AddDays(1);
        var from = to.AddDays(-60);
        var calendar = _server.Services.GetRequiredService<CaseTimeLimits>().Calendar;
        var now = DateTimeOffset.UtcNow;
        var dueBy = now.AddHours(30);
        foreach (var scope in new[] { Scope.District, new Scope(ScopeKind.Hall, ServerFactory.HallCode), new Scope(ScopeKind.Department, "XZSP") })
        {
            foreach (var (by, keyOf) in keysOf)
            {
                var inScope = cases.Where(scope.Covers).ToList();
                var expected = inScope.SelectMany(c => keyOf(c).Select(k => (Key: k, Case: c))).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Select(x => x.Case).ToList());
                var actual = await Cases.CountHandlingByAsync(from, to, scope, now, dueBy, TimeSpan.FromHours(8), by, CancellationToken.None);
                Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Select(g => g.Key));
                foreach (var group in actual)
                {
                    var its = expected[group.Key];
                    var reference = HandlingCounts.Of(its, now, dueBy, calendar);
                    Assert.Equal(its.Count, group.Figures.Received);
                    Assert.Equal(CaseFigures.Of(its.Select(CaseFacts.Of), now), group.Figures.Figures);
                    Assert.Equal(ByState(reference.States), ByState(group.Counts.States));
                    Assert.Equal(ByDays(reference.ToContact), ByDays(group.Counts.ToContact));
                    Assert.Equal(ByDays(reference.ToFeedback), ByDays(group.Counts.ToFeedback));
                }

                if (by is not HandlingGrouping.ReasonTags)
                {
                    // Every case in exactly one group: the groups add up to the scope.
                    Assert.Equal(inScope.Count, actual.Sum(g => g.Figures.Received));
                }
            }
        }

        static List<(CaseState, int, int, int)> ByState(IEnumerable<CaseStateCount> states) => states
            .GroupBy(s => s.State).Select(g => (g.Key, g.Sum(s => s.Count), g.Sum(s => s.Overdue), g.Sum(s => s.DueToday))).OrderBy(x => x.Key).ToList();

        static List<(int, int)> ByDays(IEnumerable<CaseDuration> durations) => durations
            .GroupBy(p => p.WorkingDays).Select(g => (g.Key, g.Sum(p => p.Count))).OrderBy(x => x.Item1).ToList();
    }

    [Fact]
    public async Task WindowBreakdown_ListsEveryWindowOfTheHall_WithTheGoodRateAndBadCountThePublicationRanksBy()
    {
        await SeedAsync();
        var indicators = _server.Services.GetRequiredService<IndicatorQuery>();
        var handling = _server.Services.GetRequiredService<HandlingFiguresQuery>();
        var today = Clock.LocalDay(DateTimeOffset.UtcNow);
        var first = today.AddDays(-45);
        var hall = new Scope(ScopeKind.Hall, ServerFactory.HallCode);
        var groups = await handling.BreakdownAsync(hall, first, today, HandlingGrouping.Window, CancellationToken.None);
        var windows = _server.Services.GetRequiredService<CatalogSource>().Current.FindHall(ServerFactory.HallCode)!.Windows;
        Assert.Equal(windows.Select(w => ServerFactory.HallCode + "/" + w.Code), groups.Where(g => g.Ratings is not null).Select(g => g.Key));
        foreach (var group in groups.Where(g => g.Ratings is not null))
        {
            var window = new Scope(ScopeKind.Window, group.Key.Split('/')[1], ServerFactory.HallCode);
            var published = await indicators.ComputeAsync(window, first, today, CancellationToken.None);
            Assert.Equal(published.Single(v => v.Code == Indicators.GoodRate), group.Ratings!.GoodRate);
            Assert.Equal(published.Single(v => v.Code == Indicators.BadRate).Numerator, group.Ratings.BadCount);
            // The window's handling figures are the publication's case rates for the window.
            Assert.All(group.Summary.Rates, rate => Assert.Equal(published.Single(p => p.Code == rate.Code), rate));
        }

        Assert.Contains(groups, g => g.Summary.Received > 0);
        Assert.Equal((await handling.PeriodAsync("期间", hall, first, today, CancellationToken.None)).Total.Received, groups.Sum(g => g.Summary.Received));
    }

    [Fact]
    public async Task HandlingFigures_AndThePublication_GiveTheSameCaseRates_ForTheSamePeriod()
    {
        await SeedAsync();
        var indicators = _server.Services.GetRequiredService<IndicatorQuery>();
        var handling = _server.Services.GetRequiredService<HandlingFiguresQuery>();
        var today = Clock.LocalDay(DateTimeOffset.UtcNow);
        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        foreach (var scope in Scopes)
        {
            foreach (var (first, last) in new[] { (lastMonth, lastMonth.AddMonths(1).AddDays(-1)), (today.AddDays(-45), today) })
            {
                var published = await indicators.ComputeAsync(scope, first, last, CancellationToken.None);
                var live = await handling.PeriodAsync("期间", scope, first, last, CancellationToken.None);
                Assert.Equal(5, live.Total.Rates.Count);
                Assert.All(live.Total.Rates, rate => Assert.Equal(published.Single(p => p.Code == rate.Code), rate));
                Assert.Equal(live.Total.Received, live.Departments.Sum(d => d.Summary.Received));
            }
        }
    }

    [Fact]
    public async Task LiveFigures_TodayMonthYearAndTrend_CountTheCasesOfEach()
    {
        var cases = await SeedAsync();
        var figures = await _server.Services.GetRequiredService<HandlingFiguresQuery>().LiveAsync(null, CancellationToken.None);
        var today = Clock.LocalDay(DateTimeOffset.UtcNow);
        int Rated(DateOnly first) => cases.Count(c => Clock.LocalDay(c.RatedAt) >= first && Clock.LocalDay(c.RatedAt) <= today);
        Assert.Equal(Rated(today), figures.Today.Total.Received);
        Assert.Equal(Rated(new DateOnly(today.Year, today.Month, 1)), figures.Month.Total.Received);
        Assert.Equal(Rated(new DateOnly(today.Year, 1, 1)), figures.Year.Total.Received);
        Assert.Equal(12, figures.Trend.Count);
        Assert.Equal((today.Year, today.Month), (figures.Trend[^1].Year, figures.Trend[^1].Month));
        Assert.Equal(figures.Month.Total.Received, figures.Trend[^1].Received);
        Assert.Equal(cases.Count, figures.Trend.Sum(m => m.Received));
        // Every open case is in exactly one stage: the six from the kiosk, as the seed left them.
        Assert.Equal(cases.Count(c => !c.IsClosed && Clock.LocalDay(c.RatedAt) == today), figures.Today.Total.Open);
        Assert.Equal(
            [3, 1, 1, 0, 1, 0],
            HandlingStages.All.Select(figures.Today.Total.OpenIn));
        Assert.Equal(0, figures.Today.Total.Overdue);
        Assert.Equal(0, figures.Today.Total.MedianDaysToContact);
        Assert.NotNull(figures.Year.Total.MedianDaysToFeedback);
    }

    [Fact]
    public async Task CaseNumbers_UniquePerDayInTheOrderReceived_AndStable()
    {
        var cases = await SeedAsync();
        Assert.All(cases, c => Assert.True(CaseNumbers.IsWellFormed(c.CaseNumber!), c.CaseNumber));
        Assert.Equal(cases.Count, cases.Select(c => c.CaseNumber).Distinct().Count());
        foreach (var day in cases.GroupBy(c => Clock.LocalDay(c.ReceivedAt)))
        {
            Assert.All(day, c => Assert.StartsWith($"差评-{day.Key:yyyyMMdd}-", c.CaseNumber, StringComparison.Ordinal));
            Assert.Equal(
                Enumerable.Range(1, day.Count()).Select(n => CaseNumbers.Format(day.Key, n)).ToHashSet(),
                day.Select(c => c.CaseNumber!).ToHashSet());
        }

        // A step rewrites the row: the number stays.
        var open = cases.First(c => c.State == CaseState.New);
        var number = open.CaseNumber;
        var events = open.Events.Count;
        open.Escalate(new Actor("m", CaseRole.HallManager), "催办", DateTimeOffset.UtcNow);
        await Cases.SaveCaseAsync(open, events, CancellationToken.None);
        Assert.Equal(number, (await Cases.FindCaseAsync(open.Id, CancellationToken.None))!.CaseNumber);
        Assert.Equal(1, _server.Scalar("SELECT COUNT(*) FROM cases WHERE case_number = @n", ("n", (object)number!)));
    }

    [Fact]
    public async Task AStoreBeforeCaseNumbers_IsMigrated_EachCaseNumberedInTheOrderReceived()
    {
        var cases = await SeedAsync();
        // The store as the server before this migration left it: no numbers, no milestones, no counters. (The snapshot's JSON
        // writes 差评 escaped.)
        TestStore.Execute(_server.DatabasePath, _server.PostgresConnectionString,
            $"""
            UPDATE cases SET snapshot = REPLACE(snapshot, '"caseNumber":"\u5DEE\u8BC4-' || SUBSTR(case_number, 4) || '"', '"caseNumber":null');
            DROP INDEX ix_cases_number;
            DROP INDEX ix_cases_rated_handling;
            ALTER TABLE cases DROP COLUMN case_number;
            ALTER TABLE cases DROP COLUMN reached_at_ms;
            ALTER TABLE cases DROP COLUMN first_feedback_at_ms;
            DROP TABLE case_number_days;
            DELETE FROM schema_migrations WHERE version = {StoreMigrations.CaseNumbersVersion};
            """);
        Assert.All(await Cases.ListCasesRatedAsync(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None),
            c => Assert.Null(c.CaseNumber));

        await _server.Services.GetRequiredService<StoreSchema>().InitializeAsync(CancellationToken.None);

        var migrated = (await Cases.ListCasesRatedAsync(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None))
            .ToDictionary(c => c.Id);
        foreach (var day in cases.GroupBy(c => Clock.LocalDay(c.ReceivedAt)))
        {
            // Numbered 1 … n in the order received.
            var byNumber = day.Select(c => migrated[c.Id]).OrderBy(c => c.CaseNumber, StringComparer.Ordinal).ToList();
            Assert.Equal(day.Select((_, i) => CaseNumbers.Format(day.Key, i + 1)), byNumber.Select(c => c.CaseNumber));
            Assert.Equal(byNumber.Select(c => c.ReceivedAt).Order(), byNumber.Select(c => c.ReceivedAt));
        }

        // The column follows the snapshot, and the next case of today continues the day's sequence.
        Assert.Equal(cases.Count, _server.Scalar("SELECT COUNT(DISTINCT case_number) FROM cases"));
        var todays = cases.Count(c => Clock.LocalDay(c.ReceivedAt) == Clock.LocalDay(DateTimeOffset.UtcNow));
        var r = ServerFactory.GoodRating();
        r.Level = Protos.V1.RatingLevel.Dissatisfied;
        r.Text = "等候太久";
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { r } });
        Assert.Equal(1, _server.Scalar(
            "SELECT COUNT(*) FROM cases WHERE rating_id = @id AND case_number = @n",
            ("id", r.RatingId), ("n", CaseNumbers.Format(Clock.LocalDay(DateTimeOffset.UtcNow), todays + 1))));
    }

    private static List<CaseStateCount> Sorted(IEnumerable<CaseStateCount> rows) =>
        rows.OrderBy(r => r.DepartmentCode, StringComparer.Ordinal).ThenBy(r => r.State).ToList();

    private static List<CaseDuration> Sorted(IEnumerable<CaseDuration> rows) =>
        rows.OrderBy(r => r.DepartmentCode, StringComparer.Ordinal).ThenBy(r => r.WorkingDays).ToList();

    public void Dispose() => _server.Dispose();
}

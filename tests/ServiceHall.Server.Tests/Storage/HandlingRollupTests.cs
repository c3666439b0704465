using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;
using CaseState = ServiceHall.Server.Domain.CaseState;
using ScopeKind = ServiceHall.Server.Domain.ScopeKind;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// The handling figures read from the rollup (whole local days) against the same figures scanned from every case, after
/// random case histories: steps taken, reassigned, appealed, reopened by a failed callback; at several moments (deadlines
/// ahead, passing, long passed); for a day, a month, a quarter and a year; for each scope and breakdown (those the rollup does not keep are scanned on both sides).
/// Runs on SQLite, and on PostgreSQL when the suite runs there (<see cref="TestStore"/>).
/// </summary>
public sealed class HandlingRollupTests : IDisposable
{
    private readonly ServerFactory _server = new();

    private CaseStore Rolled => (CaseStore)_server.Services.GetRequiredService<ICaseStore>();

    private CaseStore Scanned => new(_server.Services.GetRequiredService<StoreDatabase>()) { SumsFromRollup = false };

    private DistrictClock Clock => _server.Services.GetRequiredService<DistrictClock>();

    private static readonly Scope[] Scopes =
        [Scope.District, new(ScopeKind.Department, "XZSP"), new(ScopeKind.Department, "RSJ"), new(ScopeKind.Hall, ServerFactory.HallCode), new(ScopeKind.Window, "A01", ServerFactory.HallCode)];

    private static readonly Actor Manager = new("manager", CaseRole.HallManager);
    private static readonly Actor Supervisor = new("supervisor", CaseRole.Supervisor);

    [Fact]
    public async Task Rollup_AfterRandomCaseHistories_EqualsTheScan_ForEveryPeriodMomentScopeAndBreakdown()
    {
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(2_000, 150, badPerMille: 100, seed: 15, CancellationToken.None);
        var client = _server.CreateRatingClient();
        for (var i = 0; i < 14; i++)
        {
            var r = ServerFactory.GoodRating();
            r.Level = Protos.V1.RatingLevel.VeryDissatisfied;
            r.Text = "窗口无人";
            r.WindowCode = i % 3 == 0 ? "A01" : "B01";
            r.CallbackPhone = i % 3 == 2 ? "" : "13912345678";
            await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { r } });
        }

        await AssertRollupEqualsScanAsync("after the cases opened");
        var random = new Random(15);
        var limits = _server.Services.GetRequiredService<CaseTimeLimits>();
        var taken = 0;
        for (var round = 0; round < 4; round++)
        {
            var open = (await Rolled.ListCasesAsync(new CaseQuery(Enum.GetValues<CaseState>().Where(s => s != CaseState.Closed).ToList(), Limit: 500), CancellationToken.None)).Cases;
            foreach (var c in open)
            {
                var before = c.Events.Count;
                var at = c.Events[^1].At.AddHours(random.Next(1, 60));
                for (var step = 0; step < random.Next(1, 4); step++, at = at.AddMinutes(random.Next(5, 600)))
                {
                    taken += TryStep(c, random, limits, at) ? 1 : 0;
                }

                if (c.Events.Count > before)
                {
                    await Rolled.SaveCaseAsync(c, before, CancellationToken.None);
                }
            }

            await AssertRollupEqualsScanAsync($"after round {round}");
        }

        Assert.True(taken > 20, $"only {taken} steps were taken");
        var all = await Rolled.ListCasesRatedAsync(DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);
        Assert.Contains(all, c => c.State == CaseState.Closed);
        Assert.Contains(all, c => c.AssignedDepartmentCode is not null && c.AssignedDepartmentCode != c.DepartmentCode);
        Assert.Contains(all, c => c.State is CaseState.Appealed or CaseState.AppealUpheld || CaseFacts.Of(c).AppealUpheld);
    }

    [Fact]
    public async Task Rollup_KeptStepByStep_EqualsTheRollupRebuiltFromTheCases_AndIsWhatTheFiguresRead()
    {
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(1_000, 30, badPerMille: 100, seed: 16, CancellationToken.None);
        var random = new Random(16);
        var limits = _server.Services.GetRequiredService<CaseTimeLimits>();
        foreach (var c in (await Rolled.ListCasesAsync(new CaseQuery([CaseState.New, CaseState.Assigned, CaseState.Contacted], Limit: 500), CancellationToken.None)).Cases)
        {
            var before = c.Events.Count;
            var at = c.Events[^1].At.AddHours(2);
            TryStep(c, random, limits, at);
            TryStep(c, random, limits, at.AddHours(1));
            if (c.Events.Count > before)
            {
                await Rolled.SaveCaseAsync(c, before, CancellationToken.None);
            }
        }

        var kept = await RollupRowsAsync();
        Assert.NotEmpty(kept);
        await Rolled.RebuildHandlingRollupAsync(CancellationToken.None);
        Assert.Equal(kept, await RollupRowsAsync());

        // The figures of whole days are the rollup's: a count changed in it shows in them, and not in the scan's.
        var today = Clock.LocalDay(DateTimeOffset.UtcNow);
        var (from, to) = (Clock.DayBounds(today.AddDays(-40)).From, Clock.DayBounds(today).To);
        var asOf = DateTimeOffset.UtcNow;
        var scanned = await Scanned.CountCasesAsync(from, to, Scope.District, asOf, CancellationToken.None);
        Assert.Equal(scanned, await Rolled.CountCasesAsync(from, to, Scope.District, asOf, CancellationToken.None));
        await using (var connection = await _server.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE case_handling_spans SET bad_rectified = bad_rectified + 1 WHERE received > 0");
        }

        Assert.NotEqual(scanned, await Rolled.CountCasesAsync(from, to, Scope.District, asOf, CancellationToken.None));
        Assert.Equal(scanned, await Scanned.CountCasesAsync(from, to, Scope.District, asOf, CancellationToken.None));
    }

    [Fact]
    public void BucketsOf_AnyPeriod_AreAlignedDisjointAndCoverItsDaysExactly()
    {
        var random = new Random(23);
        for (var i = 0; i < 2_000; i++)
        {
            var first = random.NextInt64(19_000, 21_000);
            var end = first + 1 + random.NextInt64(0, i % 2 == 0 ? 70 : 800);
            var buckets = CaseHandlingRollup.BucketsOf(first, end);
            var days = new List<long>();
            foreach (var (span, from, to) in buckets)
            {
                Assert.Contains(span, CaseHandlingRollup.Spans);
                Assert.True(from % span == 0 && to % span == 0 && from < to, $"{first}–{end}: {span} {from}–{to}");
                for (var bucket = from; bucket < to; bucket += span)
                {
                    for (var day = bucket; day < bucket + span; day++)
                    {
                        days.Add(day);
                    }
                }
            }

            Assert.Equal(Enumerable.Range(0, (int)(end - first)).Select(d => first + d), days.Order());
            // Few buckets: at most two ranges of each length but the longest.
            Assert.True(buckets.Count <= 2 * CaseHandlingRollup.Spans.Length - 1);
        }
    }

    [Fact]
    public async Task Rollup_AfterTheCalendarChanges_IsCountedAgainOnTheNewCalendar_AtTheNextStart()
    {
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(1_000, 30, badPerMille: 100, seed: 17, CancellationToken.None);
        // 差评 made now, whose raters are reached and answered on later days.
        var client = _server.CreateRatingClient();
        for (var i = 0; i < 20; i++)
        {
            var r = ServerFactory.GoodRating();
            r.Level = Protos.V1.RatingLevel.VeryDissatisfied;
            r.Text = "窗口无人";
            r.CallbackPhone = "13912345678";
            await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { r } });
        }

        var random = new Random(17);
        var limits = _server.Services.GetRequiredService<CaseTimeLimits>();
        for (var round = 0; round < 3; round++)
        {
            var open = (await Rolled.ListCasesAsync(new CaseQuery(Enum.GetValues<CaseState>().Where(s => s != CaseState.Closed).ToList(), Limit: 500), CancellationToken.None)).Cases;
            foreach (var c in open)
            {
                var before = c.Events.Count;
                var at = c.Events[^1].At.AddHours(random.Next(20, 80));
                for (var step = 0; step < random.Next(1, 4); step++, at = at.AddMinutes(random.Next(5, 600)))
                {
                    TryStep(c, random, limits, at);
                }

                if (c.Events.Count > before)
                {
                    await Rolled.SaveCaseAsync(c, before, CancellationToken.None);
                }
            }
        }

        var today = Clock.LocalDay(DateTimeOffset.UtcNow);
        var (from, to) = (Clock.DayBounds(today.AddDays(-40)).From, Clock.DayBounds(today).To);
        var (now, dueBy) = (DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(12));
        var cases = await Rolled.ListCasesRatedAsync(from, to, CancellationToken.None);
        Assert.Equal(Durations(HandlingCounts.Of(cases, now, dueBy, limits.Calendar).ToFeedback),
            Durations((await Rolled.CountHandlingAsync(from, to, Scope.District, now, dueBy, TimeSpan.FromHours(8), CancellationToken.None)).ToFeedback));

        // A notice that makes every weekday from seven weeks ago to three weeks ahead a day off (as a late-added year's holidays would).
        var zone = limits.Calendar.Zone;
        var daysOff = Enumerable.Range(-20, 70).Select(i => today.AddDays(-i)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
        var changed = WorkingCalendar.Load(
            daysOff.GroupBy(d => d.Year).Select(g => new CalendarYear(g.Key, "test", null, g.ToHashSet(), new HashSet<DateOnly>())), zone);
        var expected = HandlingCounts.Of(cases, now, dueBy, changed);
        var onTheOld = HandlingCounts.Of(cases, now, dueBy, limits.Calendar);
        Assert.NotEqual(
            Durations(onTheOld.ToContact).Concat(Durations(onTheOld.ToFeedback)), Durations(expected.ToContact).Concat(Durations(expected.ToFeedback)));

        // The next start on the new calendar: the store's calendar is written again and the rollup counted again on it.
        var database = _server.Services.GetRequiredService<StoreDatabase>();
        await new StoreSchema(database, _server.Services.GetRequiredService<RatingStore>(), new CaseTimeLimits(changed, limits.Policy))
            .InitializeAsync(CancellationToken.None);
        foreach (var scope in Scopes)
        {
            var actual = await Rolled.CountHandlingAsync(from, to, scope, now, dueBy, TimeSpan.FromHours(8), CancellationToken.None);
            var reference = HandlingCounts.Of(cases.Where(scope.Covers), now, dueBy, changed);
            Assert.Equal(Durations(reference.ToContact), Durations(actual.ToContact));
            Assert.Equal(Durations(reference.ToFeedback), Durations(actual.ToFeedback));
            Assert.True(Same(await Scanned.CountHandlingAsync(from, to, scope, now, dueBy, TimeSpan.FromHours(8), CancellationToken.None), actual));
        }
    }

    // One step a case in its state may take, picked at random; false when none is allowed (the case is unchanged).
    private static bool TryStep(BadReviewCase c, Random random, CaseTimeLimits limits, DateTimeOffset at)
    {
        var department = c.AssignedDepartmentCode ?? c.DepartmentCode;
        var handler = new Actor("handler", CaseRole.DepartmentHandler, department);
        Action appeal = () => c.Appeal(handler, "误评", ["录像"], at);
        Action uphold = () => c.UpholdAppeal(Supervisor, AppealFinding.Misrated, "申诉成立", at);
        // Appeals weigh more: an upheld one takes a case out of most counts, the change the rollup must follow.
        Action[] steps =
        [
            appeal, appeal, appeal, uphold, uphold,
            () => c.Assign(Manager, random.Next(2) == 0 ? "XZSP" : "RSJ", null, "请核实", at),
            () => c.Reassign(Manager, department == "XZSP" ? "RSJ" : "XZSP", null, "职责调整", at),
            () => c.RecordCallback(handler, CallOutcome.Reached, "核实属实", null, at),
            () => c.RecordCallbackFailed(handler, "无人接听", limits, at),
            () => c.SkipCallbackAnonymous(handler, at),
            () => c.FixAtOnce(handler, "已当场补正", null, at),
            () => c.Explain(handler, "依据办事指南", "已解释", at),
            () => c.RectifyByDeadline(handler, "需限期整改", DateOnly.FromDateTime(at.UtcDateTime).AddDays(random.Next(1, 8)), "台账", limits, at),
            () => c.GiveFeedback(handler, "已告知评价人", null, at),
            () => c.RecordSatisfaction(handler, (RaterSatisfaction)random.Next(1, 4), null, limits, at),
            () => c.CloseWithoutSatisfaction(Manager, "联系不上", at),
            () => c.Close(Manager, "办结", at),
            () => c.Appeal(handler, "误评", ["录像"], at),
            () => c.UpholdAppeal(Supervisor, AppealFinding.Misrated, "申诉成立", at),
            () => c.RejectAppeal(Supervisor, "申诉不成立", at),
        ];
        // The first of the steps, in a random order, that the case's guards allow.
        foreach (var step in steps.OrderBy(_ => random.Next()))
        {
            try
            {
                step();
                return true;
            }
            catch (Exception e) when (e is CaseTransitionException or CasePermissionException or InvalidInputException or NotNowException)
            {
            }
        }

        return false;
    }

    private async Task AssertRollupEqualsScanAsync(string when)
    {
        var today = Clock.LocalDay(DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        (DateOnly First, DateOnly Last)[] periods =
            [(today, today), (today.AddDays(-29), today), (today.AddDays(-89), today), (today.AddDays(-364), today), (today.AddDays(-20), today.AddDays(-10)),
                // Edges inside buckets of 8 and 64 days, around 64-day buckets full of cases.
                (today.AddDays(-149), today.AddDays(-3)), (today.AddDays(-141), today.AddDays(-13)), (today.AddDays(-100), today.AddDays(-31))];
        foreach (var (first, last) in periods)
        {
            var (from, to) = (Clock.DayBounds(first).From, Clock.DayBounds(last).To);
            Assert.NotNull(CaseHandlingRollup.DaysOf(from, to));
            foreach (var asOf in new[] { now, now.AddHours(20), now.AddDays(3), now.AddDays(60) })
            {
                var dueBy = asOf.AddHours(12);
                var at = $"{when}, {first}–{last} as of {asOf:O}";
                foreach (var scope in Scopes)
                {
                    var expected = await Scanned.CountHandlingAsync(from, to, scope, asOf, dueBy, TimeSpan.FromHours(8), CancellationToken.None);
                    var actual = await Rolled.CountHandlingAsync(from, to, scope, asOf, dueBy, TimeSpan.FromHours(8), CancellationToken.None);
                    Assert.True(Same(expected, actual), $"{at}, {scope}: handling counts differ");
                    Assert.Equal(
                        await Scanned.CountCasesAsync(from, to, scope, asOf, CancellationToken.None),
                        await Rolled.CountCasesAsync(from, to, scope, asOf, CancellationToken.None));
                    foreach (var by in new[] { CaseGrouping.Department, CaseGrouping.Window, CaseGrouping.Hall })
                    {
                        Assert.Equal(
                            await Scanned.CountCasesByAsync(from, to, scope, asOf, by, CancellationToken.None),
                            await Rolled.CountCasesByAsync(from, to, scope, asOf, by, CancellationToken.None));
                    }

                    foreach (var by in new[] { HandlingGrouping.Department, HandlingGrouping.Window })
                    {
                        var scannedGroups = await Scanned.CountHandlingByAsync(from, to, scope, asOf, dueBy, TimeSpan.FromHours(8), by, CancellationToken.None);
                        var rolledGroups = await Rolled.CountHandlingByAsync(from, to, scope, asOf, dueBy, TimeSpan.FromHours(8), by, CancellationToken.None);
                        Assert.Equal(scannedGroups.Select(g => g.Key), rolledGroups.Select(g => g.Key));
                        foreach (var (s, r) in scannedGroups.Zip(rolledGroups))
                        {
                            Assert.Equal(s.Figures, r.Figures);
                            Assert.True(Same(s.Counts, r.Counts), $"{at}, {scope}, {by} {s.Key}: handling counts differ");
                        }
                    }
                }
            }
        }
    }

    private static bool Same(HandlingCounts a, HandlingCounts b) =>
        States(a).SequenceEqual(States(b)) && Durations(a.ToContact).SequenceEqual(Durations(b.ToContact)) && Durations(a.ToFeedback).SequenceEqual(Durations(b.ToFeedback));

    private static List<CaseStateCount> States(HandlingCounts counts) =>
        counts.States.OrderBy(s => s.DepartmentCode, StringComparer.Ordinal).ThenBy(s => s.State).ToList();

    private static List<CaseDuration> Durations(IEnumerable<CaseDuration> durations) =>
        durations.OrderBy(p => p.DepartmentCode, StringComparer.Ordinal).ThenBy(p => p.WorkingDays).ToList();

    // The rollup's rows with anything in them (a case that moved on leaves zeros behind, which a rebuild does not write).
    private async Task<List<string>> RollupRowsAsync()
    {
        await using var connection = await _server.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        var days = await connection.QueryAsync<string>(
            "SELECT CAST(span AS TEXT) || ' ' || CAST(first_day AS TEXT) || ' ' || hall_code || ' ' || department_code || ' ' || CAST(state AS TEXT) || ' ' || " +
            string.Join(" || ' ' || ", CaseHandlingRollup.Sums[..^1].Select(s => $"CAST({s.Column} AS TEXT)")) +
            " FROM case_handling_spans WHERE received <> 0");
        var pairs = await connection.QueryAsync<string>(
            "SELECT CAST(span AS TEXT) || ' ' || CAST(first_day AS TEXT) || ' ' || hall_code || ' ' || department_code || ' ' || CAST(milestone AS TEXT) || ' ' || " +
            "CAST(working_days AS TEXT) || ' ' || CAST(count AS TEXT) FROM case_handling_durations WHERE count <> 0");
        return days.Concat(pairs).Order(StringComparer.Ordinal).ToList();
    }

    public void Dispose() => _server.Dispose();
}

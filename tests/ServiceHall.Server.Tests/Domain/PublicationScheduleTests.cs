using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>When a period is published: once its late ratings and its 差评's deadlines are in, every missed one, none before the first rating.</summary>
public sealed class PublicationScheduleTests
{
    private static readonly PublicationSchedule Schedule = new(CaseTestData.Limits.Calendar, lateRatingWorkingDays: 5, rectificationWorkingDays: 5);

    private static readonly PeriodKind[] Norm = [PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Year];

    [Fact]
    public void ReadyOn_September2026_TheWorkingDayAfterTenWorkingDaysPastTheNationalDayHolidays()
    {
        // 2026-09-30, then 10-01..07 off; working days 10-08, 09, 10 (调休), 12–16, 19, 20: ready on the 11th, 10-21.
        Assert.Equal(new DateOnly(2026, 10, 21), Schedule.ReadyOn(new Period(PeriodKind.Month, 2026, 9)));
        Assert.Equal(new DateOnly(2026, 10, 21), Schedule.ReadyOn(new Period(PeriodKind.Quarter, 2026, 3)));
    }

    [Fact]
    public void Due_TheDayBeforeReady_NothingOnTheDay_MonthAndQuarter()
    {
        var first = new DateOnly(2026, 9, 1);
        var none = new HashSet<string>();

        Assert.Empty(Schedule.Due(Norm, first, new DateOnly(2026, 10, 20), none));
        Assert.Equal(["2026-09", "2026-Q3"], Schedule.Due(Norm, first, new DateOnly(2026, 10, 21), none).Select(p => p.Key));
    }

    [Fact]
    public void Due_AfterDowntime_EveryMissedPeriodSinceTheFirstRating_OldestFirst()
    {
        var due = Schedule.Due(Norm, new DateOnly(2026, 5, 12), new DateOnly(2026, 12, 6), new HashSet<string> { "2026-05", "2026-07" });

        Assert.Equal(["2026-06", "2026-Q2", "2026-08", "2026-09", "2026-Q3", "2026-10"], due.Select(p => p.Key));
    }

    [Fact]
    public void Due_NoRatingYet_Nothing_AndNoPeriodBeforeTheFirstRating()
    {
        Assert.Empty(Schedule.Due(Norm, null, new DateOnly(2027, 6, 1), new HashSet<string>()));

        var due = Schedule.Due(Norm, new DateOnly(2026, 12, 1), new DateOnly(2027, 3, 1), new HashSet<string>());

        Assert.Contains(due, p => p.Key == "2026");
        Assert.Contains(due, p => p.Key == "2026-12");
        Assert.DoesNotContain(due, p => p.LastDay < new DateOnly(2026, 12, 1));
        Assert.DoesNotContain(due, p => p.Key is "2025" or "2026-11" or "2026-Q3");
    }

    [Fact]
    public void ReadyOn_LongerLateWindow_Later()
    {
        var longer = new PublicationSchedule(CaseTestData.Limits.Calendar, lateRatingWorkingDays: 10, rectificationWorkingDays: 5);

        Assert.True(longer.ReadyOn(new Period(PeriodKind.Month, 2026, 9)) > Schedule.ReadyOn(new Period(PeriodKind.Month, 2026, 9)));
    }

    [Fact]
    public void HasData_OnlyFromThePeriodOfTheFirstRating()
    {
        Assert.False(PublicationSchedule.HasData(new Period(PeriodKind.Month, 2026, 6), new DateOnly(2026, 7, 1)));
        Assert.True(PublicationSchedule.HasData(new Period(PeriodKind.Month, 2026, 7), new DateOnly(2026, 7, 31)));
        Assert.True(PublicationSchedule.HasData(new Period(PeriodKind.Year, 2026, 1), new DateOnly(2026, 7, 31)));
        Assert.False(PublicationSchedule.HasData(new Period(PeriodKind.Year, 2026, 1), null));
    }
}

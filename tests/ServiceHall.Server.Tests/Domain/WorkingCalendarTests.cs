using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public class WorkingCalendarTests
{
    internal static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    internal static readonly string CalendarsFolder = Path.Combine(AppContext.BaseDirectory, "Calendars");

    // The shipped file, as copied next to the server (and so next to these tests) by the build.
    private readonly WorkingCalendar _calendar = WorkingCalendar.LoadDirectory(CalendarsFolder, China);

    private static DateTimeOffset Beijing(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset EndOf(int year, int month, int day) =>
        new(new DateOnly(year, month, day).ToDateTime(TimeOnly.MaxValue), TimeSpan.FromHours(8));

    // 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), typed in from the notice, not read from the file.
    private static readonly (string From, string To)[] DaysOff2026 =
    [
        ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"), ("2026-05-01", "2026-05-05"),
        ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"), ("2026-10-01", "2026-10-07"),
    ];

    [Fact]
    public void IsWorkingDay_EveryDayOffInThe2026Notice_IsOff()
    {
        var days = DaysOff2026
            .SelectMany(r => Range(DateOnly.Parse(r.From), DateOnly.Parse(r.To)))
            .ToList();

        Assert.Equal(33, days.Count);
        Assert.All(days, d => Assert.False(_calendar.IsWorkingDay(d), $"{d} should be a day off"));
    }

    [Theory]
    [InlineData("2026-01-04")]
    [InlineData("2026-02-14")]
    [InlineData("2026-02-28")]
    [InlineData("2026-05-09")]
    [InlineData("2026-09-20")]
    [InlineData("2026-10-10")]
    public void IsWorkingDay_MakeUpWorkdayOnAWeekend_IsWorking(string date)
    {
        var day = DateOnly.Parse(date);

        Assert.True(day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(_calendar.IsWorkingDay(day));
    }

    [Theory]
    [InlineData("2026-03-07", false)] // Saturday
    [InlineData("2026-03-08", false)] // Sunday
    [InlineData("2026-03-09", true)]  // Monday
    [InlineData("2026-10-11", false)] // the Sunday after the 10-10 make-up Saturday
    [InlineData("2026-12-31", true)]  // Thursday
    public void IsWorkingDay_OrdinaryDays_FollowTheWeek(string date, bool working)
    {
        Assert.Equal(working, _calendar.IsWorkingDay(DateOnly.Parse(date)));
    }

    [Fact]
    public void IsWorkingDay_Whole2026_Has248WorkingDays()
    {
        // 365 days − 104 weekend days − 19 holidays on weekdays + 6 make-up weekend days.
        var working = Range(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)).Count(_calendar.IsWorkingDay);

        Assert.Equal(248, working);
        Assert.Empty(_calendar.FallbackYears);
    }

    [Fact]
    public void AddWorkingDays_OneDayFromTheEveOfNationalDay_DueEndOfOctober8()
    {
        // 09-30 is a Wednesday; 10-01 … 10-07 are off; 10-08 (Thursday) is the first working day after.
        var due = _calendar.AddWorkingDays(Beijing(2026, 9, 30, 10), 1);

        Assert.Equal(EndOf(2026, 10, 8), due);
    }

    [Fact]
    public void AddWorkingDays_FiveDaysFromTheEveOfNationalDay_CountsTheMakeUpSaturday()
    {
        // 10-08, 10-09, 10-10 (Saturday, make-up), 10-12, 10-13.
        var due = _calendar.AddWorkingDays(Beijing(2026, 9, 30, 10), 5);

        Assert.Equal(EndOf(2026, 10, 13), due);
    }

    [Fact]
    public void AddWorkingDays_LateEveningReceipt_StillCountsFromThatDay()
    {
        var due = _calendar.AddWorkingDays(Beijing(2026, 9, 30, 23, 59), 1);

        Assert.Equal(EndOf(2026, 10, 8), due);
    }

    [Fact]
    public void AddWorkingDays_ReceivedOnAHoliday_CountsFromTheNextWorkingDay()
    {
        // Received 10-03 (off): taken as received 10-08, so day 1 is 10-09 and day 5 is 10-14.
        var receivedAt = Beijing(2026, 10, 3, 14);

        Assert.Equal(new DateOnly(2026, 10, 8), _calendar.DayOfReceipt(receivedAt));
        Assert.Equal(EndOf(2026, 10, 9), _calendar.AddWorkingDays(receivedAt, 1));
        Assert.Equal(EndOf(2026, 10, 14), _calendar.AddWorkingDays(receivedAt, 5));
    }

    [Fact]
    public void AddWorkingDays_UtcInstantAfterLocalMidnight_UsesTheLocalDay()
    {
        // 2026-09-30 16:30 UTC is 10-01 00:30 in Beijing: a holiday, so counting starts from 10-08.
        var receivedAt = new DateTimeOffset(2026, 9, 30, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(EndOf(2026, 10, 9), _calendar.AddWorkingDays(receivedAt, 1));
    }

    [Fact]
    public void AddWorkingDays_SpringFestival_SkipsTheWholeBreakAndCountsBothMakeUpSaturdays()
    {
        // Friday 02-13: 02-14 (Sat, make-up) is day 1, 02-15 … 02-23 off, 02-24 is day 2, …, 02-28 (Sat, make-up) day 6.
        Assert.Equal(EndOf(2026, 2, 14), _calendar.AddWorkingDays(Beijing(2026, 2, 13, 9), 1));
        Assert.Equal(EndOf(2026, 2, 24), _calendar.AddWorkingDays(Beijing(2026, 2, 13, 9), 2));
        Assert.Equal(EndOf(2026, 2, 28), _calendar.AddWorkingDays(Beijing(2026, 2, 13, 9), 6));
    }

    [Fact]
    public void WorkingDaysBetween_AcrossGoldenWeek_CountsOnlyWorkingDays()
    {
        Assert.Equal(3, _calendar.WorkingDaysBetween(new DateOnly(2026, 9, 30), new DateOnly(2026, 10, 10)));
        Assert.Equal(0, _calendar.WorkingDaysBetween(new DateOnly(2026, 10, 13), new DateOnly(2026, 10, 13)));
    }

    [Fact]
    public void IsWorkingDay_YearWithoutAFile_FallsBackToWeekendsAndSaysSoOnce()
    {
        var reported = new List<int>();
        _calendar.FallbackUsed += reported.Add;

        Assert.False(_calendar.IsYearLoaded(2027));
        Assert.Equal([2027], _calendar.MissingYears(2026, 2027));
        Assert.True(_calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));   // a Friday: 元旦 unknown without the 2027 notice
        Assert.False(_calendar.IsWorkingDay(new DateOnly(2027, 1, 2)));  // a Saturday
        Assert.Equal([2027], reported);
        Assert.Equal([2027], _calendar.FallbackYears);
    }

    [Fact]
    public void AddWorkingDays_DeadlineRunningIntoAMissingYear_ReportsTheFallback()
    {
        var reported = new List<int>();
        _calendar.FallbackUsed += reported.Add;

        // Thursday 2026-12-31 + 1 working day = Friday 2027-01-01 on plain weekends.
        var due = _calendar.AddWorkingDays(Beijing(2026, 12, 31, 9), 1);

        Assert.Equal(EndOf(2027, 1, 1), due);
        Assert.Equal([2027], reported);
    }

    [Fact]
    public void LoadDirectory_ShippedFiles_RoundTripTheNotices()
    {
        var year = Assert.Single(_calendar.Years, y => y.Year == 2026);

        Assert.True(File.Exists(Path.Combine(CalendarsFolder, "2026.json")));
        Assert.Equal(2026, year.Year);
        Assert.Equal("国务院办公厅关于2026年部分节假日安排的通知", year.Source);
        Assert.Equal(new DateOnly(2025, 11, 4), year.Issued);
        Assert.Equal(33, year.DaysOff.Count);
        Assert.Equal(
            ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
            year.MakeUpWorkdays.Order().Select(d => d.ToString("yyyy-MM-dd")));

        var earlier = Assert.Single(_calendar.Years, y => y.Year == 2025);
        Assert.Equal(28, earlier.DaysOff.Count);
        Assert.Equal(
            ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
            earlier.MakeUpWorkdays.Order().Select(d => d.ToString("yyyy-MM-dd")));
        Assert.Equal([2025, 2026], _calendar.LoadedYears.Order());
    }

    [Fact]
    public void LoadDirectory_NextYearsFileDroppedInTheFolder_IsLoaded()
    {
        var folder = Directory.CreateTempSubdirectory("calendars-");
        try
        {
            File.Copy(Path.Combine(CalendarsFolder, "2026.json"), Path.Combine(folder.FullName, "2026.json"));
            File.WriteAllText(Path.Combine(folder.FullName, "2027.json"), """
                { "year": 2027, "source": "测试用通知",
                  "daysOff": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-03" } ],
                  "makeUpWorkdays": [ { "date": "2027-01-09", "for": "元旦" } ] }
                """);

            var calendar = WorkingCalendar.LoadDirectory(folder.FullName, China);

            Assert.Equal([2026, 2027], calendar.LoadedYears);
            Assert.Empty(calendar.MissingYears(2026, 2027));
            Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
            Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 1, 9)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "not json", "{ year: " },
        { "no source", """{ "year": 2026, "daysOff": [], "makeUpWorkdays": [] }""" },
        { "no year", """{ "source": "x" }""" },
        { "date outside the year", """{ "year": 2026, "source": "x", "daysOff": [ { "from": "2027-01-01", "to": "2027-01-01" } ] }""" },
        { "range backwards", """{ "year": 2026, "source": "x", "daysOff": [ { "from": "2026-01-03", "to": "2026-01-01" } ] }""" },
        { "make-up on a weekday", """{ "year": 2026, "source": "x", "makeUpWorkdays": [ { "date": "2026-01-05" } ] }""" },
        {
            "both off and working",
            """{ "year": 2026, "source": "x", "daysOff": [ { "from": "2026-01-04", "to": "2026-01-04" } ], "makeUpWorkdays": [ { "date": "2026-01-04" } ] }"""
        },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Parse_BrokenFile_Refused(string why, string json)
    {
        var e = Assert.Throws<FormatException>(() => CalendarYear.Parse(json));

        Assert.False(string.IsNullOrEmpty(e.Message), why);
    }

    [Fact]
    public void Load_TwoFilesForOneYear_Refused()
    {
        var year = CalendarYear.Parse(File.ReadAllText(Path.Combine(CalendarsFolder, "2026.json")));

        Assert.Throws<ArgumentException>(() => WorkingCalendar.Load([year, year], China));
    }

    private static IEnumerable<DateOnly> Range(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            yield return d;
        }
    }
}

using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;

namespace ServiceHall.Server.Cases;

/// <summary>Builds the case time limits from the calendar files and the deadline policy, and says loudly what is missing.</summary>
public static class CaseCalendar
{
    public static CaseTimeLimits Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<CaseOptions>>().Value;
        var district = services.GetRequiredService<IOptions<DistrictOptions>>().Value;
        var policy = services.GetRequiredService<IOptions<CaseDeadlinePolicy>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CaseCalendar));
        var clock = services.GetRequiredService<TimeProvider>();

        var directory = Path.GetFullPath(options.CalendarDirectory, AppContext.BaseDirectory);
        var calendar = WorkingCalendar.LoadDirectory(directory, TimeZoneInfo.FindSystemTimeZoneById(district.TimeZone));
        // A year without its notice loaded counts only weekends as days off: deadlines across its holidays come out
        // too early. That must never pass unnoticed (docs/rules/working-calendar.md#a-year-without-a-calendar).
        calendar.FallbackUsed += year => logger.LogWarning(
            "Working-day calendar for {Year} is not loaded: deadlines in {Year} count weekends only. Add {Directory}/{Year}.json",
            year, year, directory, year);
        var thisYear = calendar.LocalDate(clock.GetUtcNow()).Year;
        foreach (var year in calendar.MissingYears(thisYear, thisYear + 1))
        {
            logger.LogWarning(
                "********** NO HOLIDAY CALENDAR FOR {Year} ********** Case deadlines in {Year} count weekends only until " +
                "{Directory}/{Year}.json is added (国务院办公厅 holiday notice of the year before).",
                year, year, directory, year);
        }

        logger.LogInformation("Working-day calendars loaded for {Years}", string.Join(", ", calendar.LoadedYears));
        return new CaseTimeLimits(calendar, policy);
    }
}

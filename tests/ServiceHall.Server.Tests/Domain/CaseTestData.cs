using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>The clock, time limits and actors the case tests share.</summary>
internal static class CaseTestData
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // Monday 2026-03-02, 10:00: contact due end of 03-03, rectification end of 03-09, extension at most to 03-23.
    public static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 10, 0, 0, Beijing);

    public static readonly CaseTimeLimits Limits = new(
        WorkingCalendar.LoadDirectory(WorkingCalendarTests.CalendarsFolder, WorkingCalendarTests.China), new CaseDeadlinePolicy());

    public static readonly Actor Manager = new("m1", CaseRole.HallManager);
    public static readonly Actor Handler = new("h1", CaseRole.DepartmentHandler, "RSJ");
}

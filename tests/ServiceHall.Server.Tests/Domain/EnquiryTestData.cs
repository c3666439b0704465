using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>The time limits, actors and walks the question and report tests share.</summary>
internal static class EnquiryTestData
{
    public static readonly EnquiryTimeLimits Limits = new(
        WorkingCalendar.LoadDirectory(WorkingCalendarTests.CalendarsFolder, WorkingCalendarTests.China), new EnquiryDeadlinePolicy());

    public static readonly Actor Manager = new("m1", CaseRole.HallManager);
    public static readonly Actor Handler = new("h1", CaseRole.DepartmentHandler, "RSJ");
    public static readonly Actor OtherHandler = new("h2", CaseRole.DepartmentHandler, "YBJ");

    public static readonly Actor[] Everyone =
    [
        Manager, Handler, OtherHandler, new("s1", CaseRole.Supervisor), new("a1", CaseRole.Auditor), new("o1", CaseRole.DisclosureOffice),
        Actor.System,
    ];

    /// <summary>10:00 Beijing time on <paramref name="day"/> 2026 (2 March 2026 is a Monday).</summary>
    public static DateTimeOffset At(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, CaseTestData.Beijing);

    /// <summary>A service item a question may name (its FAQ entry belongs to it).</summary>
    public const string Item = "11370104MB2851301K000105001000";

    public static CitizenQuestion Question(bool faqConsent = true, DateTimeOffset? at = null, string? item = Item) =>
        CitizenQuestion.Receive(Guid.CreateVersion7(), PickupCode.New(), "HY-ZWFW",
            new QuestionAsked("办理居住证需要带什么材料？", item, faqConsent), true, at ?? At(3, 2), Limits);

    public static CouldNotBeDoneReport Report(DateTimeOffset? at = null) =>
        CouldNotBeDoneReport.Receive(Guid.CreateVersion7(), "HY-ZWFW",
            new CouldNotBeDoneAccount("想办营业执照变更，窗口说系统不通", "8号窗口", null, new DateOnly(2026, 3, 1)), at ?? At(3, 2), Limits);

    public static StepContext Context(DateTimeOffset at) => new(at) { EnquiryLimits = Limits };
}

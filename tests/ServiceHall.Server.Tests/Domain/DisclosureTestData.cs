using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>The time limits, actors and a valid application the information-disclosure tests share.</summary>
internal static class DisclosureTestData
{
    public static readonly DisclosureTimeLimits Limits = new(
        WorkingCalendar.LoadDirectory(WorkingCalendarTests.CalendarsFolder, WorkingCalendarTests.China), new DisclosureDeadlinePolicy());

    public static readonly Actor Office = new("o1", CaseRole.DisclosureOffice);
    public static readonly Actor Holder = new("h1", CaseRole.DepartmentHandler, "RSJ");

    /// <summary>10:00 Beijing time on <paramref name="day"/>.</summary>
    public static DateTimeOffset At(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, CaseTestData.Beijing);

    // A valid resident identity number (check digit computed by GB 11643): 11010519491231002X.
    public const string IdCard = "11010519491231002X";

    public static DisclosureApplication Application(ApplicantKind kind = ApplicantKind.NaturalPerson, string information = "2026年老旧小区改造计划") =>
        new(
            kind,
            kind == ApplicantKind.NaturalPerson
                ? new ApplicantIdentity("张三", IdentityDocumentKind.ResidentIdCard, IdCard, "13812341234", null, null, null)
                : new ApplicantIdentity("济南某某科技有限公司", IdentityDocumentKind.UnifiedSocialCreditCode, "91350100M000100Y43", "053112345678",
                    null, null, "李四"),
            new InformationWanted(information, null, null),
            InformationForm.Paper,
            DeliveryMethod.Collect);

    public static DisclosureRequest Received(DateTimeOffset at, ApplicantKind kind = ApplicantKind.NaturalPerson) =>
        DisclosureRequest.Receive(Guid.CreateVersion7(), "HY-ZWFW", Application(kind).Checked(), at, DisclosureIntakeFlags.None, Limits);
}

using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>Every free-text and evidence input of a case step has a size limit, declared with the input and enforced by the catalog.</summary>
public sealed class StepInputLimitTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));

    private static readonly CaseTimeLimits Limits = new(
        WorkingCalendar.LoadDirectory(WorkingCalendarTests.CalendarsFolder, WorkingCalendarTests.China), new CaseDeadlinePolicy());

    private static BadReviewCase NewCase() => BadReviewCase.Open(Guid.CreateVersion7(), new Rating(
        Id: Guid.CreateVersion7(), TransactionNumber: null, HallCode: TestCatalog.HallCode, RegionCode: "370104", WindowCode: "A01",
        ServiceItemCode: "ITEM-SB", DepartmentCode: "RSJ", StaffId: "S01", Channel: RatingChannel.HallTerminal,
        Level: RatingLevel.Dissatisfied, ReasonTagCodes: ["SLOW"], ReasonTagListVersion: "T1", Text: null,
        RatedAt: At.AddSeconds(-2), ReceivedAt: At, CallbackPhone: null, DeviceId: "kiosk-01"), Limits);

    [Fact]
    public void EveryInputOfEveryStep_HasALimit()
    {
        var inputs = BadReviewSteps.Catalog.Steps.SelectMany(s => s.Inputs).ToList();
        Assert.All(inputs, i => Assert.InRange(i.MaxLength, 1, 2000));
        Assert.All(inputs, i => Assert.InRange(i.MaxValues, 1, 20));
    }

    [Fact]
    public void ANoteLongerThanItsLimit_IsRefusedByName()
    {
        var tooLong = new string('长', 2001);
        var inputs = new StepInputs(new Dictionary<string, IReadOnlyList<string>>
        {
            ["department_code"] = ["RSJ"], ["note"] = [tooLong],
        });

        var refused = Assert.Throws<InvalidInputException>(() => BadReviewSteps.Catalog.Take(
            NewCase(), "assign", new Actor("m1", CaseRole.HallManager), inputs, new StepContext(At, Limits)));

        Assert.Equal("note", refused.Field);
    }

    [Fact]
    public void MoreEvidenceThanAllowed_IsRefused_WhoeverSendsIt()
    {
        var step = BadReviewSteps.Catalog.Steps.First(s => s.Inputs.Any(i => i.Kind == StepInputKind.Evidence));
        var evidence = step.Inputs.Single(i => i.Kind == StepInputKind.Evidence);
        var inputs = new StepInputs(new Dictionary<string, IReadOnlyList<string>>
        {
            [evidence.Name] = [.. Enumerable.Range(0, evidence.MaxValues + 1).Select(i => $"照片-{i}")],
        });

        var refused = Assert.Throws<InvalidInputException>(() => BadReviewSteps.Catalog.Take(
            NewCase(), step.Name, new Actor("a1", CaseRole.Auditor), inputs, new StepContext(At, Limits)));

        Assert.Equal(evidence.Name, refused.Field);
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;
using static ServiceHall.Server.Tests.Domain.EnquiryTestData;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// Questions and reports in the store, on whichever database the tests run on: stored once per kiosk id, found by pickup code
/// only once answered, guarded against concurrent steps, scoped queues, and the monthly figures counted in the database.
/// </summary>
public sealed class EnquiryStoreTests : IDisposable
{
    private readonly QuietServer _server = new();

    private IEnquiryStore Store => _server.Services.GetRequiredService<IEnquiryStore>();

    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<CitizenQuestion> ReceiveAsync(DateTimeOffset at, Guid? given = null, string? contact = "cipher")
    {
        var id = given ?? Guid.CreateVersion7();
        var (q, _) = await Store.ReceiveQuestionAsync(id, "dev-1", contact, code =>
            CitizenQuestion.Receive(id, code, "HY-ZWFW", new QuestionAsked("问题", null, false), contact is not null, at, Limits), None);
        return q;
    }

    private async Task<CitizenQuestion> AnswerAsync(CitizenQuestion q, string department, DateTimeOffset at)
    {
        var before = q.Events.Count;
        q.Route(Manager, department, null, q.SubmittedAt.AddMinutes(1));
        q.AnswerWith(new Actor("h", CaseRole.DepartmentHandler, department), "答复", Limits, at);
        await Store.SaveQuestionAsync(q, before, None);
        return q;
    }

    [Fact]
    public async Task ReceiveQuestion_SameIdTwice_StoredOnceWithItsFirstPickupCode()
    {
        var id = Guid.CreateVersion7();
        var first = await ReceiveAsync(At(3, 2), id);

        var (again, created) = await Store.ReceiveQuestionAsync(id, "dev-1", "other", code =>
            CitizenQuestion.Receive(id, code, "HY-ZWFW", new QuestionAsked("另一个问题", null, false), true, At(3, 2), Limits), None);

        Assert.False(created);
        Assert.Equal(first.PickupCode, again.PickupCode);
        Assert.Equal("问题", again.Asked.Text);
        Assert.Equal("cipher", await Store.FindContactProtectedAsync(EnquiryKind.Question, id, None));
    }

    [Fact]
    public async Task FindAnswered_UnansweredOrUnknown_IsNull_AnsweredIsFound()
    {
        var q = await ReceiveAsync(At(3, 2));

        Assert.Null(await Store.FindAnsweredQuestionAsync(q.PickupCode, None));
        Assert.Null(await Store.FindAnsweredQuestionAsync("ZZZZZZZZ", None));

        await AnswerAsync(q, "RSJ", At(3, 3));

        Assert.Equal("答复", (await Store.FindAnsweredQuestionAsync(q.PickupCode, None))?.Answer);
    }

    [Fact]
    public async Task SaveQuestion_AfterSomeoneElseActed_RefusedAndKeepsTheirStep()
    {
        var q = await ReceiveAsync(At(3, 2));
        var mine = (await Store.FindQuestionAsync(q.Id, None))!;
        var theirs = (await Store.FindQuestionAsync(q.Id, None))!;
        theirs.Route(Manager, "RSJ", null, At(3, 2, 11));
        await Store.SaveQuestionAsync(theirs, 1, None);

        mine.Route(Manager, "YBJ", null, At(3, 2, 12));
        await Assert.ThrowsAsync<ConcurrentChangeException>(() => Store.SaveQuestionAsync(mine, 1, None));

        Assert.Equal("RSJ", (await Store.FindQuestionAsync(q.Id, None))!.AssignedDepartmentCode);
    }

    [Fact]
    public async Task ListQuestions_ByDepartmentAndState_GivesOnlyThose()
    {
        var a = await AnswerAsync(await ReceiveAsync(At(3, 2)), "RSJ", At(3, 3));
        var b = await ReceiveAsync(At(3, 2, 11));
        b.Route(Manager, "RSJ", null, At(3, 2, 12));
        await Store.SaveQuestionAsync(b, 1, None);
        var c = await ReceiveAsync(At(3, 2, 12));
        c.Route(Manager, "YBJ", null, At(3, 2, 13));
        await Store.SaveQuestionAsync(c, 1, None);

        var rsj = await Store.ListQuestionsAsync(new EnquiryQuery([], "RSJ"), None);
        var waiting = await Store.ListQuestionsAsync(new EnquiryQuery([(int)CitizenQuestionState.Routed], "RSJ"), None);

        Assert.Equal([b.Id, a.Id], rsj.Select(q => q.Id));
        Assert.Equal([b.Id], waiting.Select(q => q.Id));
        Assert.Equal([b.Id, c.Id], (await Store.ListOpenQuestionsAsync(None)).Select(q => q.Id));
    }

    [Fact]
    public async Task MonthFigures_Questions_CountedByReceiptMonth_AsTheQuestionsSay()
    {
        // March 2026: answered after 1, 3 (on the due day), 5 (late) and 2 working days, one unanswered; one received in April.
        var answered = new List<CitizenQuestion>
        {
            await AnswerAsync(await ReceiveAsync(At(3, 2)), "RSJ", At(3, 3)),
            await AnswerAsync(await ReceiveAsync(At(3, 2)), "RSJ", At(3, 5, 20)),
            await AnswerAsync(await ReceiveAsync(At(3, 2)), "RSJ", At(3, 9)),
            await AnswerAsync(await ReceiveAsync(At(3, 30)), "YBJ", At(4, 1)),
        };
        await ReceiveAsync(At(3, 31));
        await AnswerAsync(await ReceiveAsync(At(4, 1)), "RSJ", At(4, 2));

        var march = await Store.MonthFiguresAsync(EnquiryKind.Question, 2026, 3, None);

        Assert.Equal(new EnquiryMonthFigures(EnquiryKind.Question, 2026, 3, 5, 4, 3, 2.5), march);
        Assert.Equal([1, 3, 5, 2], answered.Select(q => q.WorkingDaysTaken!.Value));
        Assert.Equal(3, answered.Count(q => !q.AnsweredLate));
        Assert.Equal(new EnquiryMonthFigures(EnquiryKind.Question, 2026, 5, 0, 0, 0, null),
            await Store.MonthFiguresAsync(EnquiryKind.Question, 2026, 5, None));
    }

    [Fact]
    public async Task Reports_StoredOnce_ConcludedAndCounted()
    {
        var report = Report(At(3, 2));
        var (stored, created) = await Store.ReceiveReportAsync(report, "dev-1", "cipher", None);
        var (_, again) = await Store.ReceiveReportAsync(CouldNotBeDoneReport.Restore(report.ToSnapshot()), "dev-1", "cipher", None);
        Assert.True(created);
        Assert.False(again);

        var r = (await Store.FindReportAsync(stored.Id, None))!;
        r.RecordCallback(Manager, CallOutcome.Reached, null, At(3, 3));
        r.Conclude(Manager, CouldNotBeDoneOutcome.Explained, "已解释", null, Limits, At(3, 10));
        await Store.SaveReportAsync(r, 1, None);
        var (open, _) = await Store.ReceiveReportAsync(Report(At(3, 4)), "dev-1", "cipher", None);

        Assert.Equal(CouldNotBeDoneOutcome.Explained, (await Store.FindReportAsync(r.Id, None))!.Outcome);
        Assert.Equal([open.Id], (await Store.ListOpenReportsAsync(None)).Select(x => x.Id));
        Assert.Equal(new EnquiryMonthFigures(EnquiryKind.CouldNotBeDoneReport, 2026, 3, 2, 1, 0, 6),
            await Store.MonthFiguresAsync(EnquiryKind.CouldNotBeDoneReport, 2026, 3, None));
        Assert.Equal("cipher", await Store.FindContactProtectedAsync(EnquiryKind.CouldNotBeDoneReport, r.Id, None));
    }

    public void Dispose() => _server.Dispose();

    /// <summary>
    /// A server without its periodic jobs: these enquiries are of March 2026, so the escalation job (on the real clock) would
    /// escalate them in the middle of a test.
    /// </summary>
    private sealed class QuietServer : ServerFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                foreach (var job in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Namespace?.StartsWith(
                    "ServiceHall.Server", StringComparison.Ordinal) == true).ToList())
                {
                    services.Remove(job);
                }
            });
        }
    }
}

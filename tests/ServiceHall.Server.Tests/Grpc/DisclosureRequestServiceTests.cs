using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.DisclosureRequests;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// 依申请公开 through its RPCs on a real store: a kiosk hands a request in, the office and the department work it on the
/// statutory clock across the 2026 National Day holiday, and the annual table counts it in the right cell.
/// </summary>
public sealed class DisclosureRequestServiceTests : IDisposable
{
    private const string Password = "correct horse battery";

    private readonly ClockedServer _server = new();

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private FakeTimeProvider Clock => _server.Clock;

    private DisclosureRequestService.DisclosureRequestServiceClient Client(string? bearer) => new(bearer is null
        ? _server.CreateChannel().CreateCallInvoker()
        : _server.CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + bearer);
            return m;
        }));

    private DisclosureRequestService.DisclosureRequestServiceClient Kiosk => Client(_kiosk ??= _server.EnrollKiosk("zone-kiosk", ServerFactory.HallCode));

    private string? _kiosk;

    private async Task<DisclosureRequestService.DisclosureRequestServiceClient> StaffAsync(string user, DomainRole role, string? department = null)
    {
        var signIn = _server.Services.GetRequiredService<StaffSignIn>();
        try
        {
            await signIn.CreateAccountAsync(user, user, role, department, Password, CancellationToken.None, null);
        }
        catch (ServiceHall.Server.Domain.InvalidInputException)
        {
            // Made earlier in this test.
        }

        var accounts = new AccountService.AccountServiceClient(_server.CreateChannel());
        return Client((await accounts.SignInAsync(new SignInRequest { UserName = user, Password = Password })).AccessToken);
    }

    private static SubmitDisclosureRequestRequest Application(DateTimeOffset at, string information = "2026年老旧小区改造计划") => new()
    {
        RequestId = Guid.CreateVersion7().ToString(),
        SubmittedAt = Timestamp.FromDateTimeOffset(at),
        ApplicantKind = ApplicantKind.NaturalPerson,
        ApplicantName = "张三",
        IdDocumentKind = IdentityDocumentKind.ResidentIdCard,
        IdDocumentNumber = "11010519491231002X",
        Phone = "13812341234",
        InformationName = information,
        Form = InformationForm.Paper,
        Delivery = DeliveryMethod.Collect,
    };

    private static ActOnDisclosureRequestRequest Step(string id, string step, params (string Name, string Value)[] inputs)
    {
        var request = new ActOnDisclosureRequestRequest { RequestId = id, Step = step };
        request.Inputs.AddRange(inputs.Select(i => new StepInputValue { Name = i.Name, Values = { i.Value } }));
        return request;
    }

    private void MoveTo(int month, int day, int hour = 10) =>
        Clock.SetUtcNow(new DateTimeOffset(2026, month, day, hour, 0, 0, Beijing));

    [Fact]
    public async Task Request_FromKioskToReply_SupplementStopsTheClock_ExtendedOnce_PartlyDisclosed_CountedInTheTable()
    {
        var application = Application(Clock.GetUtcNow());
        var receipt = await Kiosk.SubmitDisclosureRequestAsync(application);
        Assert.Equal("2026-09-23", receipt.ReceivedDay);
        Assert.Equal("2026-10-28", receipt.ReplyDueDay);
        Assert.Equal($"20260923-{application.RequestId.Replace("-", "", StringComparison.Ordinal)[^8..].ToUpperInvariant()}", receipt.RequestNumber);

        var office = await StaffAsync("office", DomainRole.DisclosureOfficer);
        var listed = await office.ListDisclosureRequestsAsync(new ListDisclosureRequestsRequest());
        var summary = Assert.Single(listed.Requests);
        Assert.Equal(receipt.RequestNumber, summary.RequestNumber);
        var id = summary.RequestId;

        await office.ActOnDisclosureRequestAsync(Step(id, "register"));
        // The last day to ask for 补正 is the make-up Saturday 10-10.
        MoveTo(10, 10);
        office = await StaffAsync("office", DomainRole.DisclosureOfficer);
        var stopped = (await office.ActOnDisclosureRequestAsync(
            Step(id, "request_supplement", ("what", "请写明所需文件的名称或文号"), ("due_day", "2026-10-16")))).Request;
        Assert.Equal(DisclosureClockState.StoppedForSupplement, stopped.Summary.Clock);

        MoveTo(10, 12);
        office = await StaffAsync("office", DomainRole.DisclosureOfficer);
        var restarted = (await office.ActOnDisclosureRequestAsync(Step(id, "record_supplement", ("content", "槐荫区2026年老旧小区改造计划")))).Request;
        Assert.Equal(DisclosureClockState.Running, restarted.Summary.Clock);
        Assert.Equal("2026-11-09", restarted.Summary.ReplyDueDay);

        await office.ActOnDisclosureRequestAsync(Step(id, "assign", ("department_code", "RSJ")));
        var handler = await StaffAsync("rsj-handler", DomainRole.DepartmentHandler, "RSJ");
        var seenByHandler = await handler.GetDisclosureRequestAsync(new GetDisclosureRequestRequest { RequestId = id });
        Assert.Null(seenByHandler.Applicant);
        Assert.Contains(seenByHandler.AllowedSteps, s => s.Name == "draft_reply");

        var extended = (await office.ActOnDisclosureRequestAsync(Step(id, "extend",
            ("new_due_day", "2026-12-07"), ("approver", "王主任"), ("reason", "需区分处理"), ("applicant_told", "2026-10-12 电话告知")))).Request;
        Assert.Equal("2026-12-07", extended.Summary.ReplyDueDay);
        Assert.Equal(20, extended.ExtensionWorkingDays);
        var second = await Assert.ThrowsAsync<RpcException>(() => office.ActOnDisclosureRequestAsync(Step(id, "extend",
            ("new_due_day", "2026-12-08"), ("approver", "王主任"), ("reason", "再延"), ("applicant_told", "电话"))).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, second.StatusCode);

        await handler.ActOnDisclosureRequestAsync(Step(id, "draft_reply",
            ("outcome", "partly_disclosed"), ("content", "公开改造计划，删去涉及个人的住户名单"), ("legal_basis", "《政府信息公开条例》第十五条、第三十七条")));
        await office.ActOnDisclosureRequestAsync(Step(id, "approve_reply", ("approver", "王主任")));
        var sent = (await office.ActOnDisclosureRequestAsync(Step(id, "send_reply", ("delivered_by", "collect")))).Request;
        Assert.Equal(DisclosureRequestState.ReplySent, sent.Summary.State);
        Assert.False(sent.RepliedLate);
        Assert.Contains(sent.Timeline, e => e.ActionCode == "Extended" && e.Details.Contains("王主任", StringComparison.Ordinal));

        var report = await office.GetDisclosureAnnualReportAsync(new GetDisclosureAnnualReportRequest { Year = 2026 });
        Assert.Equal([1, 0, 0, 0, 0, 0, 1], report.Rows.Single(r => r.Code == "new").Counts);
        Assert.Equal([1, 0, 0, 0, 0, 0, 1], report.Rows.Single(r => r.Code == "partly_disclosed").Counts);
        Assert.Equal(1, report.Rows.Single(r => r.Code == "total").Counts[^1]);
        Assert.Equal(0, report.Rows.Single(r => r.Code == "carried_forward").Counts[^1]);
    }

    [Fact]
    public async Task Submit_Resent_StoredOnce_AndARepeatOfTheSameInformationIsFlaggedNotRefused()
    {
        var first = Application(Clock.GetUtcNow());
        var receipt = await Kiosk.SubmitDisclosureRequestAsync(first);
        var resent = await Kiosk.SubmitDisclosureRequestAsync(first);
        var again = await Kiosk.SubmitDisclosureRequestAsync(Application(Clock.GetUtcNow().AddMinutes(1), "2026年 老旧小区改造计划"));

        Assert.True(receipt.Created);
        Assert.False(resent.Created);
        Assert.Equal(receipt.RequestNumber, resent.RequestNumber);
        var office = await StaffAsync("office", DomainRole.DisclosureOfficer);
        var listed = (await office.ListDisclosureRequestsAsync(new ListDisclosureRequestsRequest())).Requests;
        Assert.Equal(2, listed.Count);
        Assert.Equal(receipt.RequestNumber, listed.Single(r => r.RequestNumber == again.RequestNumber).RepeatOf);
        Assert.Equal("", listed.Single(r => r.RequestNumber == receipt.RequestNumber).RepeatOf);
    }

    [Theory]
    [InlineData("phone", "12345")]
    [InlineData("id_document_number", "110105194912310021")]
    [InlineData("applicant_name", "")]
    [InlineData("information_name", "")]
    public async Task Submit_BadField_InvalidArgumentNamingIt_AndStoresNothing(string field, string value)
    {
        var application = Application(Clock.GetUtcNow());
        switch (field)
        {
            case "phone": application.Phone = value; break;
            case "id_document_number": application.IdDocumentNumber = value; break;
            case "applicant_name": application.ApplicantName = value; break;
            default: application.InformationName = value; break;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => Kiosk.SubmitDisclosureRequestAsync(application).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal([field], e.FieldsAtFault());
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM disclosure_requests"));
    }

    [Fact]
    public async Task Applicant_EncryptedAtRest_MaskedForTheOffice_HiddenFromOthers()
    {
        await Kiosk.SubmitDisclosureRequestAsync(Application(Clock.GetUtcNow()));
        var office = await StaffAsync("office", DomainRole.DisclosureOfficer);
        var id = (await office.ListDisclosureRequestsAsync(new ListDisclosureRequestsRequest())).Requests.Single().RequestId;

        var seen = await office.GetDisclosureRequestAsync(new GetDisclosureRequestRequest { RequestId = id });
        Assert.Equal("张*", seen.Applicant.Name);
        Assert.Equal("1101**********002X", seen.Applicant.IdDocumentNumber);
        Assert.Equal("138****1234", seen.Applicant.Phone);
        Assert.Equal(0, _server.Scalar(
            "SELECT COUNT(*) FROM disclosure_requests WHERE applicant_protected LIKE '%11010519491231002X%' OR snapshot LIKE '%11010519491231002X%' "
            + "OR snapshot LIKE '%13812341234%' OR applicant_protected LIKE '%13812341234%'"));

        var otherHandler = await StaffAsync("ybj-handler", DomainRole.DepartmentHandler, "YBJ");
        var denied = await Assert.ThrowsAsync<RpcException>(
            () => otherHandler.GetDisclosureRequestAsync(new GetDisclosureRequestRequest { RequestId = id }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var manager = await StaffAsync("manager", DomainRole.HallManager);
        var refused = await Assert.ThrowsAsync<RpcException>(
            () => manager.ListDisclosureRequestsAsync(new ListDisclosureRequestsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task PublishedReport_OnlyForAYearThatHasEnded_CountsOnly()
    {
        await Kiosk.SubmitDisclosureRequestAsync(Application(Clock.GetUtcNow()));
        var anonymous = Client(null);

        var notYet = await Assert.ThrowsAsync<RpcException>(
            () => anonymous.GetPublishedDisclosureAnnualReportAsync(new GetDisclosureAnnualReportRequest { Year = 2026 }).ResponseAsync);
        Clock.SetUtcNow(new DateTimeOffset(2027, 1, 5, 10, 0, 0, Beijing));
        var published = await anonymous.GetPublishedDisclosureAnnualReportAsync(new GetDisclosureAnnualReportRequest { Year = 2026 });

        Assert.Equal(StatusCode.FailedPrecondition, notYet.StatusCode);
        Assert.Equal(1, published.Rows.Single(r => r.Code == "new").Counts[^1]);
        Assert.Equal(1, published.Rows.Single(r => r.Code == "carried_forward").Counts[^1]);
        Assert.DoesNotContain("张", published.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOverdue_EscalatesAMissedReplyDeadlineOnce_AndLapsesAnUnsupplementedRequest()
    {
        var late = await Kiosk.SubmitDisclosureRequestAsync(Application(Clock.GetUtcNow()));
        var unsupplemented = await Kiosk.SubmitDisclosureRequestAsync(Application(Clock.GetUtcNow(), "另一份文件"));
        var office = await StaffAsync("office", DomainRole.DisclosureOfficer);
        var listed = (await office.ListDisclosureRequestsAsync(new ListDisclosureRequestsRequest())).Requests;
        var lapsing = listed.Single(r => r.RequestNumber == unsupplemented.RequestNumber).RequestId;
        await office.ActOnDisclosureRequestAsync(Step(lapsing, "register"));
        await office.ActOnDisclosureRequestAsync(Step(lapsing, "request_supplement", ("what", "请写明文件名称"), ("due_day", "2026-09-30")));
        var desk = _server.Services.GetRequiredService<DisclosureRequestDesk>();

        MoveTo(10, 8);
        Assert.Equal(1, await desk.RunOverdueAsync(CancellationToken.None));
        MoveTo(10, 29);
        Assert.Equal(1, await desk.RunOverdueAsync(CancellationToken.None));
        Assert.Equal(0, await desk.RunOverdueAsync(CancellationToken.None));

        office = await StaffAsync("office", DomainRole.DisclosureOfficer);
        var lapsed = await office.GetDisclosureRequestAsync(new GetDisclosureRequestRequest { RequestId = lapsing });
        var escalated = await office.GetDisclosureRequestAsync(new GetDisclosureRequestRequest
        {
            RequestId = listed.Single(r => r.RequestNumber == late.RequestNumber).RequestId,
        });
        Assert.Equal(DisclosureRequestState.Closed, lapsed.Summary.State);
        Assert.Equal("other_no_supplement", lapsed.Outcome);
        Assert.Equal(DeadlineStatus.Overdue, escalated.Summary.DeadlineStatus);
        Assert.Single(escalated.Timeline, e => e.ActionCode == "Escalated");
    }

    public void Dispose() => _server.Dispose();

    private sealed class ClockedServer : ServerFactory
    {
        // Wednesday 2026-09-23, 10:00 in the district: two days before the Mid-Autumn and National Day holidays.
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 9, 23, 10, 0, 0, TimeSpan.FromHours(8)));

        public long Scalar(string sql) => TestStore.Scalar(DatabasePath, PostgresConnectionString, sql);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                // The clock jumps weeks ahead here: the periodic jobs (disclosure drafting, 差评 overdue scan, fraud scan) would
                // catch up on every period in between, which none of these tests is about.
                foreach (var job in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Namespace?.StartsWith(
                    "ServiceHall.Server", StringComparison.Ordinal) == true).ToList())
                {
                    services.Remove(job);
                }
            });
        }
    }
}

using Bunit;
using Grpc.Core;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Components.Disclosure;
using ServiceHall.Kiosk.Components.Pages;
using ServiceHall.Kiosk.Disclosure;
using ServiceHall.Kiosk.Resources;
using ServiceHall.Kiosk.Services;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

/// <summary>The 依申请公开 form's checks, its screen, the receipt, and the request's way through the outbox.</summary>
public sealed class DisclosureRequestTests : IAsyncLifetime
{
    // A valid 居民身份证 number (GB 11643 check character X) and 统一社会信用代码 (GB 32100 check character).
    private const string IdCard = "11010519491231002X";
    private const string CreditCode = "91350100M000100Y43";
    private const string MaintenancePin = "246810";

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 9, 23, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly BunitContext _ctx = new();
    private readonly Outbox _outbox;
    private readonly KioskPaths _paths;

    public DisclosureRequestTests()
    {
        _outbox = new Outbox(_dir.File("outbox.db"), _clock);
        var options = TestCatalog.Options(_dir.Path);
        _paths = KioskPaths.Resolve(options, "/");
        _ctx.Services.AddSingleton(_outbox);
        _ctx.Services.AddSingleton<TimeProvider>(_clock);
        _ctx.Services.AddSingleton(TestCatalog.Wrap(options));
        _ctx.Services.AddSingleton(_paths);
        _ctx.Services.AddSingleton<DisclosureIntakeTerms>();
        // The maintenance page (its PIN, the outbox sender and the catalog it reports on).
        var maintenance = TestCatalog.Options(_dir.Path);
        maintenance.MaintenancePin = MaintenancePin;
        var client = new ServiceHallClient(new FakeCatalogServer(), new FakeRatingServer(), _clock);
        _ctx.Services.AddSingleton(new OutboxSender(_outbox, client, _clock, NullLogger<OutboxSender>.Instance));
        _ctx.Services.AddSingleton(new CatalogCache(client, TestCatalog.Wrap(maintenance), _paths, _clock, NullLogger<CatalogCache>.Instance));
        _ctx.Services.AddSingleton(new MaintenanceLock(TestCatalog.Wrap(maintenance), _clock));
        _ctx.Services.AddScoped<KioskSessionPreferences>();
        _ctx.Services.AddLogging();
        _ctx.Services.AddLocalization();
        _ctx.Services.AddScoped<KioskText>();
        _ctx.Services.AddScoped<KioskVoice>();
        _ctx.SetRendererInfo(new RendererInfo("Server", true));
        _ctx.JSInterop.SetupModule("./js/speech.js").Mode = JSRuntimeMode.Loose;
    }

    private static DisclosureApplicationForm ValidPerson() => new()
    {
        ApplicantKind = ApplicantKind.NaturalPerson,
        Name = "张三",
        DocumentNumber = IdCard.ToLowerInvariant(),
        Phone = "138 0013 8000",
        InformationName = "2025年度区级部门预算公开说明",
        Form = InformationForm.Electronic,
        Delivery = DeliveryMethod.Email,
        Email = "zhang@example.com",
    };

    [Fact]
    public void Check_ValidPerson_NoFaultAndTheRequestIsNormalised()
    {
        var form = ValidPerson();

        Assert.Empty(form.Check());
        var request = form.ToRequest(Guid.NewGuid(), _clock.GetUtcNow(), "kiosk-test");
        Assert.Equal(IdentityDocumentKind.ResidentIdCard, request.Applicant!.DocumentKind);
        Assert.Equal(IdCard, request.Applicant.DocumentNumber);
        Assert.Equal("13800138000", request.Applicant.Phone);
        Assert.Null(request.Applicant.PostalAddress);
        Assert.Null(request.Applicant.ContactPerson);
    }

    [Theory]
    [InlineData("11010519491231002Y", "Disclosure.Error.ResidentIdCard")]  // wrong check character
    [InlineData("110105194913310021", "Disclosure.Error.ResidentIdCard")]  // no such birth date
    [InlineData("", "Disclosure.Error.DocumentNumberMissing")]
    public void Check_BadIdCardNumber_FaultOnTheNumber(string number, string expected)
    {
        var form = ValidPerson();
        form.DocumentNumber = number;

        var fault = Assert.Single(form.Check());
        Assert.Equal("id_document_number", fault.Key);
        Assert.Equal(expected, fault.Value);
    }

    [Fact]
    public void Check_Organisation_NeedsCreditCodeAndContactPerson()
    {
        var form = ValidPerson();
        form.ApplicantKind = ApplicantKind.LegalServiceOrganisation;
        form.Name = "山东某某律师事务所";
        form.DocumentNumber = IdCard;

        var faults = form.Check();
        Assert.Equal(IdentityDocumentKind.UnifiedSocialCreditCode, form.DocumentKind);
        Assert.Equal("Disclosure.Error.CreditCode", faults["id_document_number"]);
        Assert.Equal("Disclosure.Error.ContactPerson", faults["contact_person"]);

        form.DocumentNumber = CreditCode;
        form.ContactPerson = "李四";
        Assert.Empty(form.Check());
    }

    [Fact]
    public void Check_DeliveryRules_EachNamesItsField()
    {
        var form = ValidPerson();
        form.Form = InformationForm.Paper;
        Assert.Equal("Disclosure.Error.EmailOnlyElectronic", Assert.Single(form.Check()).Value);

        form.Form = InformationForm.InspectOnSite;
        form.Delivery = DeliveryMethod.Post;
        form.PostalAddress = "济南市历下区经十路1号";
        var fault = Assert.Single(form.Check());
        Assert.Equal(("delivery", "Disclosure.Error.InspectMeansCollect"), (fault.Key, fault.Value));

        form.Form = InformationForm.Paper;
        form.PostalAddress = " ";
        fault = Assert.Single(form.Check());
        Assert.Equal(("postal_address", "Disclosure.Error.PostalAddressMissing"), (fault.Key, fault.Value));

        form.Delivery = DeliveryMethod.Email;
        form.Form = InformationForm.Electronic;
        form.Email = "not-an-address";
        fault = Assert.Single(form.Check());
        Assert.Equal(("email", "Disclosure.Error.Email"), (fault.Key, fault.Value));
    }

    [Fact]
    public void Check_NothingSaidAboutTheInformation_FaultOnInformationName()
    {
        var form = ValidPerson();
        form.InformationName = "  ";

        var fault = Assert.Single(form.Check());
        Assert.Equal(("information_name", "Disclosure.Error.InformationMissing"), (fault.Key, fault.Value));
        Assert.Empty(form.Check(DisclosureFormStep.Applicant));
    }

    [Fact]
    public void Screen_NextWithEmptyStep_ShowsEachFaultOnItsFieldAndStays()
    {
        var cut = _ctx.Render<DisclosureRequestPage>();

        cut.Find("[data-testid=disclosure-next]").Click();

        Assert.Equal("申请人信息", cut.Find("[data-testid=disclosure-step-heading]").TextContent);
        Assert.Contains("请选择申请人类型", cut.Find("[data-testid=error-applicant_kind]").TextContent);
        Assert.Contains("请填写申请人姓名", cut.Find("[data-testid=error-applicant_name]").TextContent);
        Assert.Contains("请填写联系电话", cut.Find("[data-testid=error-phone]").TextContent);
        Assert.Equal("true", cut.Find("[data-testid=input-phone]").GetAttribute("aria-invalid"));
        Assert.NotNull(cut.Find("[data-testid=disclosure-faults]"));
    }

    [Fact]
    public async Task Screen_FilledAndSubmitted_RequestIsInTheOutboxAndThePendingReceiptNamesItsNumber()
    {
        var cut = _ctx.Render<DisclosureRequestPage>();
        cut.Find("[data-testid=applicant_kind-NaturalPerson]").Click();
        cut.Find("[data-testid=input-applicant_name]").Input("张三");
        cut.Find("[data-testid=input-id_document_number]").Input(IdCard);
        cut.Find("[data-testid=input-phone]").Input("13800138000");
        cut.Find("[data-testid=disclosure-next]").Click();
        cut.Find("[data-testid=input-information_name]").Input("2025年度区级部门预算公开说明");
        cut.Find("[data-testid=disclosure-next]").Click();
        cut.Find("[data-testid=form-Paper]").Click();
        cut.Find("[data-testid=delivery-Collect]").Click();
        cut.Find("[data-testid=disclosure-submit]").Click();

        cut.WaitForElement("[data-testid=receipt-pending]");
        var pending = Assert.Single(await _outbox.GetPendingDisclosureRequestsAsync());
        Assert.Equal("张三", pending.Applicant!.Name);
        Assert.Equal(InformationForm.Paper, pending.Form);
        var number = cut.Find("[data-testid=receipt-number]").TextContent;
        Assert.Equal($"20260923-{pending.Id.ToString("N")[^8..].ToUpperInvariant()}", number);
        // No intake terms were ever loaded: no date is given, only the rule.
        Assert.Contains("20 个工作日", cut.Find("[data-testid=receipt-due-day-unknown]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=receipt-expected-due-day]"));

        await _outbox.RecordDisclosureRequestAcceptedAsync(pending.Id,
            new DisclosureReceipt(number, new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 28)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForElement("[data-testid=receipt-confirmed]");
        Assert.Equal("2026年10月28日", cut.Find("[data-testid=receipt-due-day]").TextContent);
    }

    [Fact]
    public void Receipt_PendingWithTodaysTerm_ShowsTheServersDateAsExpectedNotConfirmed()
    {
        var term = new DisclosureIntakeTerm(new DateOnly(2026, 9, 23), new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 28));

        var cut = _ctx.Render<DisclosureReceiptView>(p => p
            .Add(c => c.Number, "20260923-3F9A2C1B")
            .Add(c => c.Standing, DisclosureDelivery.Pending)
            .Add(c => c.Term, term));

        Assert.NotNull(cut.Find("[data-testid=receipt-pending]"));
        Assert.Equal("20260923-3F9A2C1B", cut.Find("[data-testid=receipt-number]").TextContent);
        var expected = cut.Find("[data-testid=receipt-expected-due-day]").TextContent;
        Assert.Contains("2026年10月28日", expected);
        Assert.Contains("以送达后确认为准", expected);
        Assert.Empty(cut.FindAll("[data-testid=receipt-confirmed]"));
    }

    [Fact]
    public void Receipt_Refused_SaysWhyAndNamesNoDate()
    {
        var cut = _ctx.Render<DisclosureReceiptView>(p => p
            .Add(c => c.Number, "20260923-3F9A2C1B")
            .Add(c => c.Standing, DisclosureDelivery.Refused)
            .Add(c => c.Refusal, new DisclosureRefusal("submitted_at", "提交时间早于 30 天前")));

        Assert.Contains("提交时间早于 30 天前", cut.Find("[role=alert]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=receipt-due-day]"));
    }

    [Fact]
    public async Task Maintenance_PendingRequests_CountedBesideTheRatingsAndNotThoseAnswered()
    {
        await _outbox.EnqueueDisclosureRequestAsync(ValidPerson().ToRequest(Guid.NewGuid(), _clock.GetUtcNow(), "kiosk-test"));
        await _outbox.EnqueueDisclosureRequestAsync(ValidPerson().ToRequest(Guid.NewGuid(), _clock.GetUtcNow(), "kiosk-test"));
        var answered = ValidPerson().ToRequest(Guid.NewGuid(), _clock.GetUtcNow(), "kiosk-test");
        await _outbox.EnqueueDisclosureRequestAsync(answered);
        await _outbox.RecordDisclosureRequestAcceptedAsync(answered.Id,
            new DisclosureReceipt("YSQ-2026-0001", new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 28)));

        var page = _ctx.Render<Maintenance>();
        foreach (var key in MaintenancePin)
        {
            page.Find($"[data-testid=pin-key-{key}]").Click();
        }
        page.Find("[data-testid=pin-submit]").Click();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=outbox-disclosure-requests]").TextContent.Trim()),
            TimeSpan.FromSeconds(5));
        Assert.Equal("0", page.Find("[data-testid=outbox-depth]").TextContent.Trim());
        Assert.Contains("待提交依申请公开", page.Find("[data-testid=outbox-disclosure-requests]").ParentElement!.TextContent);
    }

    [Fact]
    public async Task Outbox_ApplicantKeptApartAndErasedOnceTheServerAnswered()
    {
        var request = ValidPerson().ToRequest(Guid.NewGuid(), _clock.GetUtcNow(), "kiosk-test");
        await _outbox.EnqueueDisclosureRequestAsync(request);
        await _outbox.EnqueueDisclosureRequestAsync(request);

        Assert.Equal(1, await _outbox.GetPendingDisclosureRequestCountAsync());
        Assert.DoesNotContain(IdCard, await ReadColumnAsync("payload"));
        Assert.Contains(IdCard, await ReadColumnAsync("applicant"));

        await _outbox.RecordDisclosureRequestAcceptedAsync(request.Id,
            new DisclosureReceipt("20260923-X", new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 28)));

        Assert.Equal("", await ReadColumnAsync("applicant"));
        Assert.Empty(await _outbox.GetPendingDisclosureRequestsAsync());
        var standing = await _outbox.GetDisclosureRequestStandingAsync(request.Id);
        Assert.Equal(new DateOnly(2026, 10, 28), standing!.Receipt!.ReplyDueDay);
    }

    [Fact]
    public async Task Sender_ServerAwayThenBack_DeliversOnceKeepsTermsAndRecordsARefusalForGood()
    {
        var server = new FakeDisclosureServer { FailNextCalls = 2 };
        var sender = new DisclosureRequestSender(_outbox, new DisclosureRequestClient(server, _clock),
            new DisclosureIntakeTerms(_paths, NullLogger<DisclosureIntakeTerms>.Instance), TestCatalog.Wrap(TestCatalog.Options(_dir.Path)),
            _clock, NullLogger<DisclosureRequestSender>.Instance);
        var request = ValidPerson().ToRequest(Guid.NewGuid(), _clock.GetUtcNow(), "kiosk-test");
        await _outbox.EnqueueDisclosureRequestAsync(request);

        await Assert.ThrowsAsync<RpcException>(() => sender.DeliverOnceAsync(CancellationToken.None));
        Assert.Equal(DisclosureDelivery.Pending, (await _outbox.GetDisclosureRequestStandingAsync(request.Id))!.Delivery);

        await sender.DeliverOnceAsync(CancellationToken.None);
        await sender.DeliverOnceAsync(CancellationToken.None);
        Assert.Equal([request.Id.ToString()], server.Submitted);
        Assert.Equal(DisclosureDelivery.Accepted, (await _outbox.GetDisclosureRequestStandingAsync(request.Id))!.Delivery);
        // The terms the server sent are kept on disk for a kiosk that starts while the server is away.
        var reloaded = new DisclosureIntakeTerms(_paths, NullLogger<DisclosureIntakeTerms>.Instance);
        Assert.Equal(new DateOnly(2026, 10, 28), reloaded.For(new DateOnly(2026, 9, 23))!.ReplyDueDay);

        server.RefuseField = "submitted_at";
        var late = ValidPerson().ToRequest(Guid.NewGuid(), _clock.GetUtcNow(), "kiosk-test");
        await _outbox.EnqueueDisclosureRequestAsync(late);
        await sender.DeliverOnceAsync(CancellationToken.None);
        var refused = (await _outbox.GetDisclosureRequestStandingAsync(late.Id))!;
        Assert.Equal(DisclosureDelivery.Refused, refused.Delivery);
        Assert.Equal("submitted_at", refused.Refusal!.Field);
        Assert.Empty(await _outbox.GetPendingDisclosureRequestsAsync());
    }

    private async Task<string> ReadColumnAsync(string column)
    {
        await using var connection = new SqliteConnection($"Data Source={_outbox.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM disclosure_requests";
        return await command.ExecuteScalarAsync() is string value ? value : "";
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _outbox.Dispose();
        _dir.Dispose();
    }
}

/// <summary>DisclosureRequestService as the kiosk sees it: stores each request id once, can be away or refuse a field.</summary>
public sealed class FakeDisclosureServer : Proto.DisclosureRequestService.DisclosureRequestServiceClient
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _ids = [];
    private readonly List<string> _submitted = [];

    public int FailNextCalls { get; set; }

    /// <summary>When set, every submission is refused InvalidArgument with this field.</summary>
    public string? RefuseField { get; set; }

    public IReadOnlyList<string> Submitted
    {
        get
        {
            lock (_lock)
            {
                return [.. _submitted];
            }
        }
    }

    public override AsyncUnaryCall<Proto.SubmitDisclosureRequestResponse> SubmitDisclosureRequestAsync(
        Proto.SubmitDisclosureRequestRequest request, CallOptions options)
    {
        lock (_lock)
        {
            if (FailNextCalls > 0)
            {
                FailNextCalls--;
                return Call<Proto.SubmitDisclosureRequestResponse>(new RpcException(new Status(StatusCode.Unavailable, "server is down")));
            }
            if (RefuseField is { } field)
            {
                // As the server's interceptor answers: the field at fault in a google.rpc.BadRequest beside the status.
                return Call<Proto.SubmitDisclosureRequestResponse>(new Google.Rpc.Status
                {
                    Code = (int)StatusCode.InvalidArgument,
                    Message = "不符合要求",
                    Details =
                    {
                        Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.BadRequest
                        {
                            FieldViolations = { new Google.Rpc.BadRequest.Types.FieldViolation { Field = field, Description = "不符合要求" } },
                        }),
                    },
                }.ToRpcException());
            }
            if (_ids.Add(request.RequestId))
            {
                _submitted.Add(request.RequestId);
            }
        }
        return Call(new Proto.SubmitDisclosureRequestResponse
        {
            RequestNumber = "20260923-" + request.RequestId.Replace("-", "", StringComparison.Ordinal)[^8..].ToUpperInvariant(),
            ReceivedDay = "2026-09-23",
            ReplyDueDay = "2026-10-28",
            Created = true,
        });
    }

    public override AsyncUnaryCall<Proto.GetDisclosureIntakeTermsResponse> GetDisclosureIntakeTermsAsync(
        Proto.GetDisclosureIntakeTermsRequest request, CallOptions options)
    {
        lock (_lock)
        {
            if (FailNextCalls > 0)
            {
                FailNextCalls--;
                return Call<Proto.GetDisclosureIntakeTermsResponse>(new RpcException(new Status(StatusCode.Unavailable, "server is down")));
            }
        }
        var response = new Proto.GetDisclosureIntakeTermsResponse();
        response.Terms.Add(new Proto.DisclosureIntakeTerm { Day = "2026-09-23", ReceivedDay = "2026-09-23", ReplyDueDay = "2026-10-28" });
        return Call(response);
    }

    private static AsyncUnaryCall<T> Call<T>(T response) =>
        new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

    private static AsyncUnaryCall<T> Call<T>(RpcException error) =>
        new(Task.FromException<T>(error), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}

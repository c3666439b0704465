using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Kiosks;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// Who may call what: each kind of caller against representative RPCs, through the real authentication handlers and
/// policies, and the gRPC status each refusal comes out as.
/// </summary>
public sealed class CallerPolicyTests(CallerPolicyTests.ClockedServer server) : IClassFixture<CallerPolicyTests.ClockedServer>
{
    private const string Password = "a long enough password";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public sealed class ClockedServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    private CallInvoker As(string? bearer) => bearer is null
        ? server.CreateChannel().CreateCallInvoker()
        : server.CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + bearer);
            return m;
        });

    private async Task<string> StaffTokenAsync(DomainRole role, string? department = null, string? hall = null)
    {
        var user = $"{role}-{department}-{hall}".ToLowerInvariant();
        try
        {
            await server.Services.GetRequiredService<StaffSignIn>()
                .CreateAccountAsync(user, user, role, department, Password, CancellationToken.None, hall);
        }
        catch (ServiceHall.Server.Domain.InvalidInputException)
        {
            // Created by an earlier test of this class.
        }

        var response = await new AccountService.AccountServiceClient(server.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = user, Password = Password });
        return response.AccessToken;
    }

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Fact]
    public void EveryRpc_DeclaresAPolicyOrIsAnonymous()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<global::Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null)
            .Where(e => e.DisplayName?.Contains("unimplemented", StringComparison.OrdinalIgnoreCase) != true)
            .ToList();

        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.DisplayName)
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.Empty(undeclared);
        Assert.Contains(endpoints, e => e.Metadata.GetMetadata<IAuthorizeData>()?.Policy == "Kiosk");
    }

    [Fact]
    public async Task KioskRpc_WithoutCredential_UnauthenticatedSayingACredentialIsNeeded()
    {
        var e = await RefusedAsync(() => new TransactionService.TransactionServiceClient(As(null))
            .FindTransactionAsync(new FindTransactionRequest { ShortCode = "ABCDEF" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("设备凭证", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KioskRpc_StaffToken_Unauthenticated()
    {
        var token = await StaffTokenAsync(DomainRole.Administrator);

        var submit = await RefusedAsync(() => new RatingService.RatingServiceClient(As(token))
            .SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ServerFactory.GoodRating() } }).ResponseAsync);
        var beat = await RefusedAsync(() => new KioskService.KioskServiceClient(As(token))
            .ReportHeartbeatAsync(new ReportHeartbeatRequest()).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (submit.StatusCode, beat.StatusCode));
        Assert.Equal("设备凭证无效", submit.Status.Detail);
    }

    [Fact]
    public async Task StaffRpc_KioskCredential_Unauthenticated()
    {
        var credential = server.EnrollKiosk("kiosk-as-staff", ServerFactory.HallCode);

        var list = await RefusedAsync(() => new CaseService.CaseServiceClient(As(credential))
            .ListCasesAsync(new ListCasesRequest()).ResponseAsync);
        var fleet = await RefusedAsync(() => new KioskFleetService.KioskFleetServiceClient(As(credential))
            .ListKiosksAsync(new ListKiosksRequest()).ResponseAsync);

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (list.StatusCode, fleet.StatusCode));
        Assert.Equal("登录已失效，请重新登录", list.Status.Detail);
    }

    [Fact]
    public async Task StaffRpc_NoToken_UnauthenticatedSayingASignInIsNeeded()
    {
        var e = await RefusedAsync(() => new DisclosureService.DisclosureServiceClient(As(null))
            .CorrectPublicationAsync(new CorrectPublicationRequest { PeriodKey = "2026-06", Reason = "试" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("需要登录", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedKiosk_EveryKioskRpc_PermissionDeniedFromTheNextCallOn()
    {
        var credential = server.EnrollKiosk("kiosk-revoked", ServerFactory.HallCode);
        var heartbeat = new KioskService.KioskServiceClient(As(credential));
        var transactions = new TransactionService.TransactionServiceClient(As(credential));
        await heartbeat.ReportHeartbeatAsync(new ReportHeartbeatRequest { Version = "1" });

        await server.Services.GetRequiredService<KioskRegistry>().RevokeAsync("kiosk-revoked", CancellationToken.None);
        var refusals = new[]
        {
            await RefusedAsync(() => heartbeat.ReportHeartbeatAsync(new ReportHeartbeatRequest { Version = "1" }).ResponseAsync),
            await RefusedAsync(() => transactions.FindTransactionAsync(new FindTransactionRequest { ShortCode = "ABCDEF" }).ResponseAsync),
            await RefusedAsync(() => transactions.RecordNotRatedAsync(new RecordNotRatedRequest { TransactionNumber = "X" }).ResponseAsync),
            await RefusedAsync(async () =>
            {
                using var timeout = new CancellationTokenSource(Bound);
                using var watch = transactions.WatchWindow(new WatchWindowRequest { WindowCode = "A01" }, cancellationToken: timeout.Token);
                await watch.ResponseStream.MoveNext(timeout.Token);
            }),
        };

        Assert.All(refusals, e =>
        {
            Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
            Assert.Equal("设备 kiosk-revoked 已停用", e.Status.Detail);
        });
    }

    [Theory]
    [InlineData(DomainRole.Administrator)]
    [InlineData(DomainRole.Moderator)]
    public async Task CaseRpcs_RoleThatWorksNoCases_PermissionDenied(DomainRole role)
    {
        var token = await StaffTokenAsync(role);
        var cases = new CaseService.CaseServiceClient(As(token));

        var list = await RefusedAsync(() => cases.ListCasesAsync(new ListCasesRequest()).ResponseAsync);
        var watch = await RefusedAsync(async () =>
        {
            using var timeout = new CancellationTokenSource(Bound);
            using var call = cases.WatchCases(new WatchCasesRequest(), cancellationToken: timeout.Token);
            await call.ResponseStream.MoveNext(timeout.Token);
        });

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (list.StatusCode, watch.StatusCode));
        Assert.Contains("处理差评案件", list.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DomainRole.HallManager)]
    [InlineData(DomainRole.Supervisor)]
    [InlineData(DomainRole.Auditor)]
    public async Task EnrollKiosk_NotTheAdministrator_PermissionDeniedAndNothingEnrolled(DomainRole role)
    {
        var fleet = new KioskFleetService.KioskFleetServiceClient(As(await StaffTokenAsync(role)));

        var e = await RefusedAsync(() => fleet.EnrollKioskAsync(
            new EnrollKioskRequest { DeviceId = $"kiosk-by-{role}", HallCode = ServerFactory.HallCode }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("只有系统管理员可以管理设备和账户", e.Status.Detail);
        Assert.Equal(0, server.Scalar("SELECT COUNT(*) FROM kiosks WHERE device_id = @d", ("d", $"kiosk-by-{role}")));
    }

    [Fact]
    public async Task ListKiosks_HallManagerOfAnotherHall_SeesOnlyItsOwnHallsKiosks_AuditorRefused()
    {
        server.EnrollKiosk("kiosk-centre", ServerFactory.HallCode);
        server.EnrollKiosk("kiosk-street-hall", "370104-ZZLJD");
        var streetManager = new KioskFleetService.KioskFleetServiceClient(As(await StaffTokenAsync(DomainRole.HallManager, hall: "370104-ZZLJD")));
        var auditor = new KioskFleetService.KioskFleetServiceClient(As(await StaffTokenAsync(DomainRole.Auditor)));

        var listed = await streetManager.ListKiosksAsync(new ListKiosksRequest());
        var refused = await RefusedAsync(() => auditor.ListKiosksAsync(new ListKiosksRequest()).ResponseAsync);

        Assert.Contains(listed.Kiosks, k => k.DeviceId == "kiosk-street-hall");
        Assert.All(listed.Kiosks, k => Assert.Equal("370104-ZZLJD", k.HallCode));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task HideRatingText_NotAModerator_PermissionDenied()
    {
        var disclosure = new DisclosureService.DisclosureServiceClient(As(await StaffTokenAsync(DomainRole.Supervisor)));

        var e = await RefusedAsync(() => disclosure.HideRatingTextAsync(
            new HideRatingTextRequest { RatingId = Guid.NewGuid().ToString(), Reason = "隐私" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Theory]
    [InlineData(DomainRole.Supervisor, null)]
    [InlineData(DomainRole.Moderator, null)]
    [InlineData(DomainRole.Auditor, null)]
    [InlineData(DomainRole.DisclosureOfficer, ServerFactory.HallCode)]
    public async Task ReviewRpcs_NotADistrictDisclosureOfficer_PermissionDenied(DomainRole role, string? hall)
    {
        var disclosure = new DisclosureService.DisclosureServiceClient(As(await StaffTokenAsync(role, hall: hall)));

        var refusals = new[]
        {
            await RefusedAsync(() => disclosure.ApproveDraftAsync(new ApproveDraftRequest { PeriodKey = "2026-06", Version = 1 }).ResponseAsync),
            await RefusedAsync(() => disclosure.RedactDraftTextAsync(new RedactDraftTextRequest { PeriodKey = "2026-06", Version = 1, Text = "＊" }).ResponseAsync),
            await RefusedAsync(() => disclosure.HideDraftTextAsync(new HideDraftTextRequest { PeriodKey = "2026-06", Version = 1, Reason = "试" }).ResponseAsync),
            await RefusedAsync(() => disclosure.WithdrawPublishedAsync(new WithdrawPublishedRequest { PeriodKey = "2026-06", Version = 1, Reason = "试" }).ResponseAsync),
        };

        Assert.All(refusals, e => Assert.Equal(
            (StatusCode.PermissionDenied, "只有区级政务公开专员可以审核、发布或撤回公开内容"), (e.StatusCode, e.Status.Detail)));
    }

    [Fact]
    public async Task CorrectPublication_ByAHallBoundSupervisor_PermissionDenied()
    {
        var disclosure = new DisclosureService.DisclosureServiceClient(
            As(await StaffTokenAsync(DomainRole.Supervisor, hall: ServerFactory.HallCode)));

        var e = await RefusedAsync(() => disclosure.CorrectPublicationAsync(
            new CorrectPublicationRequest { PeriodKey = "2026-06", Reason = "试" }).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "只有区级督办人员（不限于某一大厅）可以进行此操作"), (e.StatusCode, e.Status.Detail));
    }

    [Fact]
    public async Task StaffToken_AfterItsSessionExpired_Unauthenticated()
    {
        var token = await StaffTokenAsync(DomainRole.Supervisor, hall: ServerFactory.HallCode);
        var cases = new CaseService.CaseServiceClient(As(token));
        await cases.ListCasesAsync(new ListCasesRequest());

        server.Clock.Advance(TimeSpan.FromHours(new AccountOptions().SessionHours) + TimeSpan.FromMinutes(1));
        var e = await RefusedAsync(() => cases.ListCasesAsync(new ListCasesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task PublicRpcsHealthAndReflection_WithoutCredential_Answer()
    {
        var catalog = await new CatalogService.CatalogServiceClient(As(null)).GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });
        await new DisclosureService.DisclosureServiceClient(As(null)).ListPublicationsAsync(new ListPublicationsRequest());
        // Answered at all is the point: its status depends on the health checks, not on the caller.
        await new Health.HealthClient(As(null)).CheckAsync(new HealthCheckRequest());
        using var reflection = new ServerReflection.ServerReflectionClient(As(null)).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));

        Assert.NotEmpty(catalog.Windows);
        Assert.Contains(reflection.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "servicehall.v1.CaseService");
    }

    [Fact]
    public async Task HealthPage_WithoutCredential_Ok()
    {
        var response = await server.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(StatusCodes.Status200OK, (int)response.StatusCode);
    }
}

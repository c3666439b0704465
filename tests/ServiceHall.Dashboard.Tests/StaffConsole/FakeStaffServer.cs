using System.Net;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>
/// A tiny in-process fake of the server's staff RPCs (sign-in, cases, catalog) over real h2c on a loopback port. It
/// checks the bearer token like the real server and records every request, so tests see what went over the wire.
/// </summary>
internal sealed class FakeStaffServer : IAsyncDisposable
{
    public const string UserName = "wangli";
    public const string Password = "correct horse";
    public const string Token = "token-abc";

    private readonly WebApplication _app;

    private FakeStaffServer(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        Channel = channel;
    }

    public FakeAccountService Accounts { get; } = new();

    public FakeCaseService Cases { get; } = new();

    public FakeCatalogService Catalog { get; } = new();

    public GrpcChannel Channel { get; }

    public static async Task<FakeStaffServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var holder = new Holder();
        builder.Services.AddSingleton(_ => holder.Server!.Accounts);
        builder.Services.AddSingleton(_ => holder.Server!.Cases);
        builder.Services.AddSingleton(_ => holder.Server!.Catalog);
        var app = builder.Build();
        app.MapGrpcService<FakeAccountService>();
        app.MapGrpcService<FakeCaseService>();
        app.MapGrpcService<FakeCatalogService>();
        await app.StartAsync();
        var server = new FakeStaffServer(app, GrpcChannel.ForAddress(app.Urls.Single()));
        holder.Server = server;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Cases.Notices.Writer.TryComplete();
        Channel.Dispose();
        await _app.DisposeAsync();
    }

    private sealed class Holder
    {
        public FakeStaffServer? Server { get; set; }
    }

    private static void RequireToken(ServerCallContext context, FakeCaseService cases)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        lock (cases.AuthorizationHeaders)
        {
            cases.AuthorizationHeaders.Add(header);
        }

        if (header != "Bearer " + Token || cases.RejectToken)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "token missing, expired or revoked"));
        }
    }

    internal sealed class FakeAccountService : AccountService.AccountServiceBase
    {
        public StaffAccount Account { get; set; } = new()
        {
            UserName = UserName,
            DisplayName = "王丽",
            Role = StaffRole.HallManager,
        };

        public override Task<SignInResponse> SignIn(SignInRequest request, ServerCallContext context)
        {
            if (request.UserName.Length == 0 || request.Password.Length == 0)
            {
                throw RpcErrorsTests.FieldRefused("user_name", "不能为空");
            }

            if (request.UserName != UserName || request.Password != Password)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "wrong user name or password"));
            }

            return Task.FromResult(new SignInResponse
            {
                AccessToken = Token,
                ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(8)),
                Account = Account,
            });
        }

        /// <summary>The authorization header of every sign-out, in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> SignOuts { get; } = new();

        public override Task<SignOutResponse> SignOut(SignOutRequest request, ServerCallContext context)
        {
            SignOuts.Enqueue(context.RequestHeaders.GetValue("authorization") ?? "");
            return Task.FromResult(new SignOutResponse());
        }

        /// <summary>Every password change, unlock and enable/disable the console sent, in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<object> Changes { get; } = new();

        /// <summary>The administrator's account list; an unlock clears a lock, a disable sets the flag.</summary>
        public List<AccountStanding> Standings { get; } = [];

        public List<SecurityEvent> Events { get; } = [];

        public override Task<ChangePasswordResponse> ChangePassword(ChangePasswordRequest request, ServerCallContext context)
        {
            RequireToken(context);
            if (request.OldPassword != Password)
            {
                throw RpcErrorsTests.FieldRefused("old_password", "原密码不正确");
            }

            if (request.NewPassword.Length < 12)
            {
                throw RpcErrorsTests.FieldRefused("new_password", "至少 12 个字符");
            }

            Changes.Enqueue(request);
            return Task.FromResult(new ChangePasswordResponse());
        }

        public override Task<ListAccountsResponse> ListAccounts(ListAccountsRequest request, ServerCallContext context)
        {
            RequireToken(context);
            RequireRole(StaffRole.Administrator);
            return Task.FromResult(new ListAccountsResponse { Accounts = { Standings.Select(s => s.Clone()) } });
        }

        public override Task<UnlockAccountResponse> UnlockAccount(UnlockAccountRequest request, ServerCallContext context)
        {
            RequireToken(context);
            RequireRole(StaffRole.Administrator);
            Changes.Enqueue(request);
            var standing = Standings.Single(s => s.Account.UserName == request.UserName);
            standing.LockedUntil = null;
            standing.FailedSignIns = 0;
            return Task.FromResult(new UnlockAccountResponse());
        }

        public override Task<SetAccountDisabledResponse> SetAccountDisabled(SetAccountDisabledRequest request, ServerCallContext context)
        {
            RequireToken(context);
            RequireRole(StaffRole.Administrator);
            Changes.Enqueue(request);
            Standings.Single(s => s.Account.UserName == request.UserName).Disabled = request.Disabled;
            return Task.FromResult(new SetAccountDisabledResponse());
        }

        public override Task<ListSecurityEventsResponse> ListSecurityEvents(ListSecurityEventsRequest request, ServerCallContext context)
        {
            RequireToken(context);
            RequireRole(StaffRole.Auditor, StaffRole.Administrator);
            return Task.FromResult(new ListSecurityEventsResponse { Events = { Events } });
        }

        private static void RequireToken(ServerCallContext context)
        {
            if (context.RequestHeaders.GetValue("authorization") != "Bearer " + Token)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "no token"));
            }
        }

        private void RequireRole(params StaffRole[] roles)
        {
            if (!roles.Contains(Account.Role))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, "not for this role"));
            }
        }
    }

    internal sealed class FakeCaseService : CaseService.CaseServiceBase
    {
        private readonly Lock _gate = new();
        private List<CaseSummary> _cases = [];

        public List<string?> AuthorizationHeaders { get; } = [];

        public List<ListCasesRequest> ListRequests { get; } = [];

        public List<ActOnCaseRequest> ActRequests { get; } = [];

        public Dictionary<string, GetCaseResponse> Files { get; } = [];

        /// <summary>What ActOnCase answers; null answers the file as it is.</summary>
        public Func<ActOnCaseRequest, GetCaseResponse>? OnAct { get; set; }

        /// <summary>Makes every call answer Unauthenticated, as after the token was revoked.</summary>
        public bool RejectToken { get; set; }

        /// <summary>Makes only WatchCases answer Unauthenticated, as when the token expires while the queue is open.</summary>
        public bool RejectWatch { get; set; }

        /// <summary>A status every ListCases call fails with, if set.</summary>
        public Status? ListFailure { get; set; }

        public Channel<CaseNotice> Notices { get; } = System.Threading.Channels.Channel.CreateUnbounded<CaseNotice>();

        public int WatchCalls;

        public void SetCases(params CaseSummary[] cases)
        {
            lock (_gate)
            {
                _cases = [.. cases];
            }
        }

        public override Task<ListCasesResponse> ListCases(ListCasesRequest request, ServerCallContext context)
        {
            RequireToken(context, this);
            lock (_gate)
            {
                lock (ListRequests)
                {
                    ListRequests.Add(request);
                }
                if (ListFailure is { } failure)
                {
                    throw new RpcException(failure);
                }

                var response = new ListCasesResponse();
                response.Cases.AddRange(_cases.Select(c => c.Clone()));
                return Task.FromResult(response);
            }
        }

        /// <summary>What GetHandlingFigures answers; the requests it was asked.</summary>
        public GetHandlingFiguresResponse HandlingFigures { get; set; } = new();

        public System.Collections.Concurrent.ConcurrentQueue<GetHandlingFiguresRequest> HandlingRequests { get; } = new();

        public override Task<GetHandlingFiguresResponse> GetHandlingFigures(GetHandlingFiguresRequest request, ServerCallContext context)
        {
            RequireToken(context, this);
            HandlingRequests.Enqueue(request);
            return Task.FromResult(HandlingFigures.Clone());
        }

        /// <summary>What GetCaseTriage answers; null leaves it unimplemented, as an older server would.</summary>
        public GetCaseTriageResponse? Triage { get; set; }

        public override Task<GetCaseTriageResponse> GetCaseTriage(GetCaseTriageRequest request, ServerCallContext context)
        {
            RequireToken(context, this);
            return Triage is { } triage ? Task.FromResult(triage.Clone()) : throw new RpcException(new Status(StatusCode.Unimplemented, ""));
        }

        public override Task<GetCaseResponse> GetCase(GetCaseRequest request, ServerCallContext context)
        {
            RequireToken(context, this);
            lock (_gate)
            {
                return Files.TryGetValue(request.CaseId, out var file)
                    ? Task.FromResult(file.Clone())
                    : throw new RpcException(new Status(StatusCode.NotFound, $"case {request.CaseId}"));
            }
        }

        public override Task<ActOnCaseResponse> ActOnCase(ActOnCaseRequest request, ServerCallContext context)
        {
            RequireToken(context, this);
            lock (_gate)
            {
                ActRequests.Add(request);
            }

            var after = OnAct is { } onAct ? onAct(request) : Files[request.CaseId];
            return Task.FromResult(new ActOnCaseResponse { Case = after });
        }

        public List<UploadCaseEvidenceRequest> Uploads { get; } = [];

        /// <summary>What UploadCaseEvidence answers (a kept file), or throws; null keeps every file as a PNG.</summary>
        public Func<UploadCaseEvidenceRequest, CaseEvidenceFile>? OnUpload { get; set; }

        public override Task<UploadCaseEvidenceResponse> UploadCaseEvidence(UploadCaseEvidenceRequest request, ServerCallContext context)
        {
            RequireToken(context, this);
            lock (_gate)
            {
                Uploads.Add(request);
            }

            var id = $"e-{Uploads.Count}";
            var file = OnUpload is { } onUpload ? onUpload(request) : new CaseEvidenceFile
            {
                EvidenceId = id, FileName = request.FileName, ContentType = "image/png", SizeBytes = request.Content.Length,
                UploadedBy = "rsj-01", Reference = "附件:" + id,
            };
            return Task.FromResult(new UploadCaseEvidenceResponse { File = file });
        }

        public List<RevealRaterContactRequest> RevealRequests { get; } = [];

        public override Task<RevealRaterContactResponse> RevealRaterContact(RevealRaterContactRequest request, ServerCallContext context)
        {
            RequireToken(context, this);
            lock (_gate)
            {
                RevealRequests.Add(request);
            }

            return Task.FromResult(new RevealRaterContactResponse { Phone = "13812341234" });
        }

        public override async Task WatchCases(WatchCasesRequest request, IServerStreamWriter<CaseNotice> responseStream, ServerCallContext context)
        {
            RequireToken(context, this);
            Interlocked.Increment(ref WatchCalls);
            if (RejectWatch)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "token expired"));
            }

            await foreach (var notice in Notices.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(notice);
            }
        }
    }

    internal sealed class FakeCatalogService : CatalogService.CatalogServiceBase
    {
        public override Task<GetCatalogResponse> GetCatalog(GetCatalogRequest request, ServerCallContext context)
        {
            var response = new GetCatalogResponse { Hall = new Hall { Code = request.HallCode, Name = "槐荫区政务服务中心" } };
            response.Departments.Add(new Department { Code = "RSJ", Name = "槐荫区人力资源和社会保障局", ShortName = "区人力资源社会保障局" });
            response.Departments.Add(new Department { Code = "SPJ", Name = "槐荫区行政审批服务局", ShortName = "区行政审批服务局" });
            response.Windows.Add(new ServiceWindow { Code = "A05", Name = "社保综合窗口", DepartmentCode = "RSJ" });
            response.Windows.Add(new ServiceWindow { Code = "B02", Name = "企业开办窗口", DepartmentCode = "SPJ" });
            response.ServiceItems.Add(new ServiceItem { Code = "ITEM-YYZZ", Name = "营业执照变更登记", DepartmentCode = "SPJ" });
            return Task.FromResult(response);
        }
    }
}

using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Server.Access;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.DisclosureRequests;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Enquiries;
using ServiceHall.Server;
using ServiceHall.Server.Grpc;
using ServiceHall.Server.History;
using ServiceHall.Server.Instances;
using ServiceHall.Server.Kiosks;
using ServiceHall.Server.Live;
using ServiceHall.Server.Metrics;
using ServiceHall.Server.ProactiveDisclosure;
using OpenTelemetry.Metrics;
using ServiceHall.Server.Ratings;
using ServiceHall.Server.Relay;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Transactions;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<DistrictOptions>().BindConfiguration(DistrictOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<RatingOptions>().BindConfiguration(RatingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<CaseOptions>().BindConfiguration(CaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<EvidenceOptions>().BindConfiguration(EvidenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<CaseDeadlinePolicy>().BindConfiguration(CaseDeadlinePolicy.Section);
builder.Services.AddOptions<DisclosureOptions>().BindConfiguration(DisclosureOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<PublishingOptions>().BindConfiguration(PublishingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<DisclosureReviewOptions>().BindConfiguration(DisclosureReviewOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<DisclosureSenderOptions>().BindConfiguration(DisclosureSenderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<FleetPolicy>().BindConfiguration(FleetPolicy.Section);
builder.Services.AddOptions<FraudThresholds>().BindConfiguration(FraudThresholds.Section)
    .Validate(thresholds =>
    {
        thresholds.Validate();
        return true;
    })
    .ValidateOnStart();
builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();

var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
var keysPath = Path.GetFullPath(
    storage.KeysPath ?? Path.Combine(Path.GetDirectoryName(storage.DatabasePath) ?? ".", "keys"), builder.Environment.ContentRootPath);
var dataFolder = Path.GetDirectoryName(Path.GetFullPath(storage.DatabasePath, builder.Environment.ContentRootPath))!;
if (KeyStorage.Problems(storage, keysPath, dataFolder, builder.Environment.IsProduction()) is { Count: > 0 } keyProblems)
{
    throw new InvalidOperationException("The encryption keys are not kept safely: " + string.Join("; ", keyProblems) + " (docs/deployment.md#keys)");
}

KeyStorage.Configure(builder.Services.AddDataProtection().SetApplicationName("ServiceHall"), storage, keysPath);

if (storage.UsesPostgres)
{
    builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(storage.PostgresConnectionString!));
    builder.Services.AddSingleton<StoreDatabase, PostgresStoreDatabase>();
    // Several instances may share the database: they tell each other what changed, and one of them runs the jobs.
    builder.Services.AddSingleton<PostgresChangeRelay>();
    builder.Services.AddSingleton<IInstanceAnnouncer>(services => services.GetRequiredService<PostgresChangeRelay>());
    builder.Services.AddHostedService(services => services.GetRequiredService<PostgresChangeRelay>());
    builder.Services.AddSingleton<PostgresJobLeadership>();
    builder.Services.AddSingleton<IJobLeadership>(services => services.GetRequiredService<PostgresJobLeadership>());
    builder.Services.AddHostedService(services => services.GetRequiredService<PostgresJobLeadership>());
}
else
{
    builder.Services.AddSingleton<StoreDatabase, SqliteStoreDatabase>();
    builder.Services.AddSingleton<IInstanceAnnouncer, NoOtherInstances>();
    builder.Services.AddSingleton<IJobLeadership, SingleInstanceLeadership>();
}

builder.Services.AddStores();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DistrictClock>();
builder.Services.AddSingleton<ContactProtector>();
builder.Services.AddSingleton<CatalogSource>();
builder.Services.AddSingleton<LiveFiguresHub>();
builder.Services.AddSingleton<ChangeFeed>();
builder.Services.AddSingleton<LiveFiguresQuery>();
builder.Services.AddSingleton<HandlingFiguresQuery>();
builder.Services.AddSingleton<RatingIntake>();
builder.Services.AddSingleton<FollowUpDesk>();
builder.Services.AddSingleton(CaseCalendar.Create);
builder.Services.AddSingleton<Broadcaster<CaseChange>>();
builder.Services.AddSingleton<CaseWorkflow>();
builder.Services.AddSingleton<CaseTriage>();
builder.Services.AddOptions<DisclosureDeadlinePolicy>().BindConfiguration(DisclosureDeadlinePolicy.Section)
    .Validate(p => { p.Validate(); return true; }).ValidateOnStart();
builder.Services.AddOptions<DisclosureVolumePolicy>().BindConfiguration(DisclosureVolumePolicy.Section)
    .Validate(p => { p.Validate(); return true; }).ValidateOnStart();
builder.Services.AddSingleton(services => new DisclosureTimeLimits(
    services.GetRequiredService<CaseTimeLimits>().Calendar, services.GetRequiredService<IOptions<DisclosureDeadlinePolicy>>().Value));
builder.Services.AddSingleton<DisclosureRequestDesk>();
builder.Services.AddOptions<ProactiveDisclosureOptions>().BindConfiguration(ProactiveDisclosureOptions.Section);
builder.Services.AddSingleton<PublishedDocumentDesk>();
builder.Services.AddOptions<EnquiryDeadlinePolicy>().BindConfiguration(EnquiryDeadlinePolicy.Section)
    .Validate(p => { p.Validate(); return true; }).ValidateOnStart();
builder.Services.AddSingleton(services => new EnquiryTimeLimits(
    services.GetRequiredService<CaseTimeLimits>().Calendar, services.GetRequiredService<IOptions<EnquiryDeadlinePolicy>>().Value));
builder.Services.AddSingleton<IAnswerNotifier, LoggingAnswerNotifier>();
builder.Services.AddSingleton<EnquiryDesk>();
builder.Services.AddSingleton<IPasswordHasher<StaffAccount>, PasswordHasher<StaffAccount>>();
builder.Services.AddSingleton<SourceThrottle>();
builder.Services.AddSingleton<StaffSignIn>();
builder.Services.AddSingleton<AccountAdministration>();
builder.Services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<StreamLimits>();
builder.Services.AddSingleton<StreamGuard>();
builder.Services.AddSingleton<KioskRegistry>();
builder.Services.AddSingleton<IndicatorQuery>();
builder.Services.AddSingleton<Broadcaster<ServiceTransaction>>();
builder.Services.AddSingleton<TransactionDesk>();
builder.Services.AddSingleton<PublicationBuilder>();
builder.Services.AddSingleton(services => new PublicationSchedule(
    services.GetRequiredService<CaseTimeLimits>().Calendar,
    services.GetRequiredService<IOptions<PublishingOptions>>().Value.LateRatingWorkingDays,
    services.GetRequiredService<CaseTimeLimits>().Policy.RectificationWorkingDays));
builder.Services.AddSingleton<DisclosurePublisher>();
builder.Services.AddSingleton<DisclosureReview>();
builder.Services.AddSingleton<RatingHistory>();
builder.Services.AddHostedService<DisclosureJob>();
builder.Services.AddHostedService<OverdueCaseJob>();
builder.Services.AddHostedService<DisclosureRequestJob>();
builder.Services.AddHostedService<EnquiryJob>();
builder.Services.AddSingleton<FraudScan>();
builder.Services.AddSingleton<RatingReviewDesk>();
builder.Services.AddHostedService<FraudScanJob>();

// The upload to the provincial 好差评 platform (docs/provincial-relay.md): off until ProvincialRelay:Endpoint is set.
builder.Services.AddOptions<ProvincialRelayOptions>().BindConfiguration(ProvincialRelayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
// The sender holds its client for the server's lifetime: connections are renewed every few minutes so a changed address of
// the province's host is followed. Each try's timeout is the relay's own (ProvincialRelayOptions.RequestTimeoutSeconds).
builder.Services.AddHttpClient<ProvinceClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
// The client's own log writes four lines per request; the relay logs its failures and the metrics count the rest.
builder.Logging.AddFilter("System.Net.Http.HttpClient.ProvinceClient", LogLevel.Warning);
builder.Services.AddSingleton<ProvincialRelayJob>();
builder.Services.AddHostedService(services => services.GetRequiredService<ProvincialRelayJob>());
builder.Services.AddSingleton<ProvincialRelayDesk>();

// Metrics for Prometheus on the HTTP endpoint (/metrics): counts and durations only (docs/deployment.md#metrics).
builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<ServerMetrics>();
builder.Services.AddHostedService<CaseCountJob>();
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(ServerMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
    .AddPrometheusExporter());

// Who may call which RPC: each gRPC method declares a policy or [AllowAnonymous] (Access/CallerPolicies.cs).
builder.Services.AddCallerPolicies();
builder.Services.AddGrpc(options => options.Interceptors.Add<DomainExceptionInterceptor>())
    // The case service receives evidence files (one per call): its messages may be as large as one file allows.
    .AddServiceOptions<CaseGrpcService>(options => options.MaxReceiveMessageSize =
        builder.Configuration.GetSection(EvidenceOptions.Section).Get<EvidenceOptions>()?.MaxReceiveMessageBytes
        ?? new EvidenceOptions().MaxReceiveMessageBytes);
// gRPC's handler log writes a stack trace for every refused or undecodable call; the interceptor and ClientErrorLog log
// those instead (server faults with their trace, client errors as a rate-limited line).
builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.None);
builder.Services.AddSingleton<ClientErrorLog>();
builder.Services.AddOptions<ClientErrorLogOptions>().BindConfiguration(ClientErrorLogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks();

if (AdminCommand.IsInvoked(args))
{
    // A command prints its answer (e.g. a kiosk credential) on stdout; its logs go to stderr so they never mix in.
    builder.Logging.ClearProviders().AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
}

var app = builder.Build();

if (AdminCommand.IsInvoked(args))
{
    return await AdminCommand.RunAsync(app.Services, args);
}

await app.Services.GetRequiredService<CatalogSource>().LoadAsync(app.Lifetime.ApplicationStopping);
if (app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.SeedDemoDistrict
    && await app.Services.GetRequiredService<ICatalogStore>().IsDemoStoreAsync(app.Lifetime.ApplicationStopping))
{
    // The demo district's 主动公开 documents, into a demo store only (docs/rules/active-disclosure.md#demo-data).
    await app.Services.GetRequiredService<PublishedDocumentDesk>().SeedDemoAsync(app.Lifetime.ApplicationStopping);
}

app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<UndecodableRequests>();

app.MapGrpcService<CatalogGrpcService>();
app.MapGrpcService<RatingGrpcService>();
app.MapGrpcService<RatingReviewGrpcService>();
app.MapGrpcService<LiveFiguresGrpcService>();
app.MapGrpcService<AccountGrpcService>();
app.MapGrpcService<CaseGrpcService>();
app.MapGrpcService<KioskFleetGrpcService>();
app.MapGrpcService<KioskGrpcService>();
app.MapGrpcService<TransactionGrpcService>();
app.MapGrpcService<DisclosureGrpcService>();
app.MapGrpcService<ProvincialRelayGrpcService>();
app.MapGrpcService<DisclosureRequestGrpcService>();
app.MapGrpcService<PublishedDocumentGrpcService>();
app.MapGrpcService<QuestionGrpcService>();
app.MapGrpcReflectionService().AllowAnonymous();
app.MapGrpcHealthChecksService().AllowAnonymous();
app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
OpenData.Map(app);

await app.RunAsync();
return 0;

/// <summary>Marks the server's assembly for tests (WebApplicationFactory).</summary>
public sealed partial class Program;

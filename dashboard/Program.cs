using Microsoft.Extensions.Options;
using ServiceHall.Dashboard;
using ServiceHall.Dashboard.Components;
using ServiceHall.Dashboard.Services;
using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Dashboard.Services.Disclosures;
using ServiceHall.Protos.V1;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<DashboardOptions>()
    .BindConfiguration(DashboardOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();

builder.Services.AddSingleton(TimeProvider.System);
// The waits between attempts to reach the server, for the live figures and the console's case stream.
var reconnect = DashboardReconnect.Defaults with { };
builder.Configuration.GetSection(ReconnectOptions.SectionName).Bind(reconnect);
builder.Services.AddSingleton(reconnect);
AddServerClient<LiveFiguresService.LiveFiguresServiceClient>(builder.Services);
AddServerClient<AccountService.AccountServiceClient>(builder.Services);
AddServerClient<CaseService.CaseServiceClient>(builder.Services);
AddServerClient<KioskFleetService.KioskFleetServiceClient>(builder.Services);
AddServerClient<RatingReviewService.RatingReviewServiceClient>(builder.Services);
AddServerClient<CatalogService.CatalogServiceClient>(builder.Services);
AddServerClient<DisclosureService.DisclosureServiceClient>(builder.Services);
AddServerClient<ProvincialRelayService.ProvincialRelayServiceClient>(builder.Services);
AddServerClient<DisclosureRequestService.DisclosureRequestServiceClient>(builder.Services);
AddServerClient<PublishedDocumentService.PublishedDocumentServiceClient>(builder.Services);
AddServerClient<QuestionService.QuestionServiceClient>(builder.Services);
builder.Services.AddSingleton<LiveFiguresFeed>();
builder.Services.AddHostedService(services => services.GetRequiredService<LiveFiguresFeed>());
builder.Services.AddSingleton<HandlingFiguresFeed>();

// The manager console: one session and one case stream per circuit (a browser tab); the hall's departments for all.
builder.Services.AddScoped<IConsoleSessionStore, BrowserConsoleSessionStore>();
builder.Services.AddScoped<ConsoleSession>();
builder.Services.AddScoped<StaffSignIn>();
builder.Services.AddScoped<CaseClient>();
builder.Services.AddScoped<FleetClient>();
builder.Services.AddScoped<StatisticsClient>();
builder.Services.AddScoped<RelayClient>();
builder.Services.AddScoped<DisclosureReviewClient>();
builder.Services.AddScoped<ReviewClient>();
builder.Services.AddScoped<DisclosureRequestClient>();
builder.Services.AddScoped<PublishedDocumentClient>();
builder.Services.AddScoped<EnquiryClient>();
builder.Services.AddScoped<AccountClient>();
builder.Services.AddScoped<CaseWatch>();
builder.Services.AddSingleton<HallDirectory>();

// The public disclosures (定期公开): read on demand, no sign-in.
builder.Services.AddSingleton<DisclosureClient>();
builder.Services.AddSingleton<PublishedAnnualReportClient>();
builder.Services.AddSingleton<PublishedOutcomes>();

builder.Services.AddFrontendComponents();

var app = builder.Build();
// The hall screen and the disclosures draw charts (SecurityHeaders.ContentSecurityPolicyWithCharts says why that differs).
app.MapFrontend<App>(SecurityHeaders.ContentSecurityPolicyWithCharts);
app.Run();

static void AddServerClient<TClient>(IServiceCollection services)
    where TClient : class =>
    services
        .AddGrpcClient<TClient>((provider, client) =>
            client.Address = new Uri(provider.GetRequiredService<IOptions<DashboardOptions>>().Value.ServerAddress))
        // Long-lived streams (live figures, the console's case notices): keep-alive pings notice a silently dead
        // connection (a server host that vanished) instead of showing stale data as live.
        // On https the server's certificate is verified (ServerTrust), against the district's own authority if one is named.
        .ConfigurePrimaryHttpMessageHandler(provider => ServerTrust.Apply(
            new SocketsHttpHandler
            {
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                EnableMultipleHttp2Connections = true,
            },
            provider.GetRequiredService<IOptions<DashboardOptions>>().Value.ServerCaCertificate));

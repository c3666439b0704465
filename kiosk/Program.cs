using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using ServiceHall.Kiosk;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Components;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Resources;
using ServiceHall.Kiosk.Published;
using ServiceHall.Kiosk.Services;
using ServiceHall.Protos.V1;

var builder = WebApplication.CreateBuilder(args);

// appsettings.json names the kiosk's usual address; an explicit ASPNETCORE_URLS (as a test or a service unit sets it)
// must win over that file, which by default it would not. --urls on the command line wins anyway.
if (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } urls
    && !args.Any(a => a.StartsWith("--urls", StringComparison.OrdinalIgnoreCase)))
{
    builder.WebHost.UseUrls(urls);
}

builder.Services.AddOptions<KioskOptions>()
    .BindConfiguration(KioskOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => KioskPaths.Resolve(
    sp.GetRequiredService<IOptions<KioskOptions>>().Value, builder.Environment.ContentRootPath));
builder.Services.AddSingleton(sp => new Outbox(
    sp.GetRequiredService<KioskPaths>().OutboxDatabase, sp.GetRequiredService<TimeProvider>()));

// One HTTP/2 channel to the server (h2c on plain http, TLS on https, the server's certificate verified: ServerTrust). Connecting gives up quickly so a server that is away
// costs the outbox a short back-off, never a hang.
builder.Services.AddSingleton(sp => GrpcChannel.ForAddress(
    sp.GetRequiredService<IOptions<KioskOptions>>().Value.ServerAddress,
    new GrpcChannelOptions
    {
        HttpHandler = ServerTrust.Apply(
            new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                EnableMultipleHttp2Connections = true,
            },
            sp.GetRequiredService<IOptions<KioskOptions>>().Value.ServerCaCertificate),
        LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
    }));
builder.Services.AddSingleton(sp => new CatalogService.CatalogServiceClient(sp.GetRequiredService<GrpcChannel>()));
builder.Services.AddSingleton(sp => new PublishedDocumentService.PublishedDocumentServiceClient(sp.GetRequiredService<GrpcChannel>()));
builder.Services.AddSingleton<PublishedDocumentClient>();
// Ratings and heartbeats go with this kiosk's enrollment credential; the server refuses them without it.
builder.Services.AddKeyedSingleton<CallInvoker>("enrolled", (sp, _) => sp.GetRequiredService<GrpcChannel>().Intercept(metadata =>
{
    metadata.Add("authorization", "Bearer " + sp.GetRequiredService<IOptions<KioskOptions>>().Value.Credential);
    return metadata;
}));
builder.Services.AddSingleton(sp => new RatingService.RatingServiceClient(sp.GetRequiredKeyedService<CallInvoker>("enrolled")));
builder.Services.AddSingleton(sp => new KioskService.KioskServiceClient(sp.GetRequiredKeyedService<CallInvoker>("enrolled")));
builder.Services.AddSingleton<ServiceHallClient>();
builder.Services.AddSingleton(sp => new TransactionService.TransactionServiceClient(sp.GetRequiredKeyedService<CallInvoker>("enrolled")));
builder.Services.AddSingleton<TransactionClient>();
builder.Services.AddSingleton(sp => new DisclosureRequestService.DisclosureRequestServiceClient(sp.GetRequiredKeyedService<CallInvoker>("enrolled")));
builder.Services.AddSingleton<DisclosureRequestClient>();
builder.Services.AddSingleton(sp => new QuestionService.QuestionServiceClient(sp.GetRequiredKeyedService<CallInvoker>("enrolled")));
builder.Services.AddSingleton<EnquiryClient>();

// The waits between attempts to reach the server, for the outbox, the 未评价 reports and a pad's window stream.
var reconnect = new ReconnectOptions();
builder.Configuration.GetSection(ReconnectOptions.SectionName).Bind(reconnect);
builder.Services.AddSingleton(reconnect);
builder.Services.AddSingleton<MaintenanceLock>();
builder.Services.AddSingleton<CatalogCache>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CatalogCache>());
builder.Services.AddSingleton<PublishedDocumentCache>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PublishedDocumentCache>());
builder.Services.AddSingleton<OutboxSender>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
builder.Services.AddHostedService<HeartbeatSender>();
// 依申请公开: requests handed in on the screen go out from the outbox like ratings; the intake terms are kept like the catalog.
builder.Services.AddSingleton<DisclosureIntakeTerms>();
builder.Services.AddSingleton<DisclosureRequestSender>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DisclosureRequestSender>());
// 一次一评 on a window pad: the pad's flow (the transaction on offer and its timeout), the window's stream, and the durable
// 未评价 reports.
builder.Services.AddSingleton<WindowPad>();
builder.Services.AddHostedService<NotRatedSender>();
if (builder.Configuration.GetSection(KioskOptions.SectionName).Get<KioskOptions>()?.IsWindowPad == true)
{
    builder.Services.AddHostedService<WindowWatcher>();
}

// One rating session per browser circuit (the kiosk's one screen), with the citizen's own choices: 关怀版, language
// (per circuit, never the process-wide culture), voice prompts.
builder.Services.AddScoped<KioskSessionPreferences>();
builder.Services.AddScoped<RatingSession>();
builder.Services.AddLocalization();
builder.Services.AddScoped<KioskText>();
builder.Services.AddScoped<KioskVoice>();

builder.Services.AddFrontendComponents();

var app = builder.Build();
app.MapFrontend<App>();
app.Run();

using Microsoft.Extensions.Options;
using ServiceHall.Dashboard;
using ServiceHall.Dashboard.Components;
using ServiceHall.Dashboard.Services;
using ServiceHall.Protos.V1;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<DashboardOptions>()
    .BindConfiguration(DashboardOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services
    .AddGrpcClient<LiveFiguresService.LiveFiguresServiceClient>((services, client) =>
        client.Address = new Uri(services.GetRequiredService<IOptions<DashboardOptions>>().Value.ServerAddress))
    // One long-lived stream: keep-alive pings notice a silently dead connection (a server host that vanished)
    // instead of showing stale figures as live.
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
    {
        KeepAlivePingDelay = TimeSpan.FromSeconds(20),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        EnableMultipleHttp2Connections = true,
    });
builder.Services.AddSingleton<LiveFiguresFeed>();
builder.Services.AddHostedService(services => services.GetRequiredService<LiveFiguresFeed>());

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

// Served on plain http inside the hall network or behind a reverse proxy: no HTTPS redirection or HSTS here.
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

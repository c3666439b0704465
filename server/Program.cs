using Microsoft.AspNetCore.DataProtection;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Grpc;
using ServiceHall.Server.Live;
using ServiceHall.Server.Ratings;
using ServiceHall.Server.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<DistrictOptions>().BindConfiguration(DistrictOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<RatingOptions>().BindConfiguration(RatingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<CaseOptions>().BindConfiguration(CaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<CaseDeadlinePolicy>().BindConfiguration(CaseDeadlinePolicy.Section);
builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();

var dataDirectory = Path.GetDirectoryName(Path.GetFullPath(
    builder.Configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.DatabasePath)}"] ?? new StorageOptions().DatabasePath,
    builder.Environment.ContentRootPath))!;
builder.Services.AddDataProtection()
    .SetApplicationName("ServiceHall")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DistrictClock>();
builder.Services.AddSingleton<ContactProtector>();
builder.Services.AddSingleton<IServiceHallStore, SqliteServiceHallStore>();
builder.Services.AddSingleton<CatalogSource>();
builder.Services.AddSingleton<LiveFiguresHub>();
builder.Services.AddSingleton<LiveFiguresQuery>();
builder.Services.AddSingleton<RatingIntake>();
builder.Services.AddSingleton(CaseCalendar.Create);
builder.Services.AddSingleton<CaseHub>();
builder.Services.AddSingleton<CaseWorkflow>();
builder.Services.AddSingleton<StaffSignIn>();
builder.Services.AddHostedService<OverdueCaseJob>();

builder.Services.AddGrpc(options => options.Interceptors.Add<DomainExceptionInterceptor>());
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks();

var app = builder.Build();

if (AccountCommand.IsInvoked(args))
{
    return await AccountCommand.RunAsync(app.Services, args);
}

await app.Services.GetRequiredService<CatalogSource>().LoadAsync(app.Lifetime.ApplicationStopping);

app.MapGrpcService<CatalogGrpcService>();
app.MapGrpcService<RatingGrpcService>();
app.MapGrpcService<LiveFiguresGrpcService>();
app.MapGrpcService<AccountGrpcService>();
app.MapGrpcService<CaseGrpcService>();
app.MapGrpcReflectionService();
app.MapGrpcHealthChecksService();
app.MapGet("/healthz", () => Results.Text("ok"));

await app.RunAsync();
return 0;

/// <summary>Marks the server's assembly for tests (WebApplicationFactory).</summary>
public sealed partial class Program;

using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Playwright;
using ServiceHall.Protos.V1;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// The whole system on loopback: server (h2c gRPC + HTTP/1), one kiosk and the dashboard as real processes, each
/// with its own data in a temporary folder, and one headless Chromium shared by the tests of the collection.
/// </summary>
public sealed class ServiceHallSystem : IAsyncLifetime
{
    public const string HallCode = "370104-ZWZX";

    /// <summary>The password of the fixture's console accounts "manager" and "handler".</summary>
    public const string StaffPassword = "e2e staff password";

    private readonly string _data = Directory.CreateTempSubdirectory("servicehall-e2e-").FullName;
    private readonly List<AppProcess> _apps = [];
    private IPlaywright? _playwright;

    public Uri ServerGrpc { get; } = Loopback(AppProcess.FreePort());

    public Uri ServerWeb { get; } = Loopback(AppProcess.FreePort());

    public Uri Kiosk { get; } = Loopback(AppProcess.FreePort());

    public Uri Dashboard { get; } = Loopback(AppProcess.FreePort());

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the fixture's kiosk keeps its outbox and cached catalog and published documents.</summary>
    public string KioskDataDirectory => Path.Combine(_data, "kiosk");

    public string DatabasePath => Path.Combine(_data, "server", "servicehall.db");

    /// <summary>Screenshots go to artifacts/screenshots at the repository root (ignored by git) to be looked at.</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppProcess.RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    /// <summary>The kiosk's credential, for a test that speaks the kiosk's contract itself.</summary>
    public string KioskCredential { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var server = new Dictionary<string, string>(ProductionServer.Settings(_data))
        {
            ["Kestrel__Endpoints__Grpc__Url"] = ServerGrpc.ToString(),
            ["Kestrel__Endpoints__Web__Url"] = ServerWeb.ToString(),
            ["Storage__DatabasePath"] = DatabasePath,
        };
        // Past months of ratings, as ./run.sh makes for the demo: a district publishes only periods from its first rating on,
        // so the disclosure pages need a history (its 差评 cases are closed and leave the case queue as it was).
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", server, "history", "generate", "--ratings", "3000", "--days", "100", "--bad-per-mille", "10");
        // And past weeks with more 差评, whose texts carry a phone number, an ID number or a name, for the disclosure
        // review: over the last 70 days, so the latest month whose figures are final holds several of each.
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", server, "history", "generate", "--ratings", "900", "--days", "70", "--bad-per-mille", "40");
        _apps.Add(await AppProcess.StartAsync("ServiceHall.Server", server, new Uri(ServerWeb, "healthz")));
        // As a district's IT staff would: enroll the kiosk on the server, give it the credential, and create the
        // console accounts of a hall manager and of a handler of 区行政审批服务局 (window A01's department).
        var credential = await AppProcess.RunCommandAsync(
            "ServiceHall.Server", server, "kiosks", "enroll", "--device", "kiosk-e2e", "--hall", HallCode);
        KioskCredential = credential;
        var withPassword = new Dictionary<string, string>(server) { ["SERVICEHALL_PASSWORD"] = StaffPassword };
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", withPassword, "accounts", "add", "--user", "manager", "--name", "王主任", "--role", "hall-manager",
            "--hall", HallCode);
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", withPassword, "accounts", "add", "--user", "handler", "--name", "李经办",
            "--role", "department-handler", "--department", "XZSP");
        // The district's 政务公开 officer, who approves every disclosure, and a district supervisor, who drafts corrections.
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", withPassword, "accounts", "add", "--user", "officer", "--name", "赵公开",
            "--role", "disclosure-officer", "--district");
        // A second officer: a 主动公开 document is approved by an officer other than the one who submitted it.
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", withPassword, "accounts", "add", "--user", "officer2", "--name", "孙公开",
            "--role", "disclosure-officer", "--district");
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", withPassword, "accounts", "add", "--user", "supervisor", "--name", "钱督办",
            "--role", "supervisor", "--district");
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", withPassword, "accounts", "add", "--user", "moderator", "--name", "赵审核", "--role", "moderator");
        _apps.Add(await AppProcess.StartAsync("ServiceHall.Kiosk", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Kiosk.ToString(),
            ["Urls"] = Kiosk.ToString(),
            ["Kiosk__ServerAddress"] = ServerGrpc.ToString(),
            ["Kiosk__HallCode"] = HallCode,
            ["Kiosk__DeviceId"] = "kiosk-e2e",
            ["Kiosk__Credential"] = credential,
            ["Kiosk__DataDirectory"] = Path.Combine(_data, "kiosk"),
        }, Kiosk));
        _apps.Add(await AppProcess.StartAsync("ServiceHall.Dashboard", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Dashboard.ToString(),
            ["Urls"] = Dashboard.ToString(),
            ["Dashboard__ServerAddress"] = ServerGrpc.ToString(),
            ["Dashboard__HallCode"] = HallCode,
            // The disclosure pages link their JSON and CSV downloads to the server's open-data endpoint.
            ["Dashboard__OpenDataBaseUrl"] = ServerWeb.ToString(),
        }, Dashboard));

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A gRPC client of the server for a signed-in account of the fixture.</summary>
    public async Task<CallInvoker> SignedInAsync(string user)
    {
        var channel = GrpcChannel.ForAddress(ServerGrpc);
        var token = (await new AccountService.AccountServiceClient(channel)
            .SignInAsync(new SignInRequest { UserName = user, Password = StaffPassword })).AccessToken;
        return channel.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        });
    }

    /// <summary>
    /// As the 政务公开 officer would: approves every draft as it stands (the job drafts the closed periods at start), so
    /// the public pages have something to show. Waits until there is something published.
    /// </summary>
    public async Task ApproveDraftsAsync()
    {
        var disclosure = new DisclosureService.DisclosureServiceClient(await SignedInAsync("officer"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var draft in (await disclosure.ListDraftsAsync(new ListDraftsRequest())).Drafts)
            {
                await disclosure.ApproveDraftAsync(new ApproveDraftRequest { PeriodKey = draft.PeriodKey, Version = draft.Version, Revision = draft.Revision });
            }

            if ((await disclosure.ListPublicationsAsync(new ListPublicationsRequest())).Publications.Count > 0 || DateTime.UtcNow > deadline)
            {
                return;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>What the apps printed lately, to explain a failure.</summary>
    public string Logs => string.Join("\n\n", _apps.Select(a => $"== {a.Name} ==\n{a.RecentOutput}"));

    /// <summary>Reads the server's database file directly: what was really stored.</summary>
    public long CountStored(string whereClause) => StoredData.Scalar(DatabasePath, "SELECT COUNT(*) FROM ratings WHERE " + whereClause);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            // Bounded: a browser that does not answer its close is ended with the driver below.
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _playwright?.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}/");
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<ServiceHallSystem>
{
    public const string Name = "ServiceHall system";
}

using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.ProvinceStub;
using ServiceHall.Server.Tests.Grpc;

namespace ServiceHall.Server.Tests.Relay;

/// <summary>The province stub on a free loopback port, in this process.</summary>
public sealed class ProvinceStubServer : IAsyncDisposable
{
    public const string Secret = "test-shared-secret-of-at-least-32-characters";

    private readonly WebApplication _app;

    private ProvinceStubServer(WebApplication app, ProvinceStubState state)
    {
        _app = app;
        State = state;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Endpoint = address.TrimEnd('/') + ProvinceStubApp.UploadPath;
    }

    public ProvinceStubState State { get; }

    /// <summary>The upload address to point a relay at.</summary>
    public string Endpoint { get; }

    public static async Task<ProvinceStubServer> StartAsync(string secret = Secret)
    {
        var state = new ProvinceStubState();
        var app = ProvinceStubApp.Build(
            ["--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0", $"--ProvinceStub:SharedSecret={secret}", "--ProvinceStub:RegionCode=370104",
                "--Logging:LogLevel:Default=Warning"],
            state);
        await app.StartAsync();
        return new ProvinceStubServer(app, state);
    }

    public void Fail(StubFault fault, bool everyOther = false, int delayMs = 0) => State.Control = new StubControl(fault, everyOther, delayMs);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A server whose relay sends to the stub, quickly: small batches, short polls, short backoff.</summary>
public class RelayServer : ServerFactory
{
    private readonly string? _endpoint;
    private readonly string _secret;

    public RelayServer(string? endpoint, string secret = ProvinceStubServer.Secret)
    {
        _endpoint = endpoint;
        _secret = secret;
    }

    /// <summary>A server on a data folder the caller owns (to start another server on the same store).</summary>
    internal RelayServer(DirectoryInfo directory, string? endpoint, string secret = ProvinceStubServer.Secret)
        : base(directory.FullName, ownsDirectory: false)
    {
        _endpoint = endpoint;
        _secret = secret;
    }

    public const int BatchSize = 4;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Settings(_endpoint, _secret))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The relay settings, as configuration keys (for an in-process server or a process's environment).</summary>
    public static IEnumerable<(string Key, string Value)> Settings(string? endpoint, string secret = ProvinceStubServer.Secret) =>
        endpoint is null
            ? []
            :
            [
                ("ProvincialRelay:Endpoint", endpoint), ("ProvincialRelay:SharedSecret", secret),
                ("ProvincialRelay:BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("ProvincialRelay:PollMilliseconds", "50"), ("ProvincialRelay:RetryDelayMilliseconds", "20"),
                ("ProvincialRelay:MaxRetryDelaySeconds", "1"), ("ProvincialRelay:RequestTimeoutSeconds", "2"),
            ];

    /// <summary>Items waiting for the province, read from the database.</summary>
    public long Pending => Scalar("SELECT COUNT(*) FROM provincial_uploads WHERE delivered_at_ms IS NULL AND refused = 0");

    /// <summary>Every queued item's key and document, read from the database: the server's side of 同源发布.</summary>
    public IReadOnlyDictionary<string, string> Queued => ReadQueue(DatabasePath, PostgresConnectionString);

    public static IReadOnlyDictionary<string, string> ReadQueue(string databasePath, string? postgres)
    {
        var rows = new Dictionary<string, string>();
        foreach (var (key, document) in TestStore.Rows(databasePath, postgres, "SELECT upload_key, document FROM provincial_uploads"))
        {
            rows.Add(key, document);
        }

        return rows;
    }

    /// <summary>Waits (bounded) until nothing waits for the province.</summary>
    public async Task DrainedAsync(TimeSpan? within = null)
    {
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (Pending > 0)
        {
            Assert.True(DateTime.UtcNow < until, $"the relay did not drain: {Pending} items still wait");
            await Task.Delay(50);
        }
    }
}

public static class StubAssert
{
    /// <summary>
    /// The province holds exactly what the server queued, each item once and as the server stored it, and refused nothing.
    /// </summary>
    public static void HoldsExactly(IReadOnlyDictionary<string, string> queued, ProvinceStubState province)
    {
        Assert.Equal(queued.Keys.Order(), province.Items.Keys.Order());
        foreach (var (key, document) in queued)
        {
            Assert.Equal(Normalise(document), Normalise(province.Items[key]));
        }
    }

    private static string Normalise(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    public static JsonElement Item(ProvinceStubState province, string key) => JsonDocument.Parse(province.Items[key]).RootElement;
}

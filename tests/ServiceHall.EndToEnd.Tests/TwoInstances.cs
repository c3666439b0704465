using Google.Protobuf.WellKnownTypes;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Npgsql;
using ServiceHall.Protos.V1;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// Two server processes on one fresh PostgreSQL database, as a city runs them: started together (they migrate and seed
/// once between them), sharing the folder of contact-encryption keys, with one kiosk enrolled. Needs the cluster that
/// SERVICEHALL_TEST_POSTGRES names (`.ci/postgres` starts one; `./test.sh` does that).
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public const string HallCode = ServiceHallSystem.HallCode;

    private readonly string _data = Directory.CreateTempSubdirectory("servicehall-two-").FullName;
    private readonly string _database = "servicehall_e2e_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<AppProcess> _apps = [];

    public string ConnectionString { get; private set; } = null!;

    public Instance A { get; private set; } = null!;

    public Instance B { get; private set; } = null!;

    public string KioskCredential { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var admin = System.Environment.GetEnvironmentVariable("SERVICEHALL_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("SERVICEHALL_TEST_POSTGRES is not set: run `./test.sh`, or start a cluster with `.ci/postgres`");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = _database }.ConnectionString;
        // Past months of ratings: disclosures are drafted only for periods from the first rating on, so the scheduled
        // publication job has periods to draft. Before the instances' ports are chosen: the command's own database
        // connections take ephemeral ports, which could be the ones chosen.
        await AppProcess.RunCommandAsync(
            "ServiceHall.Server", EnvironmentOf(new Instance("seed", 1, 2)), "history", "generate", "--ratings", "300", "--days", "100");
        var a = new Instance("A", AppProcess.FreePort(), AppProcess.FreePort());
        var b = new Instance("B", AppProcess.FreePort(), AppProcess.FreePort());
        var started = await Task.WhenAll(
            AppProcess.StartAsync("ServiceHall.Server", EnvironmentOf(a), new Uri(a.Web, "healthz")),
            AppProcess.StartAsync("ServiceHall.Server", EnvironmentOf(b), new Uri(b.Web, "healthz")));
        _apps.AddRange(started);
        A = a with { Process = started[0] };
        B = b with { Process = started[1] };
        KioskCredential = await AppProcess.RunCommandAsync(
            "ServiceHall.Server", EnvironmentOf(a), "kiosks", "enroll", "--device", "kiosk-two", "--hall", HallCode);
    }

    public Dictionary<string, string> EnvironmentOf(Instance instance) => new(ProductionServer.Settings(_data))
    {
        ["Kestrel__Endpoints__Grpc__Url"] = instance.Grpc.ToString(),
        ["Kestrel__Endpoints__Web__Url"] = instance.Web.ToString(),
        ["Storage__PostgresConnectionString"] = ConnectionString,
        ["Storage__DatabasePath"] = Path.Combine(_data, instance.Name, "unused.db"),
    };

    public RatingService.RatingServiceClient RatingClient(Instance instance) =>
        new(GrpcChannel.ForAddress(instance.Grpc).CreateCallInvoker().Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + KioskCredential);
            return metadata;
        }));

    /// <summary>A valid rating of window A01 made a moment ago; 差评 carry a reason tag.</summary>
    public static RatingSubmission Rating(Protos.V1.RatingLevel level = Protos.V1.RatingLevel.VerySatisfied)
    {
        var rating = new RatingSubmission
        {
            RatingId = Guid.CreateVersion7().ToString(),
            HallCode = HallCode,
            WindowCode = "A01",
            Channel = RatingChannel.HallTerminal,
            Level = level,
            RatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-1)),
            DeviceId = "kiosk-two",
        };
        if (level is Protos.V1.RatingLevel.Dissatisfied or Protos.V1.RatingLevel.VeryDissatisfied)
        {
            rating.Text = "等候时间太长";
        }

        return rating;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What the instances printed lately, to explain a failure.</summary>
    public string Logs => string.Join("\n\n", _apps.Select(a => $"== {a.Name} ==\n{a.RecentOutput}"));

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        var admin = System.Environment.GetEnvironmentVariable("SERVICEHALL_TEST_POSTGRES");
        if (admin is { Length: > 0 })
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
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
}

/// <summary>One server instance: its name in messages, its two addresses, and its process once started.</summary>
public sealed record Instance(string Name, int GrpcPort, int WebPort, AppProcess? Process = null)
{
    public Uri Grpc => new($"http://127.0.0.1:{GrpcPort}/");

    public Uri Web => new($"http://127.0.0.1:{WebPort}/");

    public AppProcess App => Process ?? throw new InvalidOperationException($"instance {Name} is not started");
}

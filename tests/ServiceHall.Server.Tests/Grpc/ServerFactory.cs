using Google.Protobuf.WellKnownTypes;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using DeviceKind = ServiceHall.Server.Domain.DeviceKind;
using ServiceHall.Server.Kiosks;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// The real server on a real database, seeded with the demo district: a SQLite file in a temporary folder, or a fresh
/// PostgreSQL database when the tests run on PostgreSQL (<see cref="TestStore"/>).
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    public const string HallCode = "370104-ZWZX";

    private readonly string _directory;
    private readonly bool _ownsDirectory;

    public ServerFactory()
        : this(Directory.CreateTempSubdirectory("servicehall-test-").FullName, ownsDirectory: true)
    {
    }

    /// <summary>A server on a data folder the caller owns, e.g. to start a second server on the same file.</summary>
    internal ServerFactory(string directory, bool ownsDirectory)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        PostgresConnectionString = TestStore.IsPostgres ? TestStore.CreatePostgresDatabase(TestStore.DatabaseNameFor(directory)) : null;
    }

    /// <summary>The PostgreSQL database the server stores in, or null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    public string DatabasePath => Path.Combine(_directory, "servicehall.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DatabasePath", DatabasePath);
        if (PostgresConnectionString is not null)
        {
            builder.UseSetting("Storage:PostgresConnectionString", PostgresConnectionString);
        }
    }

    public GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    private string? _kioskCredential;

    /// <summary>A rating client of an enrolled kiosk of the demo hall ("kiosk-test").</summary>
    public RatingService.RatingServiceClient CreateRatingClient() =>
        CreateRatingClient(_kioskCredential ??= EnrollKiosk("kiosk-test", HallCode));

    /// <summary>A rating client presenting the given kiosk credential (none when null).</summary>
    public RatingService.RatingServiceClient CreateRatingClient(string? credential) => new(credential is null
        ? CreateChannel().CreateCallInvoker()
        : CreateChannel().Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + credential);
            return metadata;
        }));

    /// <summary>Enrolls a device (a hall terminal unless told) and answers its credential.</summary>
    public string EnrollKiosk(string deviceId, string hallCode, DeviceKind kind = DeviceKind.HallTerminal, string? windowCode = null) =>
        Services.GetRequiredService<KioskRegistry>().EnrollAsync(deviceId, hallCode, kind, windowCode, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>A valid good rating of window A01 in the demo hall, made a moment ago.</summary>
    public static RatingSubmission GoodRating() => new()
    {
        RatingId = Guid.CreateVersion7().ToString(),
        HallCode = HallCode,
        WindowCode = "A01",
        Channel = RatingChannel.HallTerminal,
        Level = RatingLevel.VerySatisfied,
        RatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-2)),
        DeviceId = "kiosk-test",
    };

    /// <summary>Reads the database directly: what was really stored, not what an RPC says.</summary>
    public long Scalar(string sql, params (string Name, object Value)[] parameters) =>
        TestStore.Scalar(DatabasePath, PostgresConnectionString, sql, parameters);

    public long CountRatings(string ratingId) =>
        Scalar("SELECT COUNT(*) FROM ratings WHERE id = @id", ("id", ratingId));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (!_ownsDirectory)
        {
            return;
        }

        if (PostgresConnectionString is not null)
        {
            TestStore.DropPostgresDatabase(TestStore.DatabaseNameFor(_directory));
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on this platform: the temp folder is cleaned by the OS.
        }
    }
}

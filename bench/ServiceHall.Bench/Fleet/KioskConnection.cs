using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using ServiceHall.Protos.V1;

namespace ServiceHall.Bench.Fleet;

/// <summary>An enrolled kiosk: the device id, its hall, and the credential the server printed at enrollment.</summary>
internal sealed record KioskIdentity(string DeviceId, string HallCode, string Credential);

/// <summary>
/// One kiosk's own HTTP/2 connection to a server, sending its credential with every call exactly as the kiosk app does
/// ("authorization: Bearer …", see kiosk/Program.cs).
/// </summary>
internal sealed class KioskConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public KioskConnection(Uri server, KioskIdentity identity)
    {
        Identity = identity;
        _channel = OpenChannel(server);
        Ratings = new RatingService.RatingServiceClient(_channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + identity.Credential);
            return metadata;
        }));
    }

    public KioskIdentity Identity { get; }

    public RatingService.RatingServiceClient Ratings { get; }

    /// <summary>A channel like the kiosk's: h2c, kept open, more connections when one is full of streams.</summary>
    public static GrpcChannel OpenChannel(Uri server) => GrpcChannel.ForAddress(server, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
        },
    });

    public static IReadOnlyList<KioskConnection> OpenAll(Uri server, IEnumerable<KioskIdentity> kiosks) =>
        kiosks.Select(k => new KioskConnection(server, k)).ToList();

    public void Dispose() => _channel.Dispose();
}

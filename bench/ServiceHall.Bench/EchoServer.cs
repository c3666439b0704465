using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceHall.Protos.V1;

namespace ServiceHall.Bench;

/// <summary>
/// The ceiling: the real server's SubmitRatings RPC, hosted in this process on an HTTP/2-only loopback port (h2c), that
/// answers STORED for every rating without checking, storing or authenticating anything. What it reaches is what gRPC and
/// the message sizes allow on this machine before the server does any work.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<EchoServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<StoredForEveryRating>();
        await app.StartAsync(cancellationToken);
        // Port 0: Kestrel picks a free port, and the started app's addresses say which.
        var address = app.Urls.Single();
        return new EchoServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed class StoredForEveryRating : RatingService.RatingServiceBase
    {
        public override Task<SubmitRatingsResponse> SubmitRatings(SubmitRatingsRequest request, ServerCallContext context)
        {
            var response = new SubmitRatingsResponse();
            foreach (var rating in request.Ratings)
            {
                response.Results.Add(new RatingResult { RatingId = rating.RatingId, Outcome = RatingOutcome.Stored });
            }

            return Task.FromResult(response);
        }
    }
}

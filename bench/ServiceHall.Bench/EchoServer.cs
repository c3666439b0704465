using System.Diagnostics;
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
/// The ceiling: the real server's SubmitRatings RPC on an HTTP/2-only loopback port (h2c), answering STORED for every
/// rating without checking, storing or authenticating anything. It runs as a child process (this executable with
/// <c>--echo-server</c>), like the real server, so the bench's callers and the server do not share one runtime and one
/// garbage collector, and it runs with the real server's runtime settings (Server GC, tiered PGO on). What it reaches is
/// what gRPC and the message sizes allow on this machine before the server does any work.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    public const string ServeFlag = "--echo-server";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;

    private EchoServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the child process and waits for the address it listens on.</summary>
    public static async Task<EchoServer> StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(EchoServer).Assembly.Location);
        start.ArgumentList.Add(ServeFlag);
        // The bench turns tiered PGO off for its own short-lived callers (see the .csproj); the server keeps the default.
        start.Environment["DOTNET_TieredPGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the echo server did not start");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var address = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (address is null || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                throw new InvalidOperationException($"the echo server did not say its address:\n{await process.StandardError.ReadToEndAsync(cancellationToken)}");
            }

            return new EchoServer(process, uri);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The child's side: serves until its standard input closes (the bench ends it that way, or by exiting).</summary>
    public static async Task<int> ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        await using var app = builder.Build();
        app.MapGrpcService<StoredForEveryRating>();
        await app.StartAsync();
        // Port 0: Kestrel picks a free port, and the started app's addresses say which.
        await Console.Out.WriteLineAsync(app.Urls.Single());
        await Console.Out.FlushAsync();
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
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

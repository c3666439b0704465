using System.Net;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceHall.Dashboard.Services;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests;

/// <summary>The feed against a tiny fake of the server's stream, over real h2c on a loopback port.</summary>
public sealed class LiveFiguresFeedTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly FakeLiveFiguresService _fake = new();
    private WebApplication? _server;
    private GrpcChannel? _channel;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_fake);
        _server = builder.Build();
        _server.MapGrpcService<FakeLiveFiguresService>();
        await _server.StartAsync();
        var address = _server.Urls.Single();
        _channel = GrpcChannel.ForAddress(address);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private LiveFiguresFeed CreateFeed(string hallCode = "370104-ZWZX") => new(
        new LiveFiguresService.LiveFiguresServiceClient(_channel!),
        Options.Create(new DashboardOptions { HallCode = hallCode }),
        TimeProvider.System,
        NullLogger<LiveFiguresFeed>.Instance);

    private static async Task<LiveFeedSnapshot> NextAsync(ChannelReader<LiveFeedSnapshot> updates, Func<LiveFeedSnapshot, bool> until)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            var snapshot = await updates.ReadAsync(timeout.Token);
            if (until(snapshot))
            {
                return snapshot;
            }
        }
    }

    [Fact]
    public async Task ExecuteAsync_ServerSendsFigures_PublishesThemToSubscribers()
    {
        _fake.Script.Enqueue(new StreamScript([TestFigures.Typical()], EndStream: false));
        using var feed = CreateFeed();
        var updates = Channel.CreateUnbounded<LiveFeedSnapshot>();
        using var subscription = feed.Subscribe(s => updates.Writer.TryWrite(s));

        await feed.StartAsync(CancellationToken.None);
        var snapshot = await NextAsync(updates.Reader, s => s.Figures is not null);
        await feed.StopAsync(CancellationToken.None);

        Assert.Equal(FeedConnection.Connected, snapshot.Connection);
        Assert.Equal(13, snapshot.Figures!.RatingCount);
        Assert.Equal("370104-ZWZX", _fake.RequestedHalls.Single());
    }

    [Fact]
    public async Task ExecuteAsync_StreamEnds_ReportsReconnectingThenReconnectsAndGetsNewFigures()
    {
        _fake.Script.Enqueue(new StreamScript([TestFigures.Typical()], EndStream: true));
        _fake.Script.Enqueue(new StreamScript([TestFigures.Message([20, 0, 0, 0, 0])], EndStream: false));
        using var feed = CreateFeed();
        var updates = Channel.CreateUnbounded<LiveFeedSnapshot>();
        using var subscription = feed.Subscribe(s => updates.Writer.TryWrite(s));

        await feed.StartAsync(CancellationToken.None);
        var dropped = await NextAsync(updates.Reader, s => s.Connection == FeedConnection.Reconnecting);
        var back = await NextAsync(updates.Reader, s => s.Connection == FeedConnection.Connected);
        await feed.StopAsync(CancellationToken.None);

        Assert.Equal(13, dropped.Figures!.RatingCount); // the last figures stay on screen meanwhile
        Assert.Equal(20, back.Figures!.RatingCount);
        Assert.Equal(2, _fake.RequestedHalls.Count);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownHall_ReportsHallNotFound()
    {
        using var feed = CreateFeed("999999-NONE");
        var updates = Channel.CreateUnbounded<LiveFeedSnapshot>();
        using var subscription = feed.Subscribe(s => updates.Writer.TryWrite(s));

        await feed.StartAsync(CancellationToken.None);
        var snapshot = await NextAsync(updates.Reader, s => s.Connection == FeedConnection.HallNotFound);
        await feed.StopAsync(CancellationToken.None);

        Assert.Null(snapshot.Figures);
        Assert.Equal("999999-NONE", snapshot.HallCode);
    }

    /// <summary>What the fake sends on one call: these messages, then either end the stream or hold it open.</summary>
    internal sealed record StreamScript(IReadOnlyList<LiveFigures> Messages, bool EndStream);

    internal sealed class FakeLiveFiguresService : LiveFiguresService.LiveFiguresServiceBase
    {
        public Queue<StreamScript> Script { get; } = new();

        public List<string> RequestedHalls { get; } = [];

        public override async Task WatchLiveFigures(WatchLiveFiguresRequest request, IServerStreamWriter<LiveFigures> responseStream, ServerCallContext context)
        {
            StreamScript? script;
            lock (Script)
            {
                RequestedHalls.Add(request.HallCode);
                if (request.HallCode != "370104-ZWZX")
                {
                    throw new RpcException(new Status(StatusCode.NotFound, $"hall {request.HallCode}"));
                }

                Script.TryDequeue(out script);
            }

            foreach (var message in script?.Messages ?? [])
            {
                await responseStream.WriteAsync(message);
            }

            if (script is { EndStream: false })
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

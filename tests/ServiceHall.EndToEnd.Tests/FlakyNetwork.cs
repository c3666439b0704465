using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// An h2c proxy between a kiosk and the server that spoils every other gRPC call: one is cut before it reaches the
/// server, the next reaches the server but its answer is cut on the way back — the worst case for a sender, which must
/// then retry something the server already stored.
/// </summary>
public sealed class FlakyNetwork : IAsyncDisposable
{
    private readonly WebApplication _proxy;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler()) { DefaultRequestVersion = HttpVersion.Version20 };
    private int _calls;

    private FlakyNetwork(WebApplication proxy, Uri address)
    {
        _proxy = proxy;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Calls forwarded, cut before the server, and cut after the server answered.</summary>
    public (int Forwarded, int CutBefore, int CutAfter) Tally => (_forwarded, _cutBefore, _cutAfter);

    private int _forwarded;
    private int _cutBefore;
    private int _cutAfter;

    public static async Task<FlakyNetwork> StartAsync(Uri server)
    {
        var port = AppProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var network = new FlakyNetwork(app, new Uri($"http://127.0.0.1:{port}/"));
        app.Run(context => network.ForwardAsync(context, server));
        await app.StartAsync();
        return network;
    }

    private async Task ForwardAsync(HttpContext context, Uri server)
    {
        var call = Interlocked.Increment(ref _calls);
        // Calls 2, 6, 10, … never reach the server; calls 4, 8, 12, … reach it and lose the answer.
        if (call % 4 == 2)
        {
            Interlocked.Increment(ref _cutBefore);
            context.Abort();
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(server, context.Request.Path + context.Request.QueryString))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StreamContent(context.Request.Body),
        };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.StartsWith(':') || name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (call % 4 == 0)
        {
            Interlocked.Increment(ref _cutAfter);
            context.Abort();
            return;
        }

        Interlocked.Increment(ref _forwarded);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
        foreach (var (name, values) in response.TrailingHeaders)
        {
            context.Response.AppendTrailer(name, values.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.StopAsync();
        await _proxy.DisposeAsync();
        _upstream.Dispose();
    }
}

using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Kiosks;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// A refusal by the policies, sent by Kestrel over real h2c as a native client receives it: the gRPC status and its
/// words, not "Bad gRPC response. HTTP status code: 401".
/// </summary>
public sealed class RefusalOverHttp2Tests(RefusalOverHttp2Tests.KestrelServer server) : IClassFixture<RefusalOverHttp2Tests.KestrelServer>
{
    public sealed class KestrelServer : ServerFactory
    {
        public KestrelServer()
        {
            UseKestrel();
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Free ports, both speaking h2c, so whichever address is taken a native gRPC client can call it.
            builder.UseSetting("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0");
            builder.UseSetting("Kestrel:Endpoints:Web:Url", "http://127.0.0.1:0");
            builder.UseSetting("Kestrel:Endpoints:Web:Protocols", "Http2");
        }

        public KioskService.KioskServiceClient Kiosk(string? credential)
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var channel = GrpcChannel.ForAddress(address);
            return new(credential is null
                ? channel.CreateCallInvoker()
                : channel.Intercept(m =>
                {
                    m.Add("authorization", "Bearer " + credential);
                    return m;
                }));
        }
    }

    [Fact]
    public async Task NoCredential_UnauthenticatedWithTheReason()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => server.Kiosk(null).ReportHeartbeatAsync(new ReportHeartbeatRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("设备凭证", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokedKiosk_PermissionDeniedWithTheReason()
    {
        var credential = await server.Services.GetRequiredService<KioskRegistry>()
            .EnrollAsync("kiosk-h2", ServerFactory.HallCode, ServiceHall.Server.Domain.DeviceKind.HallTerminal, null, CancellationToken.None);
        var kiosk = server.Kiosk(credential);
        await kiosk.ReportHeartbeatAsync(new ReportHeartbeatRequest { Version = "1" });

        await server.Services.GetRequiredService<KioskRegistry>().RevokeAsync("kiosk-h2", CancellationToken.None);
        var e = await Assert.ThrowsAsync<RpcException>(() => kiosk.ReportHeartbeatAsync(new ReportHeartbeatRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("设备 kiosk-h2 已停用", e.Status.Detail);
    }
}

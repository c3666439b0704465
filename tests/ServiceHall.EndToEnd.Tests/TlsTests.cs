using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// Across a network the three talk TLS: the server, the kiosk and the dashboard each take a certificate from configuration
/// (Kestrel's certificate settings, a path and a password), and the kiosk and the dashboard verify the server's against
/// the district's own certificate authority, which this test makes.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private const string CertificatePassword = "test certificate password";

    private readonly string _data = Directory.CreateTempSubdirectory("servicehall-tls-").FullName;
    private readonly List<AppProcess> _apps = [];
    private X509Certificate2 _authority = null!;
    private HttpClient _browser = null!;

    public Task InitializeAsync()
    {
        var (authority, server) = TestAuthority.Create();
        _authority = authority;
        File.WriteAllText(Path.Combine(_data, "ca.pem"), authority.ExportCertificatePem());
        File.WriteAllBytes(Path.Combine(_data, "servicehall.pfx"), server.Export(X509ContentType.Pfx, CertificatePassword));
        // What a browser on the district's network does: trusts the district's authority, verifies every certificate.
        _browser = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestAuthority.Verifies(_authority, certificate, errors) },
        }) { Timeout = TimeSpan.FromSeconds(5) };
        return Task.CompletedTask;
    }

    [Fact]
    public async Task KioskAndDashboard_ReachTheServerOverTls_VerifyingItsCertificate()
    {
        var grpc = new Uri($"https://127.0.0.1:{AppProcess.FreePort()}");
        var web = new Uri($"http://127.0.0.1:{AppProcess.FreePort()}");
        var kiosk = new Uri($"https://127.0.0.1:{AppProcess.FreePort()}");
        var dashboard = new Uri($"https://127.0.0.1:{AppProcess.FreePort()}");
        var database = Path.Combine(_data, "server", "servicehall.db");
        var server = WithCertificate("Grpc", new Dictionary<string, string>(ProductionServer.Settings(_data))
        {
            ["Kestrel__Endpoints__Grpc__Url"] = grpc.ToString(),
            ["Kestrel__Endpoints__Web__Url"] = web.ToString(),
            ["Storage__DatabasePath"] = database,
        });
        _apps.Add(await AppProcess.StartAsync("ServiceHall.Server", server, new Uri(web, "healthz")));
        var credential = await AppProcess.RunCommandAsync(
            "ServiceHall.Server", server, "kiosks", "enroll", "--device", "kiosk-tls", "--hall", ServiceHallSystem.HallCode);

        _apps.Add(await AppProcess.StartAsync("ServiceHall.Kiosk", WithCertificate("Https", new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Https__Url"] = kiosk.ToString(),
            ["Kiosk__ServerAddress"] = grpc.ToString(),
            ["Kiosk__ServerCaCertificate"] = Path.Combine(_data, "ca.pem"),
            ["Kiosk__HallCode"] = ServiceHallSystem.HallCode,
            ["Kiosk__DeviceId"] = "kiosk-tls",
            ["Kiosk__Credential"] = credential,
            ["Kiosk__DataDirectory"] = Path.Combine(_data, "kiosk"),
        }), kiosk, _browser));
        _apps.Add(await AppProcess.StartAsync("ServiceHall.Dashboard", WithCertificate("Https", new Dictionary<string, string>
        {
            ["Kestrel__Endpoints__Https__Url"] = dashboard.ToString(),
            ["Dashboard__ServerAddress"] = grpc.ToString(),
            ["Dashboard__ServerCaCertificate"] = Path.Combine(_data, "ca.pem"),
            ["Dashboard__HallCode"] = ServiceHallSystem.HallCode,
        }), dashboard, _browser));

        // The kiosk's first heartbeat reached the server, with its credential, over TLS.
        Assert.True(await EventuallyAsync(() => Task.FromResult(HeartbeatStored(database, "kiosk-tls"))),
            "the kiosk's heartbeat never reached the server over TLS:\n" + string.Join('\n', _apps.Select(a => a.RecentOutput)));
        // The dashboard's live figures stream came over TLS: the hall screen shows the hall's name from the server.
        Assert.True(await EventuallyAsync(async () => WebUtility.HtmlDecode(await _browser.GetStringAsync(dashboard)).Contains("槐荫区政务服务中心", StringComparison.Ordinal)),
            "the dashboard never showed the server's live figures over TLS:\n" + _apps[^1].RecentOutput);
        // And nothing answers in the clear on the TLS ports.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new UriBuilder(kiosk) { Scheme = "http" }.Uri));
    }

    /// <summary>Kestrel's own certificate settings for one endpoint: the certificate file and its password.</summary>
    private Dictionary<string, string> WithCertificate(string endpoint, Dictionary<string, string> environment)
    {
        environment[$"Kestrel__Endpoints__{endpoint}__Certificate__Path"] = Path.Combine(_data, "servicehall.pfx");
        environment[$"Kestrel__Endpoints__{endpoint}__Certificate__Password"] = CertificatePassword;
        return environment;
    }

    private static bool HeartbeatStored(string database, string device)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM kiosks WHERE device_id = $device AND heartbeat IS NOT NULL";
        command.Parameters.AddWithValue("$device", device);
        return (long)command.ExecuteScalar()! == 1;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SqliteException)
            {
                // Not there yet.
            }

            await Task.Delay(250);
        }

        return false;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _browser.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}

/// <summary>A district's own certificate authority and a server certificate it issued for 127.0.0.1 and localhost.</summary>
internal static class TestAuthority
{
    public static (X509Certificate2 Authority, X509Certificate2 Server) Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=槐荫区 ServiceHall test CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var authority = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var issued = serverRequest.Create(authority, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        return (authority, issued.CopyWithPrivateKey(serverKey));
    }

    /// <summary>Full verification against the authority alone: chain, dates, and the host name (SslPolicyErrors).</summary>
    public static bool Verifies(X509Certificate2 authority, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 presented)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}

using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ServiceHall.Kiosk.Tests;

/// <summary>
/// The kiosk and the dashboard verify the server's certificate; naming a district's authority adds that authority as the
/// only extra root and relaxes nothing else.
/// </summary>
public sealed class ServerTrustTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void ACertificateOfTheDistrictsAuthority_IsTrusted()
    {
        var (authority, key) = Authority("CN=district CA");
        using var server = Issue(authority, key, Now.AddDays(7));

        Assert.True(ServerTrust.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, authority, []));
    }

    [Fact]
    public void ACertificateOfAnotherAuthority_IsRefused()
    {
        var (district, _) = Authority("CN=district CA");
        var (other, otherKey) = Authority("CN=someone else's CA");
        using var server = Issue(other, otherKey, Now.AddDays(7));

        Assert.False(ServerTrust.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, district, []));
    }

    [Fact]
    public void AnExpiredCertificateOfTheDistrictsAuthority_IsRefused()
    {
        var (authority, key) = Authority("CN=district CA");
        using var server = Issue(authority, key, Now.AddMinutes(-5), Now.AddDays(-2));

        Assert.False(ServerTrust.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, authority, []));
    }

    [Theory]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable)]
    public void AWrongHostNameOrNoCertificate_IsRefused_EvenFromTheDistrictsAuthority(SslPolicyErrors errors)
    {
        var (authority, key) = Authority("CN=district CA");
        using var server = Issue(authority, key, Now.AddDays(7));

        Assert.False(ServerTrust.IsTrusted(server, errors, authority, []));
        Assert.False(ServerTrust.IsTrusted(null, errors, authority, []));
    }

    private static (X509Certificate2 Certificate, ECDsa Key) Authority(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(Now.AddDays(-10), Now.AddDays(30)), key);
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, ECDsa authorityKey, DateTimeOffset notAfter, DateTimeOffset? notBefore = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=servicehall.district.example", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("servicehall.district.example");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var generator = X509SignatureGenerator.CreateForECDsa(authorityKey);
        return request.Create(authority.SubjectName, generator, notBefore ?? Now.AddHours(-1), notAfter, RandomNumberGenerator.GetBytes(16));
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ServiceHall.Frontend;

/// <summary>
/// How the kiosk and the dashboard verify the server's certificate on an https address. By default the machine's trust
/// store decides, as for any TLS client. A district with its own certificate authority names that authority's certificate
/// (a PEM or DER file): the server's certificate must then chain to it — and still match the host name and be in date.
/// Validation is never switched off (docs/deployment.md#tls).
/// </summary>
public static class ServerTrust
{
    /// <summary>Sets <paramref name="handler"/> to trust the machine's store, or only <paramref name="caCertificatePath"/> when given.</summary>
    public static SocketsHttpHandler Apply(SocketsHttpHandler handler, string? caCertificatePath)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (string.IsNullOrWhiteSpace(caCertificatePath))
        {
            return handler;
        }

        var authority = X509CertificateLoader.LoadCertificateFromFile(caCertificatePath);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, sent, errors) => IsTrusted(
            certificate as X509Certificate2, errors, authority, sent?.ChainElements.Select(e => e.Certificate) ?? []);
        return handler;
    }

    /// <summary>
    /// A certificate is trusted when the platform found nothing wrong, or when its only fault was an unknown root and it
    /// chains to <paramref name="authority"/>. A wrong host name or a missing certificate is never accepted.
    /// </summary>
    public static bool IsTrusted(
        X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2 authority, IEnumerable<X509Certificate2> intermediates)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        // A private authority publishes no revocation list the kiosk could reach; expiry and the chain are still checked.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// What the server needs to start in Production besides its addresses and store (docs/deployment.md#keys): a key folder
/// outside its data folder and a certificate that encrypts the keys at rest — and, for these tests, the demo district
/// seeded into a new store, as ./run.sh does. One certificate is made per test run.
/// </summary>
public static class ProductionServer
{
    private const string CertificatePassword = "e2e keys certificate password";

    private static readonly Lazy<string> KeysCertificate = new(MakeKeysCertificate);

    /// <summary>The settings for a server whose data lies in a folder below <paramref name="folder"/>; its keys go to folder/keys.</summary>
    public static Dictionary<string, string> Settings(string folder) => new()
    {
        ["Storage__KeysPath"] = Path.Combine(folder, "keys"),
        ["Storage__KeysCertificatePath"] = KeysCertificate.Value,
        ["Storage__KeysCertificatePassword"] = CertificatePassword,
        ["Storage__SeedDemoDistrict"] = "true",
    };

    private static string MakeKeysCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ServiceHall e2e keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(Directory.CreateTempSubdirectory("servicehall-e2e-keys-").FullName, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }
}

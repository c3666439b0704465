using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// The keys that open raters' phone numbers are kept apart from the data and protected at rest in Production: the server
/// refuses to start otherwise, and with a certificate configured no key is written in the clear.
/// </summary>
public sealed class KeyStorageTests : IDisposable
{
    private const string Password = "key certificate password";

    private readonly string _apart = Directory.CreateTempSubdirectory("servicehall-keys-").FullName;

    public void Dispose() => Directory.Delete(_apart, recursive: true);

    [Fact]
    public void Production_KeysInsideTheDataFolder_ServerRefusesToStart()
    {
        using var server = new ProductionServer(keysInside: true, WriteCertificate());

        var refusal = Assert.ThrowsAny<Exception>(() => server.Services);

        Assert.Contains("inside the data folder", refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_KeysWithoutACertificate_ServerRefusesToStart()
    {
        using var server = new ProductionServer(keysInside: false, certificatePath: null, keysPath: Path.Combine(_apart, "keys"));

        var refusal = Assert.ThrowsAny<Exception>(() => server.Services);

        Assert.Contains("Storage:KeysCertificatePath", refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_KeysUnnamed_Refused_ButADemoOrTestMayKeepThemBesideTheDatabase()
    {
        var unnamed = new StorageOptions { KeysCertificatePath = "/etc/servicehall/keys.pfx" };

        Assert.Contains(KeyStorage.Problems(unnamed, "/srv/data/keys", "/srv/data", production: true), p => p.Contains("KeysPath", StringComparison.Ordinal));
        Assert.Empty(KeyStorage.Problems(new StorageOptions(), "/srv/data/keys", "/srv/data", production: false));
        Assert.Empty(KeyStorage.Problems(
            new StorageOptions { KeysPath = "/srv/keys", KeysCertificatePath = "/etc/servicehall/keys.pfx" }, "/srv/keys", "/srv/data", production: true));
        // A sibling whose name merely starts like the data folder is outside it.
        Assert.Empty(KeyStorage.Problems(
            new StorageOptions { KeysPath = "/srv/data-keys", KeysCertificatePath = "/etc/servicehall/keys.pfx" }, "/srv/data-keys", "/srv/data", production: true));
    }

    [Fact]
    public void Production_KeysApartWithACertificate_KeysEncryptedAtRest_AndNumbersStillOpen()
    {
        var keys = Path.Combine(_apart, "keys");
        var certificate = WriteCertificate();
        string cipher;
        using (var first = new ProductionServer(keysInside: false, certificate, keys))
        {
            cipher = first.Services.GetRequiredService<ContactProtector>().Protect("13598765432");
        }

        // Another start reads the key from its file and decrypts it with the certificate.
        using var server = new ProductionServer(keysInside: false, certificate, keys);
        Assert.Equal("13598765432", server.Services.GetRequiredService<ContactProtector>().Unprotect(cipher));
        var files = Directory.GetFiles(keys, "key-*.xml");
        Assert.NotEmpty(files);
        Assert.All(files, file =>
        {
            var xml = File.ReadAllText(file);
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
        });
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        }
    }

    private string WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ServiceHall key protection", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_apart, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }

    /// <summary>The server as a district runs it: the Production environment, with the given key settings.</summary>
    private sealed class ProductionServer(bool keysInside, string? certificatePath, string? keysPath = null) : ServerFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            // appsettings.Production.json seeds nothing; this test is about the keys, not the catalog.
            builder.UseSetting("Storage:SeedDemoDistrict", "true");
            builder.UseSetting("Storage:KeysPath", keysInside ? Path.Combine(Path.GetDirectoryName(DatabasePath)!, "keys") : keysPath);
            if (certificatePath is not null)
            {
                builder.UseSetting("Storage:KeysCertificatePath", certificatePath);
                builder.UseSetting("Storage:KeysCertificatePassword", Password);
            }
        }
    }
}

/// <summary>What losing the keys costs: the numbers they encrypted, and nothing else.</summary>
public sealed class LostKeyTests
{
    [Fact]
    public void ANumberWhoseKeyIsGone_CannotBeRead_AndSaysSoInsteadOfFailing()
    {
        var before = new ContactProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        var afterTheLoss = new ContactProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        var cipher = before.Protect("13598765432");

        Assert.Equal("13598765432", before.TryUnprotect(cipher));
        Assert.Null(afterTheLoss.TryUnprotect(cipher));
    }
}

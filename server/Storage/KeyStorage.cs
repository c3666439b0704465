using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Where the Data Protection keys that encrypt raters' phone numbers are kept and how they are protected at rest
/// (docs/deployment.md#keys). In Production the key folder must be named, lie outside the data folder (a copy of the
/// database, or of the data folder, must not carry the keys that open it), and the keys must be encrypted with a
/// certificate; the server refuses to start otherwise. Elsewhere (a demo, a test) the keys may sit beside the database.
/// </summary>
public static class KeyStorage
{
    /// <summary>What is wrong with the key settings (checked in Production only); empty when they may be used.</summary>
    public static IReadOnlyList<string> Problems(StorageOptions storage, string keysPath, string dataFolder, bool production)
    {
        if (!production)
        {
            return [];
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(storage.KeysPath))
        {
            problems.Add("Storage:KeysPath must name the key folder in Production (outside the data folder)");
        }
        else if (IsWithin(keysPath, dataFolder))
        {
            problems.Add($"Storage:KeysPath ({keysPath}) lies inside the data folder ({dataFolder}): keep the keys apart from the data they open");
        }

        if (string.IsNullOrWhiteSpace(storage.KeysCertificatePath) && string.IsNullOrWhiteSpace(storage.KeysCertificateThumbprint))
        {
            problems.Add("Storage:KeysCertificatePath (with KeysCertificatePassword) or Storage:KeysCertificateThumbprint must name the certificate that protects the keys at rest in Production");
        }

        return problems;
    }

    /// <summary>Persists the keys to <paramref name="keysPath"/> (a folder only its owner may open), encrypted with the configured certificate if any.</summary>
    public static void Configure(IDataProtectionBuilder builder, StorageOptions storage, string keysPath)
    {
        if (!Directory.Exists(keysPath))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(keysPath);
            }
            else
            {
                Directory.CreateDirectory(keysPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        builder.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        if (Certificate(storage) is { } certificate)
        {
            builder.ProtectKeysWithCertificate(certificate);
            // Keys written under an earlier certificate stay readable while it is listed here (certificate renewal).
            var earlier = storage.KeysPreviousCertificatePaths.Select(path => X509CertificateLoader.LoadPkcs12FromFile(
                path, storage.KeysCertificatePassword, X509KeyStorageFlags.EphemeralKeySet)).ToArray();
            if (earlier.Length > 0)
            {
                builder.UnprotectKeysWithAnyCertificate([certificate, .. earlier]);
            }
        }
    }

    private static X509Certificate2? Certificate(StorageOptions storage)
    {
        if (!string.IsNullOrWhiteSpace(storage.KeysCertificatePath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(
                storage.KeysCertificatePath, storage.KeysCertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }

        if (string.IsNullOrWhiteSpace(storage.KeysCertificateThumbprint))
        {
            return null;
        }

        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly);
        return store.Certificates.Find(X509FindType.FindByThumbprint, storage.KeysCertificateThumbprint, validOnly: false)
            .OfType<X509Certificate2>().FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"Storage:KeysCertificateThumbprint {storage.KeysCertificateThumbprint} is not in the current user's certificate store");
    }

    private static bool IsWithin(string path, string folder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + Path.DirectorySeparatorChar;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}

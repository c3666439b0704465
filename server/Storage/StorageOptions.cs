using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Server.Storage;

/// <summary>Where the server keeps its data. Section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file; relative paths are taken from the content root. Created on first start.</summary>
    [Required]
    public string DatabasePath { get; set; } = ".data/servicehall.db";

    /// <summary>
    /// A PostgreSQL connection string (Npgsql form). When set, the server stores everything in that database instead
    /// of the SQLite file, and several server instances may share it.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// Where the keys that encrypt raters' contact data are kept; default "keys" beside the SQLite file. Every instance on
    /// one PostgreSQL database must see the same keys (a shared folder). Keep them out of the database: the database
    /// alone must never reveal who rated.
    /// </summary>
    public string? KeysPath { get; set; }

    /// <summary>
    /// A PFX file whose certificate encrypts the keys at rest (with <see cref="KeysCertificatePassword"/>). Required in
    /// Production, unless <see cref="KeysCertificateThumbprint"/> names one in the certificate store.
    /// </summary>
    public string? KeysCertificatePath { get; set; }

    public string? KeysCertificatePassword { get; set; }

    /// <summary>The thumbprint of a certificate in the current user's personal store that encrypts the keys at rest.</summary>
    public string? KeysCertificateThumbprint { get; set; }

    /// <summary>
    /// Earlier key certificates (PFX files, same password), kept after a renewal so keys they encrypted can still be read.
    /// </summary>
    public List<string> KeysPreviousCertificatePaths { get; set; } = [];

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>Seed the 槐荫区 demo district when the store holds no catalog.</summary>
    public bool SeedDemoDistrict { get; set; } = true;
}

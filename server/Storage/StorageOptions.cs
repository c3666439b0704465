using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Server.Storage;

/// <summary>Where the server keeps its data. Section "Storage".</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file; relative paths are taken from the content root. Created on first start.</summary>
    [Required]
    public string DatabasePath { get; set; } = ".data/servicehall.db";

    /// <summary>Seed the 槐荫区 demo district when the store holds no catalog.</summary>
    public bool SeedDemoDistrict { get; set; } = true;
}

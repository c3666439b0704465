using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Holds the district catalog in memory: every rating is checked against it, so it is read once at start
/// rather than on every call.
/// </summary>
public sealed class CatalogSource(StoreSchema schema, ICatalogStore store, IOptions<StorageOptions> options, ILogger<CatalogSource> logger)
{
    private DistrictCatalog? _current;

    public DistrictCatalog Current => _current ?? throw new InvalidOperationException("the catalog is not loaded yet");

    /// <summary>The hall a request names; InvalidInput if none is named, NotFound if it does not exist.</summary>
    public Hall FindHall(string hallCode)
    {
        if (string.IsNullOrEmpty(hallCode))
        {
            throw new InvalidInputException("hall_code", "不能为空");
        }

        return Current.FindHall(hallCode) ?? throw new NotFoundException($"未知的大厅 {hallCode}", "hall", hallCode);
    }

    /// <summary>Creates the schema, seeds the demo district into an empty store if configured, and loads the catalog.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await schema.InitializeAsync(cancellationToken);
        var catalog = await store.LoadCatalogAsync(cancellationToken);
        if (catalog is null && options.Value.SeedDemoDistrict)
        {
            await store.SaveCatalogAsync(DemoDistrict.Load(), demoStore: true, cancellationToken);
            catalog = await store.LoadCatalogAsync(cancellationToken);
            logger.LogInformation("Empty store seeded with the demo district {RegionCode}", catalog!.RegionCode);
        }

        _current = catalog ?? throw new InvalidOperationException(
            "the store holds no catalog and Storage:SeedDemoDistrict is off; import the district's catalog first (catalog import --file)");
        logger.LogInformation(
            "Catalog loaded: {HallCount} halls, {ItemCount} service items, reason tags {TagVersion}",
            _current.Halls.Count(), _current.ServiceItems.Count(), _current.ReasonTags.Version);
    }
}

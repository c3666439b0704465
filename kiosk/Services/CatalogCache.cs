using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// Keeps this hall's catalog: loaded from the server at start and every few minutes, saved to catalog.json so a
/// kiosk that starts while the server is away still shows its windows and items. Components read
/// <see cref="Current"/> and listen to <see cref="Changed"/>.
/// </summary>
public sealed class CatalogCache(
    ServiceHallClient client,
    IOptions<KioskOptions> options,
    KioskPaths paths,
    TimeProvider timeProvider,
    ILogger<CatalogCache> logger) : BackgroundService
{
    private const int FileFormat = 1;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly TimeSpan RetryWhenEmpty = TimeSpan.FromSeconds(5);

    private volatile CatalogSnapshot? _current;

    /// <summary>The catalog shown now; null only until the first load from the server or from the saved file.</summary>
    public CatalogSnapshot? Current => _current;

    /// <summary>Raised (on a background thread) whenever <see cref="Current"/> changes.</summary>
    public event Action? Changed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadSavedAsync(stoppingToken);
        var refresh = TimeSpan.FromMinutes(options.Value.CatalogRefreshMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            var fetched = await RefreshAsync(stoppingToken);
            // Without any catalog the kiosk can do nothing useful: ask again soon rather than in minutes.
            var wait = fetched || _current is not null ? refresh : RetryWhenEmpty;
            try
            {
                await Task.Delay(wait, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Fetches the catalog from the server and saves it; false (and the old catalog kept) if that fails.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        HallCatalog catalog;
        try
        {
            catalog = await client.GetCatalogAsync(options.Value.HallCode, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Loading the catalog of hall {HallCode} from {Server} failed: {Error}",
                options.Value.HallCode, options.Value.ServerAddress, ex.Message);
            return false;
        }
        var snapshot = new CatalogSnapshot(catalog, timeProvider.GetUtcNow(), CatalogSource.Server);
        Publish(snapshot);
        await SaveAsync(snapshot, cancellationToken);
        return true;
    }

    /// <summary>Reads catalog.json if it exists and nothing newer is loaded yet.</summary>
    public async Task LoadSavedAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(paths.CatalogFile))
        {
            return;
        }
        try
        {
            await using var stream = File.OpenRead(paths.CatalogFile);
            var saved = await JsonSerializer.DeserializeAsync<SavedCatalog>(stream, Json, cancellationToken);
            if (saved is not { Format: FileFormat } || saved.Catalog.Hall.Code != options.Value.HallCode)
            {
                logger.LogWarning("Ignoring {File}: it is of another format or another hall", paths.CatalogFile);
                return;
            }
            if (_current is null)
            {
                Publish(new CatalogSnapshot(saved.Catalog, saved.FetchedAt, CatalogSource.SavedFile));
                logger.LogInformation("Using the catalog saved at {FetchedAt} until the server answers", saved.FetchedAt);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException)
        {
            logger.LogWarning("Ignoring unreadable {File}: {Error}", paths.CatalogFile, ex.Message);
        }
    }

    private void Publish(CatalogSnapshot snapshot)
    {
        _current = snapshot;
        Changed?.Invoke();
    }

    private async Task SaveAsync(CatalogSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            // Write aside and move, so a power cut never leaves half a file.
            var temporary = paths.CatalogFile + ".tmp";
            await using (var stream = File.Create(temporary))
            {
                await JsonSerializer.SerializeAsync(
                    stream, new SavedCatalog(FileFormat, snapshot.FetchedAt, snapshot.Catalog), Json, cancellationToken);
            }
            File.Move(temporary, paths.CatalogFile, overwrite: true);
        }
        catch (IOException ex)
        {
            logger.LogWarning("Saving the catalog to {File} failed: {Error}", paths.CatalogFile, ex.Message);
        }
    }

    private sealed record SavedCatalog(int Format, DateTimeOffset FetchedAt, HallCatalog Catalog);
}

public enum CatalogSource
{
    Server,
    SavedFile,
}

/// <summary>A catalog and where and when it came from (shown on the maintenance page).</summary>
public sealed record CatalogSnapshot(HallCatalog Catalog, DateTimeOffset FetchedAt, CatalogSource Source);

/// <summary>Where this kiosk keeps its files (DataDirectory resolved against the content root).</summary>
public sealed class KioskPaths
{
    public KioskPaths(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }
    public string OutboxDatabase => Path.Combine(DataDirectory, "outbox.db");
    public string CatalogFile => Path.Combine(DataDirectory, "catalog.json");
    public string DisclosureTermsFile => Path.Combine(DataDirectory, "disclosure-terms.json");

    public static KioskPaths Resolve(KioskOptions options, string contentRoot) =>
        new(Path.IsPathRooted(options.DataDirectory)
            ? options.DataDirectory
            : Path.Combine(contentRoot, options.DataDirectory));
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Published;

/// <summary>
/// Keeps the 主动公开 set like <see cref="CatalogCache"/> keeps the catalog: asked for at start and at every catalog refresh,
/// fetched again only when the server's version differs, saved to published.json so a kiosk shows it while the server is
/// away (docs/rules/active-disclosure.md#at-the-kiosk).
/// </summary>
public sealed class PublishedDocumentCache(
    PublishedDocumentClient client,
    IOptions<KioskOptions> options,
    KioskPaths paths,
    TimeProvider timeProvider,
    ILogger<PublishedDocumentCache> logger) : BackgroundService
{
    private const int FileFormat = 1;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan RetryWhenEmpty = TimeSpan.FromSeconds(5);

    private volatile PublishedSetSnapshot? _current;

    /// <summary>The set shown now; null only until the first load from the server or the saved file.</summary>
    public PublishedSetSnapshot? Current => _current;

    /// <summary>Raised (on a background thread) whenever <see cref="Current"/> changes.</summary>
    public event Action? Changed;

    private string SavedFile => Path.Combine(paths.DataDirectory, "published.json");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await LoadSavedAsync(stoppingToken);
        var refresh = TimeSpan.FromMinutes(options.Value.CatalogRefreshMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            var fetched = await RefreshAsync(stoppingToken);
            try
            {
                await Task.Delay(fetched || _current is not null ? refresh : RetryWhenEmpty, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Asks the server; false (and the set kept) if that fails. An unchanged version keeps the set and its file.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (version, documents) = await client.GetAsync(_current?.Version, cancellationToken);
            if (documents is null && _current is { } held)
            {
                if (held.FromSavedFile)
                {
                    Publish(held with { FromSavedFile = false, FetchedAt = timeProvider.GetUtcNow() });
                }

                return true;
            }

            var snapshot = new PublishedSetSnapshot(version, documents ?? [], timeProvider.GetUtcNow(), false);
            Publish(snapshot);
            await SaveAsync(snapshot, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Loading the published documents from {Server} failed: {Error}", options.Value.ServerAddress, ex.Message);
            return false;
        }
    }

    public async Task LoadSavedAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(SavedFile))
        {
            return;
        }

        try
        {
            await using var stream = File.OpenRead(SavedFile);
            var saved = await JsonSerializer.DeserializeAsync<SavedSet>(stream, Json, cancellationToken);
            if (saved is not { Format: FileFormat })
            {
                logger.LogWarning("Ignoring {File}: it is of another format", SavedFile);
                return;
            }

            if (_current is null)
            {
                Publish(new PublishedSetSnapshot(saved.Version, saved.Documents, saved.FetchedAt, true));
                logger.LogInformation("Using the published documents saved at {FetchedAt} until the server answers", saved.FetchedAt);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or NotSupportedException)
        {
            logger.LogWarning("Ignoring unreadable {File}: {Error}", SavedFile, ex.Message);
        }
    }

    private void Publish(PublishedSetSnapshot snapshot)
    {
        _current = snapshot;
        Changed?.Invoke();
    }

    private async Task SaveAsync(PublishedSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            var temporary = SavedFile + ".tmp";
            await using (var stream = File.Create(temporary))
            {
                await JsonSerializer.SerializeAsync(
                    stream, new SavedSet(FileFormat, snapshot.Version, snapshot.FetchedAt, snapshot.Documents.ToList()), Json, cancellationToken);
            }

            File.Move(temporary, SavedFile, overwrite: true);
        }
        catch (IOException ex)
        {
            logger.LogWarning("Saving the published documents to {File} failed: {Error}", SavedFile, ex.Message);
        }
    }

    private sealed record SavedSet(int Format, string Version, DateTimeOffset FetchedAt, List<PublicDocumentInfo> Documents);
}

/// <summary>Finding published documents: the same matching as service items (<see cref="TextSearch"/>).</summary>
public static class DocumentSearch
{
    public static IEnumerable<PublicDocumentInfo> Find(IEnumerable<PublicDocumentInfo> documents, string? query)
    {
        var words = TextSearch.Words(query);
        return documents.Where(d => TextSearch.Matches(words, [d.Title, d.DocumentNumber, d.IssuingBody, d.Body]));
    }
}

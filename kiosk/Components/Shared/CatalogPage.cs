using Microsoft.AspNetCore.Components;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Components.Shared;

/// <summary>A page that shows the hall's catalog and re-renders when it arrives or is refreshed.</summary>
public abstract class CatalogPage : ComponentBase, IDisposable
{
    [Inject]
    protected CatalogCache CatalogCache { get; set; } = default!;

    /// <summary>The catalog, or null while the kiosk has never reached the server and has no saved copy.</summary>
    protected HallCatalog? Catalog => CatalogCache.Current?.Catalog;

    protected override void OnInitialized() => CatalogCache.Changed += OnCatalogChanged;

    protected virtual void OnCatalogChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        CatalogCache.Changed -= OnCatalogChanged;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

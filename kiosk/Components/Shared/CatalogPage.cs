using Microsoft.AspNetCore.Components;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Components.Shared;

/// <summary>A page that shows the hall's catalog and re-renders when it arrives or is refreshed.</summary>
public abstract class CatalogPage : KioskComponent
{
    [Inject]
    protected CatalogCache CatalogCache { get; set; } = default!;

    /// <summary>The catalog, or null while the kiosk has never reached the server and has no saved copy.</summary>
    protected HallCatalog? Catalog => CatalogCache.Current?.Catalog;

    protected override void OnInitialized()
    {
        base.OnInitialized();
        CatalogCache.Changed += OnCatalogChanged;
    }

    protected virtual void OnCatalogChanged() => _ = InvokeAsync(StateHasChanged);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CatalogCache.Changed -= OnCatalogChanged;
        }
        base.Dispose(disposing);
    }
}

using Microsoft.AspNetCore.Components;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Resources;

namespace ServiceHall.Kiosk.Components.Shared;

/// <summary>
/// A component that shows text: it reads it through <see cref="KioskText"/> and renders again when the citizen
/// switches language or 关怀版, or when the session resets them.
/// </summary>
public abstract class KioskComponent : ComponentBase, IDisposable
{
    [Inject]
    protected KioskText Text { get; set; } = default!;

    [Inject]
    protected KioskSessionPreferences Preferences { get; set; } = default!;

    protected override void OnInitialized() => Preferences.Changed += OnPreferencesChanged;

    private void OnPreferencesChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Preferences.Changed -= OnPreferencesChanged;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

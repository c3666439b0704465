using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using ServiceHall.Kiosk.Published;

namespace ServiceHall.Kiosk.Components.Shared;

/// <summary>A 主动公开 page: shows the cached published set, re-renders when it changes, and knows today in district time.</summary>
public abstract class PublishedPage : KioskComponent
{
    [Inject]
    protected PublishedDocumentCache Documents { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    [Inject]
    protected IOptions<KioskOptions> KioskOptions { get; set; } = default!;

    /// <summary>The published set, or null while the kiosk has never reached the server and has no saved copy.</summary>
    protected PublishedSetSnapshot? Set => Documents.Current;

    /// <summary>Today in the district (Kiosk:TimeZone), for the days left to apply.</summary>
    protected DateOnly Today => LocalDay(Time.GetUtcNow());

    /// <summary>The district's calendar day an instant falls on, as yyyy-MM-dd (a publication or update date).</summary>
    protected string DayOf(DateTimeOffset instant) =>
        LocalDay(instant).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(KioskOptions.Value.TimeZone)).DateTime);

    protected override void OnInitialized()
    {
        base.OnInitialized();
        Documents.Changed += OnDocumentsChanged;
    }

    private void OnDocumentsChanged() => _ = InvokeAsync(StateHasChanged);

    protected string KindName(DocumentKind kind) => Text["Published.Kind." + kind];

    protected string Date(DateOnly? day) => day is { } d ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : Text["Published.NoDate"];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Documents.Changed -= OnDocumentsChanged;
        }

        base.Dispose(disposing);
    }
}

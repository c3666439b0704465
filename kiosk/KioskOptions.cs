using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Kiosk;

/// <summary>Settings of one kiosk box, bound from the "Kiosk" section (env vars <c>Kiosk__ServerAddress</c> etc.).</summary>
public sealed class KioskOptions : IValidatableObject
{
    public const string SectionName = "Kiosk";

    /// <summary>The server's gRPC endpoint: https (verified) across a network, h2c (http) on one machine.</summary>
    [Required, Url]
    public string ServerAddress { get; set; } = "http://127.0.0.1:5100";

    /// <summary>
    /// The certificate (PEM or DER) of the district's own certificate authority, when the server's certificate is issued
    /// by one the machine does not trust; none: the machine's trust store decides. Never a way to skip verification.
    /// </summary>
    public string? ServerCaCertificate { get; set; }

    /// <summary>The hall this kiosk stands in; ratings are submitted for it and its catalog is shown.</summary>
    [Required, MinLength(1)]
    public string HallCode { get; set; } = "370104-ZWZX";

    /// <summary>This box's id, sent with every rating for fleet and anti-fraud checks.</summary>
    [Required, MinLength(1)]
    public string DeviceId { get; set; } = "kiosk-01";

    /// <summary>
    /// The credential an administrator got when enrolling this box (<c>ServiceHall.Server kiosks enroll</c>). Without a
    /// valid one the server refuses ratings and the outbox keeps them until the box is enrolled.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Kiosk:Credential is missing: enroll this kiosk on the server (ServiceHall.Server kiosks enroll --device ID --hall CODE) and set Kiosk__Credential")]
    public string Credential { get; set; } = "";

    /// <summary>Holds outbox.db and catalog.json; relative paths are resolved against the content root.</summary>
    [Required, MinLength(1)]
    public string DataDirectory { get; set; } = ".data/kiosk";

    /// <summary>Seconds without a touch after which any screen returns home and an unfinished rating is discarded.</summary>
    [Range(10, 3600)]
    public int IdleTimeoutSeconds { get; set; } = 90;

    /// <summary>
    /// The idle timeout in 关怀版 (elderly mode): longer, so that no countdown presses an older citizen (适老化 specs).
    /// </summary>
    [Range(10, 7200)]
    public int ElderlyIdleTimeoutSeconds { get; set; } = 180;

    /// <summary>
    /// Seconds the "还在吗？" prompt counts down, after the idle timeout, before an unfinished rating is discarded and the
    /// kiosk goes home; a touch carries on.
    /// </summary>
    [Range(5, 300)]
    public int StillThereSeconds { get; set; } = 20;

    /// <summary>The "还在吗？" countdown in 关怀版.</summary>
    [Range(5, 600)]
    public int ElderlyStillThereSeconds { get; set; } = 40;

    /// <summary>
    /// Seconds the screen after a good rating's tap (already recorded) offers reasons, a comment and a change of level
    /// without a touch; each touch restarts them. Then the rating is sent and the kiosk goes home.
    /// </summary>
    [Range(3, 300)]
    public int RecordedSeconds { get; set; } = 12;

    /// <summary>The screen after a good rating's tap in 关怀版.</summary>
    [Range(3, 600)]
    public int ElderlyRecordedSeconds { get; set; } = 24;

    /// <summary>
    /// Minutes a good rating recorded on its tap may stay held in the outbox while the citizen adds to it; a safety net
    /// (the screen normally lets it go when it closes): after this it is sent as it stands.
    /// </summary>
    [Range(1, 60)]
    public int HeldRatingMaxMinutes { get; set; } = 10;

    /// <summary>Whether the rating flow speaks its prompts when a session starts; the citizen can turn them off.</summary>
    public bool VoicePromptsOnByDefault { get; set; } = true;

    /// <summary>Seconds the thank-you screen stays before returning home.</summary>
    [Range(1, 120)]
    public int ThankYouSeconds { get; set; } = 6;

    /// <summary>Minutes between catalog refreshes from the server.</summary>
    [Range(1, 1440)]
    public int CatalogRefreshMinutes { get; set; } = 5;

    /// <summary>"Kiosk" (a free-standing terminal) or "WindowPad" (the pad on one window's counter, 一次一评).</summary>
    [Required, RegularExpression("^(Kiosk|WindowPad)$", ErrorMessage = "Kiosk:Mode is Kiosk or WindowPad")]
    public string Mode { get; set; } = KioskModes.Kiosk;

    /// <summary>
    /// True for a kiosk of the 政务公开专区: its home screen shows 依申请公开 (applying for government information) first;
    /// other kiosks show it as a secondary entry (docs/rules/disclosure-requests.md#the-kiosk).
    /// </summary>
    public bool DisclosureZone { get; set; }

    /// <summary>The window whose finished transactions this pad asks to rate; required in WindowPad mode.</summary>
    public string? WindowCode { get; set; }

    /// <summary>
    /// Seconds a pad keeps a transaction's invitation open (a touch restarts them); then the transaction is recorded
    /// 未评价 — never a default rating (GB/T 39734) — and can still be rated later with its short code.
    /// </summary>
    [Range(5, 3600)]
    public int PadRatingSeconds { get; set; } = 60;

    /// <summary>
    /// The PIN (6–12 digits) that opens the 设备状态 page (/maintenance) for IT staff; none: the page stays closed.
    /// </summary>
    [RegularExpression("^[0-9]{6,12}$", ErrorMessage = "Kiosk:MaintenancePin is 6 to 12 digits")]
    public string? MaintenancePin { get; set; }

    /// <summary>The district's time zone: times on the 设备状态 page are shown in it, whatever the box's own clock zone.</summary>
    [Required, MinLength(1)]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public bool IsWindowPad => Mode == KioskModes.WindowPad;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsWindowPad && string.IsNullOrWhiteSpace(WindowCode))
        {
            yield return new ValidationResult(
                "Kiosk:WindowCode is required in WindowPad mode (the window this pad stands on)", [nameof(WindowCode)]);
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Kiosk:TimeZone {TimeZone} is not a known time zone", [nameof(TimeZone)]);
        }

        if (ElderlyIdleTimeoutSeconds < IdleTimeoutSeconds)
        {
            yield return new ValidationResult(
                "Kiosk:ElderlyIdleTimeoutSeconds must not be shorter than Kiosk:IdleTimeoutSeconds (关怀版 lengthens the timeout)",
                [nameof(ElderlyIdleTimeoutSeconds)]);
        }
    }
}

/// <summary>The values of <see cref="KioskOptions.Mode"/>.</summary>
public static class KioskModes
{
    public const string Kiosk = "Kiosk";
    public const string WindowPad = "WindowPad";
}

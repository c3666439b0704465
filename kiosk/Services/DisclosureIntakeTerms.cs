using System.Text.Json;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The server's intake terms for the coming month (for each day: the day of receipt and the legal reply day, on the
/// district's working-day calendar, which the kiosk cannot compute), kept like the catalog: refreshed with it by
/// <see cref="DisclosureRequestSender"/> and saved to disclosure-terms.json, so a receipt made while the server is away can
/// still name the reply day the server gave for today — never one the kiosk made up.
/// </summary>
public sealed class DisclosureIntakeTerms(KioskPaths paths, ILogger<DisclosureIntakeTerms> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private volatile IReadOnlyList<DisclosureIntakeTerm>? _terms;

    /// <summary>The term of <paramref name="day"/>, if the server's last list covers it.</summary>
    public DisclosureIntakeTerm? For(DateOnly day)
    {
        _terms ??= Load();
        return _terms?.FirstOrDefault(t => t.Day == day);
    }

    /// <summary>Keeps the server's list and saves it (written aside and moved, never half a file).</summary>
    public void Replace(IReadOnlyList<DisclosureIntakeTerm> terms)
    {
        _terms = terms;
        try
        {
            var temporary = paths.DisclosureTermsFile + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(terms, Json));
            File.Move(temporary, paths.DisclosureTermsFile, overwrite: true);
        }
        catch (IOException ex)
        {
            logger.LogWarning("Saving the disclosure intake terms to {File} failed: {Error}", paths.DisclosureTermsFile, ex.Message);
        }
    }

    private List<DisclosureIntakeTerm>? Load()
    {
        if (!File.Exists(paths.DisclosureTermsFile))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<List<DisclosureIntakeTerm>>(File.ReadAllText(paths.DisclosureTermsFile), Json);
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            logger.LogWarning("Ignoring unreadable {File}: {Error}", paths.DisclosureTermsFile, ex.Message);
            return null;
        }
    }
}

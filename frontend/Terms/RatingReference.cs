namespace ServiceHall.Frontend;

/// <summary>
/// The short reference a citizen is shown after rating (评价编号), and that staff see on the case: the last eight hex
/// digits of the rating's id, in two groups, e.g. "7F3A-2C91". The kiosk can show it offline (the id is made on the
/// kiosk); it is the random part of the id, so it says nothing about when or where the citizen rated.
/// </summary>
public static class RatingReference
{
    public static string Of(Guid ratingId)
    {
        var hex = ratingId.ToString("N").ToUpperInvariant();
        return $"{hex[24..28]}-{hex[28..]}";
    }

    /// <summary>The reference of a rating id as text; empty when the text is not an id.</summary>
    public static string Of(string? ratingId) => Guid.TryParse(ratingId, out var id) ? Of(id) : "";

    /// <summary>
    /// Whether what was typed into a search box reads as a reference ("7F3A-2C91", any case, the dash or a space
    /// optional) rather than a case number (which always starts with its eight-digit day).
    /// </summary>
    public static bool IsReference(string? text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text?.Trim() ?? "", "^[0-9A-Fa-f]{4}[ -]?[0-9A-Fa-f]{4}$");
}

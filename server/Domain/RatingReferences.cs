using System.Text.RegularExpressions;

namespace ServiceHall.Server.Domain;

/// <summary>
/// The reference (评价编号) the kiosk shows a citizen after a rating, read back to find the case
/// (docs/rules/bad-review-cases.md#case-numbers): the last eight hex digits of the rating's id, shown in two groups of four.
/// </summary>
public static partial class RatingReferences
{
    /// <summary>
    /// The end of the rating id a reference stands for (eight lowercase hex digits, as ids are stored), from what a search
    /// box may hold ("7F3A-2C91", "7f3a 2c91", "7F3A2C91"); null if it is no reference.
    /// </summary>
    public static string? IdEndOf(string? query)
    {
        var match = Loose().Match(query?.Trim() ?? "");
        return match.Success ? (match.Groups["first"].Value + match.Groups["second"].Value).ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"^(?<first>[0-9A-Fa-f]{4})[\s-]?(?<second>[0-9A-Fa-f]{4})$")]
    private static partial Regex Loose();
}

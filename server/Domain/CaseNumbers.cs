using System.Globalization;
using System.Text.RegularExpressions;

namespace ServiceHall.Server.Domain;

/// <summary>
/// Readable case numbers (docs/rules/bad-review-cases.md#case-numbers): 差评-yyyyMMdd-NNNN, the local day the 差评 was
/// received and its place in that day's sequence across the district (at least four digits), so one can be read out on a
/// callback and typed into the console's search.
/// </summary>
public static partial class CaseNumbers
{
    public const string Prefix = "差评";

    public static string Format(DateOnly day, long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{day:yyyyMMdd}-{sequence:D4}");
    }

    public static bool IsWellFormed(string value) => Pattern().IsMatch(value);

    /// <summary>
    /// What a search box may hold to find a case by number: the whole number, or its day and sequence without the prefix
    /// ("20261206-0007", "20261206-7"); null if it is no case number.
    /// </summary>
    public static string? Normalize(string? query)
    {
        var match = Loose().Match(query?.Trim() ?? "");
        return match.Success
            && DateOnly.TryParseExact(match.Groups["day"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && long.TryParse(match.Groups["seq"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0
            ? Format(day, sequence)
            : null;
    }

    [GeneratedRegex(@"^差评-\d{8}-\d{4,}$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(?:差评\s*-?\s*)?(?<day>\d{8})\s*-?\s*(?<seq>\d{1,9})$")]
    private static partial Regex Loose();
}

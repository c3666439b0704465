using System.Security.Cryptography;

namespace ServiceHall.Server.Domain;

/// <summary>
/// The time limits of the hall's two citizen enquiries, in working days (docs/rules/questions-and-reports.md#time-limits).
/// Section "EnquiryDeadlines". A question (办事咨询) is answered within 3 working days of receipt and a "could not get it done"
/// report (办不成事反映) is followed up within 5; both are local commitments of the district, so they are options.
/// </summary>
public sealed record EnquiryDeadlinePolicy
{
    public const string Section = "EnquiryDeadlines";

    /// <summary>A question is answered within this many working days of its day of receipt.</summary>
    public int AnswerWorkingDays { get; init; } = 3;

    /// <summary>A report is called back and concluded within this many working days of its day of receipt.</summary>
    public int ReportWorkingDays { get; init; } = 5;

    /// <exception cref="ArgumentException">A limit is not positive.</exception>
    public void Validate()
    {
        if (AnswerWorkingDays < 1 || ReportWorkingDays < 1)
        {
            throw new ArgumentException($"{Section}: AnswerWorkingDays and ReportWorkingDays must be ≥ 1 working day");
        }
    }
}

/// <summary>The enquiry time limits of a jurisdiction: its <see cref="EnquiryDeadlinePolicy"/> on its <see cref="WorkingCalendar"/>.</summary>
public sealed class EnquiryTimeLimits
{
    public EnquiryTimeLimits(WorkingCalendar calendar, EnquiryDeadlinePolicy policy)
    {
        policy.Validate();
        Calendar = calendar;
        Policy = policy;
    }

    public WorkingCalendar Calendar { get; }

    public EnquiryDeadlinePolicy Policy { get; }

    /// <summary>The day a question received on <paramref name="receivedDay"/> must be answered by.</summary>
    public DateOnly AnswerDueDay(DateOnly receivedDay) => Calendar.AddWorkingDays(receivedDay, Policy.AnswerWorkingDays);

    /// <summary>The day a report received on <paramref name="receivedDay"/> must be concluded by.</summary>
    public DateOnly ReportDueDay(DateOnly receivedDay) => Calendar.AddWorkingDays(receivedDay, Policy.ReportWorkingDays);

    /// <summary>
    /// The working days an enquiry received on <paramref name="receivedDay"/> took when done at <paramref name="doneAt"/>:
    /// 0 when done on its day of receipt (the monthly figures' median reads this).
    /// </summary>
    public int WorkingDaysTaken(DateOnly receivedDay, DateTimeOffset doneAt) => Calendar.WorkingDaysBetween(receivedDay, Calendar.LocalDate(doneAt));
}

/// <summary>
/// A short code a citizen reads off a kiosk's receipt and types in again at any kiosk: 8 characters from an alphabet without
/// 0/O and 1/I/L (the rating receipt's alphabet), drawn at random — 31⁸ ≈ 8.5 × 10¹¹ codes, so one is not guessed.
/// </summary>
public static class PickupCode
{
    // No 0/O, 1/I/L: a code read off a receipt and typed on a touchscreen must not be misread.
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public const int Length = 8;

    public static string New() =>
        string.Create(Length, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });

    /// <summary>
    /// The code as typed, folded to the receipt's form (spaces and dashes dropped, upper case), or null when it cannot be a
    /// code at all. Callers answer a null exactly as an unknown code: the lookup must not tell which codes exist.
    /// </summary>
    public static string? Normalize(string typed)
    {
        if (typed.Length > 32)
        {
            return null;
        }

        var folded = new string([.. typed.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant)]);
        return folded.Length == Length && folded.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? folded : null;
    }
}

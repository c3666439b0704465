using System.Globalization;
using System.Text;
using ServiceHall.Kiosk.Disclosure;

namespace ServiceHall.Kiosk.Enquiries;

/// <summary>
/// The 办事咨询 question as the citizen writes it on the kiosk, and its checks: the same as the server's
/// (docs/rules/questions-and-reports.md#questions), so a mistake shows on the field at once in the citizen's language. The
/// server checks again and has the last word. Each fault is keyed by the contract's field name and names a resource string
/// ("Enquiry.Error.…").
/// </summary>
public sealed class QuestionForm
{
    /// <summary>The longest question the server takes.</summary>
    public const int MaxTextLength = 500;

    private KioskQuestion? _pending;

    public string Text { get; set; } = "";

    /// <summary>The service item the question is about (it then goes straight to the item's department), or null.</summary>
    public string? ServiceItemCode { get; set; }

    public string Phone { get; set; } = "";

    public bool FaqConsent { get; set; }

    public IReadOnlyDictionary<string, string> Check()
    {
        var faults = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = Text.Trim();
        if (text.Length == 0)
        {
            faults["text"] = "Enquiry.Error.QuestionMissing";
        }
        else if (text.Length > MaxTextLength)
        {
            faults["text"] = "Enquiry.Error.TooLong";
        }
        if (EnquiryPhone.Normalise(Phone) is { Length: > 0 } phone && !EnquiryPhone.IsValid(phone))
        {
            faults["contact_phone"] = "Enquiry.Error.Phone";
        }
        return faults;
    }

    /// <summary>
    /// The question as it is sent. While nothing the citizen wrote has changed since the last attempt, it is that attempt's
    /// question, with its id and time: a resend after a timeout is then the same question, which the server stores once
    /// (SubmitQuestion is idempotent by request_id). Refuses a form with faults.
    /// </summary>
    public KioskQuestion ToQuestion(DateTimeOffset now)
    {
        if (Check().Count > 0)
        {
            throw new InvalidOperationException("the form has faults; check it before submitting");
        }
        var question = new KioskQuestion(
            Guid.CreateVersion7(now), now, Text.Trim(), string.IsNullOrWhiteSpace(ServiceItemCode) ? null : ServiceItemCode,
            EnquiryPhone.Normalise(Phone) is { Length: > 0 } phone ? phone : null, FaqConsent);
        if (_pending is { } pending && pending.SameWords(question))
        {
            return pending;
        }
        _pending = question;
        return question;
    }
}

/// <summary>A question as the kiosk sends it.</summary>
public sealed record KioskQuestion(
    Guid RequestId, DateTimeOffset SubmittedAt, string Text, string? ServiceItemCode, string? ContactPhone, bool FaqConsent)
{
    /// <summary>The same question, whatever its id and time.</summary>
    public bool SameWords(KioskQuestion other) =>
        this with { RequestId = Guid.Empty, SubmittedAt = default } == other with { RequestId = Guid.Empty, SubmittedAt = default };
}

/// <summary>The server's receipt for a question: the pickup code the answer is read with, and the days.</summary>
public sealed record QuestionReceipt(string PickupCode, DateOnly ReceivedDay, DateOnly AnswerDueDay);

/// <summary>An answered question as any kiosk shows it to whoever has the pickup code.</summary>
public sealed record QuestionAnswer(string Question, string Answer, DateOnly AnsweredDay);

/// <summary>
/// The 办不成事 report as the citizen fills it in (docs/rules/questions-and-reports.md#reports): what (required), the window
/// and service item (optional), the day it happened (not in the future, at most 90 days back) and a phone number (required:
/// the hall manager calls back). Checked as the server checks it; faults keyed by the contract's field names.
/// </summary>
public sealed class CouldNotBeDoneForm
{
    public const int MaxWhatLength = 500;
    public const int MaxWindowLength = 64;

    /// <summary>How far back a report may go (the server's limit).</summary>
    public const int MaxDaysBack = 90;

    private KioskCouldNotBeDoneReport? _pending;

    public string What { get; set; } = "";

    public string Window { get; set; } = "";

    public string? ServiceItemCode { get; set; }

    /// <summary>The day it happened; the screen starts it at today.</summary>
    public DateOnly? HappenedOn { get; set; }

    public string Phone { get; set; } = "";

    /// <summary>The earliest day the report may name, counted from the kiosk's local <paramref name="today"/>.</summary>
    public static DateOnly EarliestDay(DateOnly today) => today.AddDays(-MaxDaysBack);

    public IReadOnlyDictionary<string, string> Check(DateOnly today)
    {
        var faults = new Dictionary<string, string>(StringComparer.Ordinal);
        var what = What.Trim();
        if (what.Length == 0)
        {
            faults["what"] = "Enquiry.Error.WhatMissing";
        }
        else if (what.Length > MaxWhatLength)
        {
            faults["what"] = "Enquiry.Error.TooLong";
        }
        if (Window.Trim().Length > MaxWindowLength)
        {
            faults["window"] = "Enquiry.Error.TooLong";
        }
        if (HappenedOn is not { } day)
        {
            faults["happened_on"] = "Enquiry.Error.DayMissing";
        }
        else if (day > today || day < EarliestDay(today))
        {
            faults["happened_on"] = "Enquiry.Error.DayOutOfRange";
        }
        var phone = EnquiryPhone.Normalise(Phone);
        if (phone.Length == 0)
        {
            faults["contact_phone"] = "Enquiry.Error.PhoneMissing";
        }
        else if (!EnquiryPhone.IsValid(phone))
        {
            faults["contact_phone"] = "Enquiry.Error.Phone";
        }
        return faults;
    }

    /// <summary>The report as it is sent; a resend of unchanged words keeps the first attempt's id (idempotent by request_id).</summary>
    public KioskCouldNotBeDoneReport ToReport(DateTimeOffset now, DateOnly today)
    {
        if (Check(today).Count > 0)
        {
            throw new InvalidOperationException("the form has faults; check it before submitting");
        }
        var report = new KioskCouldNotBeDoneReport(
            Guid.CreateVersion7(now), now, What.Trim(), Window.Trim() is { Length: > 0 } window ? window : null,
            string.IsNullOrWhiteSpace(ServiceItemCode) ? null : ServiceItemCode, HappenedOn!.Value, EnquiryPhone.Normalise(Phone));
        if (_pending is { } pending && pending.SameWords(report))
        {
            return pending;
        }
        _pending = report;
        return report;
    }
}

/// <summary>A 办不成事 report as the kiosk sends it.</summary>
public sealed record KioskCouldNotBeDoneReport(
    Guid RequestId, DateTimeOffset SubmittedAt, string What, string? Window, string? ServiceItemCode, DateOnly HappenedOn, string ContactPhone)
{
    public bool SameWords(KioskCouldNotBeDoneReport other) =>
        this with { RequestId = Guid.Empty, SubmittedAt = default } == other with { RequestId = Guid.Empty, SubmittedAt = default };

    public string HappenedOnText => HappenedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The server's receipt for a report.</summary>
public sealed record CouldNotBeDoneReceipt(string ReportNumber, DateOnly ReceivedDay, DateOnly DueDay);

/// <summary>
/// A phone number as typed on the kiosk: full-width digits and dashes (an input method may give them) read as their ASCII
/// forms and spaces dropped, then checked as the server checks it — an 11-digit mobile number from 1, or a landline with
/// its area code (docs/rules/questions-and-reports.md).
/// </summary>
public static class EnquiryPhone
{
    /// <summary>The server's limit on a number's length.</summary>
    public const int MaxLength = 20;

    public static string Normalise(string typed) =>
        new([.. typed.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c))]);

    public static bool IsValid(string normalised) =>
        normalised.Length <= MaxLength && DisclosureApplicationForm.IsPhone(normalised);
}

/// <summary>
/// The pickup code on a question's receipt: 8 characters of the alphabet the rating receipt uses (no 0/O, 1/I/L), made by
/// the server. Shown in two groups of four so that it is read aloud and copied without losing one's place.
/// </summary>
public static class PickupCode
{
    public const int Length = 8;

    /// <summary>The code's alphabet, as the keypad offers it.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>A code as typed: full-width forms read as ASCII; spaces, dashes and case ignored (as the server does).</summary>
    public static string Normalise(string typed) =>
        new([.. typed.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant)]);

    /// <summary>"ABCD EFGH".</summary>
    public static string Grouped(string code) => code.Length == Length ? $"{code[..4]} {code[4..]}" : code;

    /// <summary>The code for the voice: one character at a time, a pause between the groups ("A B C D，E F G H").</summary>
    public static string Spoken(string code) =>
        code.Length == Length ? $"{string.Join(' ', code[..4].ToCharArray())}，{string.Join(' ', code[4..].ToCharArray())}" : code;
}

using System.Security.Cryptography;
using System.Text;

namespace ServiceHall.Server.Domain;

/// <summary>
/// A pattern that makes a rating worth a person's look (docs/rules/ratings.md#anti-fraud). A flag decides nothing: the
/// rating counts until a reviewer excludes it.
/// </summary>
public enum FraudPattern
{
    /// <summary>Many ratings from one device within a short time.</summary>
    DeviceBurst = 1,

    /// <summary>One callback number behind many ratings.</summary>
    RepeatedPhone = 2,

    /// <summary>The same (or nearly the same) text in several ratings.</summary>
    RepeatedText = 3,

    /// <summary>Several 差评 against one member of staff within a short time.</summary>
    StaffTargeted = 4,

    /// <summary>A rating without a transaction of a window that has a pad (一次一评 there rates each transaction).</summary>
    NoTransactionAtPadWindow = 5,
}

/// <summary>Why a reviewer took a flagged rating out of the figures.</summary>
public enum ExclusionReason
{
    /// <summary>刷评: ratings made up to move the figures.</summary>
    Fabricated = 1,

    /// <summary>重复评价: the same citizen and service rated more than once.</summary>
    Duplicate = 2,

    /// <summary>工作人员代评或诱导: staff rated on a citizen's behalf or pressed for a rating.</summary>
    StaffInvolved = 3,

    /// <summary>恶意评价: ratings meant to harm a member of staff rather than judge the service.</summary>
    Malicious = 4,

    /// <summary>其他 (the note says what).</summary>
    Other = 5,
}

public static class FraudPatterns
{
    public static string Label(this FraudPattern pattern) => pattern switch
    {
        FraudPattern.DeviceBurst => "同一设备短时间内大量评价",
        FraudPattern.RepeatedPhone => "同一手机号多次评价",
        FraudPattern.RepeatedText => "相同或近似的评价文字",
        FraudPattern.StaffTargeted => "针对同一工作人员的集中差评",
        FraudPattern.NoTransactionAtPadWindow => "设有评价器的窗口出现无办件的评价",
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
    };

    public static string Label(this ExclusionReason reason) => reason switch
    {
        ExclusionReason.Fabricated => "刷评（虚假评价）",
        ExclusionReason.Duplicate => "重复评价",
        ExclusionReason.StaffInvolved => "工作人员代评或诱导评价",
        ExclusionReason.Malicious => "恶意评价",
        ExclusionReason.Other => "其他",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

/// <summary>
/// When a pattern is worth a look. Section "AntiFraud". The defaults and why: docs/rules/ratings.md#anti-fraud.
/// </summary>
public sealed record FraudThresholds
{
    public const string Section = "AntiFraud";

    /// <summary>A device's ratings made within <see cref="BurstSeconds"/>, this one included, that make a burst.</summary>
    public int BurstRatings { get; init; } = 5;

    public int BurstSeconds { get; init; } = 60;

    /// <summary>Ratings with one callback number within <see cref="PhoneDays"/>, this one included, that are too many.</summary>
    public int PhoneRatings { get; init; } = 4;

    public int PhoneDays { get; init; } = 7;

    /// <summary>Ratings with the same text within <see cref="TextDays"/>, this one included, that are too many.</summary>
    public int TextRepeats { get; init; } = 3;

    public int TextDays { get; init; } = 7;

    /// <summary>Texts shorter than this (letters only) are left alone: "很好" is said by many.</summary>
    public int TextMinLetters { get; init; } = 8;

    /// <summary>差评 naming one member of staff within <see cref="StaffDays"/>, this one included, that look concerted.</summary>
    public int StaffBadReviews { get; init; } = 3;

    public int StaffDays { get; init; } = 3;

    /// <summary>How often the detectors look at newly stored ratings.</summary>
    public int ScanSeconds { get; init; } = 60;

    /// <exception cref="ArgumentException">A threshold that would flag every rating, or a window of no time.</exception>
    public void Validate()
    {
        if (BurstRatings < 2 || PhoneRatings < 2 || TextRepeats < 2 || StaffBadReviews < 2)
        {
            throw new ArgumentException($"{Section}: every count threshold must be at least 2 (one rating is never a pattern)");
        }

        if (BurstSeconds < 1 || PhoneDays < 1 || TextDays < 1 || StaffDays < 1 || TextMinLetters < 1 || ScanSeconds < 5)
        {
            throw new ArgumentException($"{Section}: windows must be at least 1 (ScanSeconds at least 5)");
        }
    }
}

/// <summary>One rating as the detectors see it (the callback number only as its keyed hash).</summary>
public sealed record RatingUnderScan(
    Guid RatingId, string HallCode, string? WindowCode, string? StaffId, RatingLevel Level, string? TransactionNumber, string? DeviceId,
    DateTimeOffset RatedAt, string? TextKey, string? PhoneKey);

/// <summary>
/// What the store answered about a rating's neighbours, each count including the rating itself: the device's ratings
/// made within the burst window before it, the ratings with its phone key and its text key within their windows, the
/// 差评 naming its staff within theirs, and whether its window has a pad in service.
/// </summary>
public sealed record RatingNeighbours(int DeviceRecent, int PhoneRecent, int TextRecent, int StaffBadRecent, bool WindowHasPad);

/// <summary>A pattern found in one rating, with what was seen, in words a reviewer reads (never a phone number).</summary>
public sealed record FraudFlag(FraudPattern Pattern, string Detail);

/// <summary>
/// The detectors: plain rules over counts the store answers from its indexes (docs/rules/ratings.md#anti-fraud).
/// </summary>
public static class FraudDetectors
{
    public static IReadOnlyList<FraudFlag> Detect(RatingUnderScan rating, RatingNeighbours seen, FraudThresholds t)
    {
        var flags = new List<FraudFlag>();
        if (rating.DeviceId is not null && seen.DeviceRecent >= t.BurstRatings)
        {
            flags.Add(new(FraudPattern.DeviceBurst, $"设备 {rating.DeviceId} 在 {t.BurstSeconds} 秒内有 {seen.DeviceRecent} 条评价"));
        }

        if (rating.PhoneKey is not null && seen.PhoneRecent >= t.PhoneRatings)
        {
            flags.Add(new(FraudPattern.RepeatedPhone, $"同一回访手机号 {t.PhoneDays} 天内留在 {seen.PhoneRecent} 条评价中"));
        }

        if (rating.TextKey is not null && seen.TextRecent >= t.TextRepeats)
        {
            flags.Add(new(FraudPattern.RepeatedText, $"相同或近似的文字 {t.TextDays} 天内出现 {seen.TextRecent} 次"));
        }

        if (rating.StaffId is not null && rating.Level.IsBad() && seen.StaffBadRecent >= t.StaffBadReviews)
        {
            flags.Add(new(FraudPattern.StaffTargeted, $"工号 {rating.StaffId} {t.StaffDays} 天内收到 {seen.StaffBadRecent} 条差评"));
        }

        if (rating.TransactionNumber is null && rating.WindowCode is not null && seen.WindowHasPad)
        {
            flags.Add(new(FraudPattern.NoTransactionAtPadWindow, $"窗口 {rating.WindowCode} 设有评价器（一次一评），此评价未关联办件"));
        }

        return flags;
    }

    /// <summary>
    /// What makes two texts "the same" for <see cref="FraudPattern.RepeatedText"/>: letters only (no spaces, punctuation,
    /// digits or emoji), after <see cref="PublicText.Normalise"/> and lower-casing, so "态度很差！！" and "态度 很差" match.
    /// Null for a text with fewer letters than <paramref name="minLetters"/>. Hashed, so the key is short and fixed.
    /// </summary>
    public static string? TextKey(string? text, int minLetters)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var letters = new StringBuilder(text.Length);
        foreach (var rune in PublicText.Normalise(text).ToLowerInvariant().EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                letters.Append(rune.ToString());
            }
        }

        return letters.Length < minLetters
            ? null
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(letters.ToString())), 0, 16);
    }

    /// <summary>
    /// A callback number's keyed hash (HMAC-SHA256 under the district's own secret): equal numbers give equal keys, and
    /// the key cannot be turned back into the number without the secret — 11 digits are too few for an unkeyed hash.
    /// </summary>
    public static string PhoneKey(string phone, byte[] secret)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return Convert.ToHexString(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(digits)));
    }
}

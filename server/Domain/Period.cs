using System.Globalization;

namespace ServiceHall.Server.Domain;

public enum PeriodKind
{
    Month = 1,
    Quarter = 2,
    Year = 3,
}

/// <summary>A disclosure period: a month, a quarter or a year, in local calendar days.</summary>
public sealed record Period(PeriodKind Kind, int Year, int Number)
{
    /// <summary>"2026-11", "2026-Q4" or "2026": stable, sortable within a kind, used in open-data addresses.</summary>
    public string Key => Kind switch
    {
        PeriodKind.Month => $"{Year:0000}-{Number:00}",
        PeriodKind.Quarter => $"{Year:0000}-Q{Number}",
        PeriodKind.Year => $"{Year:0000}",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>"2026年11月", "2026年第四季度", "2026年度".</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => $"{Year}年{Number}月",
        PeriodKind.Quarter => $"{Year}年第{"一二三四"[Number - 1]}季度",
        PeriodKind.Year => $"{Year}年度",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    public DateOnly FirstDay => Kind switch
    {
        PeriodKind.Month => new DateOnly(Year, Number, 1),
        PeriodKind.Quarter => new DateOnly(Year, (Number * 3) - 2, 1),
        PeriodKind.Year => new DateOnly(Year, 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    public DateOnly LastDay => Next().FirstDay.AddDays(-1);

    public Period Next() => Kind switch
    {
        PeriodKind.Month => Number == 12 ? new(Kind, Year + 1, 1) : this with { Number = Number + 1 },
        PeriodKind.Quarter => Number == 4 ? new(Kind, Year + 1, 1) : this with { Number = Number + 1 },
        PeriodKind.Year => this with { Year = Year + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    public Period Previous() => Kind switch
    {
        PeriodKind.Month => Number == 1 ? new(Kind, Year - 1, 12) : this with { Number = Number - 1 },
        PeriodKind.Quarter => Number == 1 ? new(Kind, Year - 1, 4) : this with { Number = Number - 1 },
        PeriodKind.Year => this with { Year = Year - 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>The period of this kind that holds the day.</summary>
    public static Period Containing(PeriodKind kind, DateOnly day) => kind switch
    {
        PeriodKind.Month => new(kind, day.Year, day.Month),
        PeriodKind.Quarter => new(kind, day.Year, ((day.Month - 1) / 3) + 1),
        PeriodKind.Year => new(kind, day.Year, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static Period? TryParse(string key)
    {
        if (key.Length == 4 && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return new(PeriodKind.Year, year, 1);
        }

        if (key.Length == 7 && key[4] == '-' && int.TryParse(key[..4], NumberStyles.None, CultureInfo.InvariantCulture, out year))
        {
            if (key[5] == 'Q' && key[6] is >= '1' and <= '4')
            {
                return new(PeriodKind.Quarter, year, key[6] - '0');
            }

            if (int.TryParse(key[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
            {
                return new(PeriodKind.Month, year, month);
            }
        }

        return null;
    }
}

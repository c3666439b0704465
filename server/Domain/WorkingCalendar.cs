using System.Collections.Concurrent;
using System.Text.Json;

namespace ServiceHall.Server.Domain;

/// <summary>
/// One year's official arrangement of public holidays: the days off and the 调休 make-up workdays, as the State Council's
/// notice for that year lists them (docs/rules/working-calendar.md). Loaded from <c>Calendars/&lt;year&gt;.json</c>.
/// </summary>
public sealed record CalendarYear(
    int Year, string Source, DateOnly? Issued, IReadOnlySet<DateOnly> DaysOff, IReadOnlySet<DateOnly> MakeUpWorkdays)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// Reads a calendar file and checks it: every date lies in the file's year, ranges run forward, no day is
    /// both off and a workday, and a make-up workday falls on a weekend (else it would change nothing).
    /// </summary>
    /// <exception cref="FormatException">The file is not a calendar or breaks one of those checks.</exception>
    public static CalendarYear Parse(string json)
    {
        CalendarFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CalendarFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"calendar file is not valid JSON: {e.Message}", e);
        }

        if (file is null || file.Year is < 2000 or > 2999)
        {
            throw new FormatException("calendar file: \"year\" is missing or out of range");
        }

        if (string.IsNullOrWhiteSpace(file.Source))
        {
            throw new FormatException($"calendar {file.Year}: \"source\" must name the notice the dates come from");
        }

        var daysOff = new HashSet<DateOnly>();
        foreach (var range in file.DaysOff ?? [])
        {
            if (range.From is not { } from || range.To is not { } to || to < from)
            {
                throw new FormatException($"calendar {file.Year}: days-off range \"{range.Name}\" needs from ≤ to");
            }

            for (var day = from; day <= to; day = day.AddDays(1))
            {
                RequireInYear(file.Year, day);
                daysOff.Add(day);
            }
        }

        var makeUp = new HashSet<DateOnly>();
        foreach (var entry in file.MakeUpWorkdays ?? [])
        {
            if (entry.Date is not { } day)
            {
                throw new FormatException($"calendar {file.Year}: a make-up workday has no date");
            }

            RequireInYear(file.Year, day);
            if (!IsWeekend(day))
            {
                throw new FormatException($"calendar {file.Year}: make-up workday {day:yyyy-MM-dd} is not a weekend day");
            }

            if (daysOff.Contains(day))
            {
                throw new FormatException($"calendar {file.Year}: {day:yyyy-MM-dd} is listed both as a day off and as a workday");
            }

            makeUp.Add(day);
        }

        return new CalendarYear(file.Year, file.Source.Trim(), file.Issued, daysOff, makeUp);
    }

    internal static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static void RequireInYear(int year, DateOnly day)
    {
        if (day.Year != year)
        {
            throw new FormatException($"calendar {year}: {day:yyyy-MM-dd} lies outside the year");
        }
    }

    private sealed record CalendarFile(
        int Year, string? Source, DateOnly? Issued, List<DaysOffRange>? DaysOff, List<MakeUpWorkday>? MakeUpWorkdays);

    private sealed record DaysOffRange(string? Name, DateOnly? From, DateOnly? To);

    private sealed record MakeUpWorkday(DateOnly? Date, string? For);
}

/// <summary>
/// The working-day calendar that case deadlines run on (docs/rules/working-calendar.md): weekends are off, the year's
/// public holidays are off, and its 调休 make-up days are workdays. A year with no calendar file falls back to plain
/// weekends — and the calendar says so: <see cref="MissingYears"/> for a start-up check, and
/// <see cref="FallbackUsed"/> / <see cref="FallbackYears"/> the moment a date in such a year is actually consulted, so
/// the host can log it loudly and show a banner. Never silently.
/// </summary>
/// <remarks>
/// Deadline rule (<see cref="AddWorkingDays(DateTimeOffset, int)"/>): a time limit of N working days ends at the end
/// of the Nth working day after the day of receipt. The day of receipt itself does not count (民法典 art. 201: "开始的
/// 当日不计入，自下一日开始计算"), and a receipt on a non-working day is taken as received on the next working day
/// (the usual rule for 政府信息公开 applications, whose 20-working-day limit of 条例 art. 33 counts the same way).
/// Days are local to the district's time zone; the time of day of receipt does not matter.
/// </remarks>
public sealed class WorkingCalendar
{
    private readonly Dictionary<int, CalendarYear> _years;
    private readonly ConcurrentDictionary<int, bool> _fallbackYears = new();

    private WorkingCalendar(Dictionary<int, CalendarYear> years, TimeZoneInfo zone)
    {
        _years = years;
        Zone = zone;
    }

    /// <summary>Raised once per year, the first time a date in a year without a calendar file is consulted.</summary>
    public event Action<int>? FallbackUsed;

    /// <summary>The district's time zone: receipt instants become local days in it, due days end in it.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The years that have an official arrangement loaded, in order.</summary>
    public IReadOnlyList<int> LoadedYears => _years.Keys.Order().ToList();

    /// <summary>The loaded arrangements, in year order, with the notice each names.</summary>
    public IReadOnlyList<CalendarYear> Years => _years.Values.OrderBy(y => y.Year).ToList();

    /// <summary>Years consulted so far that had no file and were computed on plain weekends.</summary>
    public IReadOnlyList<int> FallbackYears => _fallbackYears.Keys.Order().ToList();

    /// <exception cref="ArgumentException">Two arrangements for the same year.</exception>
    public static WorkingCalendar Load(IEnumerable<CalendarYear> years, TimeZoneInfo zone)
    {
        var byYear = new Dictionary<int, CalendarYear>();
        foreach (var year in years)
        {
            if (!byYear.TryAdd(year.Year, year))
            {
                throw new ArgumentException($"two calendars for {year.Year}", nameof(years));
            }
        }

        return new WorkingCalendar(byYear, zone);
    }

    /// <summary>Loads every <c>*.json</c> in the folder; adding a year is dropping its file next to the others.</summary>
    /// <exception cref="FormatException">A file is not a valid calendar; the message names the file.</exception>
    public static WorkingCalendar LoadDirectory(string directory, TimeZoneInfo zone)
    {
        var years = new List<CalendarYear>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                years.Add(CalendarYear.Parse(File.ReadAllText(path)));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{Path.GetFileName(path)}: {e.Message}", e);
            }
        }

        return Load(years, zone);
    }

    public bool IsYearLoaded(int year) => _years.ContainsKey(year);

    /// <summary>The years in [first, last] with no arrangement loaded — what a host checks at start-up.</summary>
    public IReadOnlyList<int> MissingYears(int firstYear, int lastYear) =>
        Enumerable.Range(firstYear, Math.Max(0, lastYear - firstYear + 1)).Where(y => !IsYearLoaded(y)).ToList();

    public bool IsWorkingDay(DateOnly day)
    {
        if (!_years.ContainsKey(day.Year) && _fallbackYears.TryAdd(day.Year, true))
        {
            FallbackUsed?.Invoke(day.Year);
        }

        return IsWorkingDayUnreported(day);
    }

    /// <summary>
    /// <see cref="IsWorkingDay"/> without reporting a year that has no arrangement: for writing out the whole calendar (the
    /// store's table of working days, years ahead) where no deadline is being counted.
    /// </summary>
    public bool IsWorkingDayUnreported(DateOnly day) => _years.TryGetValue(day.Year, out var year)
        ? year.MakeUpWorkdays.Contains(day) || (!year.DaysOff.Contains(day) && !CalendarYear.IsWeekend(day))
        : !CalendarYear.IsWeekend(day);

    /// <summary>The local calendar day an instant falls on in the district.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The last instant (23:59:59.9999999 local) of a day: a deadline on that day is met up to and including it.</summary>
    public DateTimeOffset EndOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MaxValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>The day counting starts from: the local day of receipt, or the next working day if that is a day off.</summary>
    public DateOnly DayOfReceipt(DateTimeOffset receivedAt)
    {
        var day = LocalDate(receivedAt);
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>The Nth working day strictly after <paramref name="from"/>.</summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var day = from;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }

        return day;
    }

    /// <summary>
    /// The deadline of an N-working-day time limit for something received at <paramref name="receivedAt"/>: the end
    /// of the Nth working day after the day of receipt (see the class remarks for the rule and its source).
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset receivedAt, int days) =>
        EndOfDay(AddWorkingDays(DayOfReceipt(receivedAt), days));

    /// <summary>How many working days lie in (from, to]; 0 when to ≤ from.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }
}

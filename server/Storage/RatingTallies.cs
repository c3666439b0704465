using System.Data.Common;
using Dapper;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Ratings tallied as they are stored, in the same transaction: by hour for the live figures, by local day and month for
/// period indicators and publications, so neither scans the ratings. A year's figures read twelve months of tallies, not
/// 365 days of them.
/// </summary>
public sealed class RatingTallies(StoreDatabase database, DistrictClock clock)
{
    /// <summary>The district's calendar day an instant falls on.</summary>
    public DateOnly LocalDay(DateTimeOffset instant) => clock.LocalDay(instant);

    private const long HourMs = 3_600_000;

    /// <summary>
    /// Adds stored ratings to the hour, day and month tallies, in the caller's transaction: one upsert per kind of rating,
    /// not per rating.
    /// </summary>
    public async Task AddAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<RatingRecord> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        // In key order: two writers upserting the same tallies then lock them in the same order (no deadlock).
        var hours = stored
            .GroupBy(r => (HourMs: r.RatedAt.ToUnixTimeMilliseconds() / HourMs * HourMs, r.HallCode, r.DepartmentCode,
                Level: (long)r.Level.ToGbt39046Code(), Active: r.IsActive ? 1L : 0L))
            .OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key.HourMs, g.Key.HallCode, g.Key.DepartmentCode, g.Key.Level, g.Key.Active, (long)g.Count() })
            .ToList();
        await MultiRowStatement.RunAsync(
            connection, transaction,
            "INSERT INTO rating_hours (hour_ms, hall_code, department_code, level, active, count) VALUES",
            "ON CONFLICT (hall_code, hour_ms, department_code, level, active) DO UPDATE SET count = rating_hours.count + excluded.count",
            hours, database.RowsPerStatement);
        var local = stored.Select(r => (Rating: r, Day: clock.LocalDay(r.RatedAt))).ToList();
        await AddToPeriodsAsync(connection, transaction, "rating_days", "local_day", local.Select(x => (DayKey(x.Day), x.Rating)));
        await AddToPeriodsAsync(connection, transaction, "rating_months", "local_month", local.Select(x => (MonthKey(x.Day), x.Rating)));
    }

    /// <summary>See <see cref="IRatingStore.TallyRatingsAsync"/>.</summary>
    public async Task<IReadOnlyList<RatingTally>> TallyAsync(DateOnly firstDay, DateOnly lastDay, Scope scope, CancellationToken cancellationToken)
    {
        var within = StoreScope.OfRatings(scope, alias: null);
        // Whole months from the month tallies, the days before and after them from the day tallies.
        var firstMonth = firstDay.Day == 1 ? firstDay : new DateOnly(firstDay.Year, firstDay.Month, 1).AddMonths(1);
        var afterLastMonth = new DateOnly(lastDay.Year, lastDay.Month, 1);
        if (lastDay == afterLastMonth.AddMonths(1).AddDays(-1))
        {
            afterLastMonth = afterLastMonth.AddMonths(1);
        }

        var months = firstMonth < afterLastMonth;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string HallCode, string DepartmentCode, string WindowCode, string ServiceItemCode, long Channel,
            long Level, long Active, long Count)>(new CommandDefinition(
            $"""
            SELECT hall_code, department_code, window_code, service_item_code, channel, level, active, SUM(count)
            FROM (
                SELECT hall_code, department_code, window_code, service_item_code, channel, level, active, count FROM rating_days
                WHERE ((local_day >= @FirstDay AND local_day < @FirstMonthDay) OR (local_day >= @AfterMonthsDay AND local_day <= @LastDay)){within}
                UNION ALL
                SELECT hall_code, department_code, window_code, service_item_code, channel, level, active, count FROM rating_months
                WHERE local_month >= @FirstMonth AND local_month < @AfterLastMonth{within}
            ) AS tallies
            GROUP BY hall_code, department_code, window_code, service_item_code, channel, level, active
            """,
            new
            {
                FirstDay = DayKey(firstDay),
                LastDay = DayKey(lastDay),
                // Without a whole month in the period, every day comes from the day tallies.
                FirstMonthDay = DayKey(months ? firstMonth : lastDay.AddDays(1)),
                AfterMonthsDay = DayKey(months ? afterLastMonth : lastDay.AddDays(1)),
                FirstMonth = MonthKey(firstMonth),
                AfterLastMonth = months ? MonthKey(afterLastMonth) : MonthKey(firstMonth),
                scope.Code,
                scope.HallCode,
            },
            cancellationToken: cancellationToken));
        return rows.Select(r => new RatingTally(
            r.HallCode, r.DepartmentCode, NullIfEmpty(r.WindowCode), NullIfEmpty(r.ServiceItemCode), (RatingChannel)r.Channel,
            RatingLevels.FromGbt39046Code((int)r.Level), r.Active == 1, checked((int)r.Count))).ToList();
    }

    /// <summary>See <see cref="IRatingStore.CountRatingsAsync"/>.</summary>
    public async Task<IReadOnlyList<RatingCountRow>> CountByHourAsync(
        string hallCode, DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset, CancellationToken cancellationToken)
    {
        // The hour tallies answer for whole hours: a day of a zone a whole number of hours off UTC (China's is +8).
        if (from.ToUnixTimeMilliseconds() % HourMs != 0 || to.ToUnixTimeMilliseconds() % HourMs != 0)
        {
            throw new ArgumentException($"counts are kept by the hour; {from:O} to {to:O} does not start and end on an hour");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string DepartmentCode, long Level, long LocalHour, long Count)>(
            new CommandDefinition(
                """
                SELECT department_code, level, ((hour_ms + @OffsetMs) / 3600000) % 24 AS local_hour, SUM(count) AS count
                FROM rating_hours
                WHERE hall_code = @HallCode AND hour_ms >= @FromMs AND hour_ms < @ToMs AND active = 1
                GROUP BY department_code, level, local_hour
                """,
                new
                {
                    HallCode = hallCode,
                    FromMs = from.ToUnixTimeMilliseconds(),
                    ToMs = to.ToUnixTimeMilliseconds(),
                    OffsetMs = (long)utcOffset.TotalMilliseconds,
                },
                cancellationToken: cancellationToken));
        return rows.Select(r => new RatingCountRow(r.DepartmentCode, (RatingLevel)r.Level, (int)r.LocalHour, (int)r.Count)).ToList();
    }

    private Task AddToPeriodsAsync(
        DbConnection connection, DbTransaction transaction, string table, string periodColumn, IEnumerable<(long Period, RatingRecord Rating)> ratings)
    {
        var rows = ratings
            .GroupBy(x => (x.Period, x.Rating.HallCode, x.Rating.DepartmentCode, WindowCode: x.Rating.WindowCode ?? "",
                ServiceItemCode: x.Rating.ServiceItemCode ?? "", Channel: (long)x.Rating.Channel, Level: (long)x.Rating.Level.ToGbt39046Code(),
                Active: x.Rating.IsActive ? 1L : 0L))
            .OrderBy(g => g.Key)
            .Select(g => new object?[]
            {
                g.Key.Period, g.Key.HallCode, g.Key.DepartmentCode, g.Key.WindowCode, g.Key.ServiceItemCode, g.Key.Channel, g.Key.Level,
                g.Key.Active, (long)g.Count(),
            })
            .ToList();
        return MultiRowStatement.RunAsync(
            connection, transaction,
            $"INSERT INTO {table} ({periodColumn}, hall_code, department_code, window_code, service_item_code, channel, level, active, count) VALUES",
            $"""
            ON CONFLICT ({periodColumn}, hall_code, department_code, window_code, service_item_code, channel, level, active)
            DO UPDATE SET count = {table}.count + excluded.count
            """,
            rows, database.RowsPerStatement);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A local day as the tallies key it: 2026-11-28 is 20261128.</summary>
    private static long DayKey(DateOnly day) => (day.Year * 10_000L) + (day.Month * 100) + day.Day;

    /// <summary>A local month as the tallies key it: November 2026 is 202611.</summary>
    private static long MonthKey(DateOnly day) => (day.Year * 100L) + day.Month;
}

using System.Data.Common;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The district's working-day calendar (<see cref="WorkingCalendar"/>) as a table of the store, so that the working days from
/// a case's receipt to its milestones are counted in the database, by the handling rollup when a case is written and by the
/// scan (docs/rules/indicators-and-disclosure.md#how-the-figures-are-summed): for every local day from 1970 to 2199, how many
/// working days there are from the first one up to it. The working days after one day up to another are the difference.
///
/// The rollup keeps working days, so it depends on the calendar: a year's notice added later (a new Calendars/&lt;year&gt;.json)
/// changes days already counted on plain weekends. The store keeps a fingerprint of the calendar it was written from; at
/// every start (<see cref="StoreSchema"/>) the calendar is written again and the rollup summed afresh when the fingerprint differs.
/// </summary>
internal static class CaseWorkingDays
{
    /// <summary>The first and last day the table holds: every day a case can be received or reach a milestone on.</summary>
    public static readonly DateOnly First = new(1970, 1, 1);

    public static readonly DateOnly Last = new(2199, 12, 31);

    public const string Migration =
        """
        CREATE TABLE IF NOT EXISTS case_working_days (
            day BIGINT NOT NULL PRIMARY KEY,
            working_ordinal BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS case_working_calendar (
            id BIGINT NOT NULL PRIMARY KEY,
            fingerprint TEXT NOT NULL);
        """;

    /// <summary>
    /// The working days after local day <paramref name="fromDay"/> up to and including <paramref name="toDay"/> (days as whole
    /// days since 1970-01-01), as SQL: <see cref="WorkingCalendar.WorkingDaysBetween"/>, none when the second is not later.
    /// </summary>
    public static string Between(string fromDay, string toDay) =>
        $"""
        CASE WHEN {toDay} > {fromDay}
            THEN (SELECT working_ordinal FROM case_working_days WHERE day = {toDay}) - (SELECT working_ordinal FROM case_working_days WHERE day = {fromDay})
            ELSE 0 END
        """;

    /// <summary>
    /// Writes <paramref name="calendar"/> into the store unless it is the one already there; true when it was written (the
    /// rollup must then be summed afresh, in the same transaction).
    /// </summary>
    public static async Task<bool> WriteIfChangedAsync(
        DbConnection connection, DbTransaction transaction, WorkingCalendar calendar, int rowsPerStatement, CancellationToken cancellationToken)
    {
        var ordinals = Ordinals(calendar);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(ordinals.AsSpan())));
        var stored = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT fingerprint FROM case_working_calendar WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
        if (stored == fingerprint)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM case_working_days", transaction: transaction, cancellationToken: cancellationToken));
        var firstDay = (long)(First.DayNumber - new DateOnly(1970, 1, 1).DayNumber);
        // Whole numbers written into the statement: nothing here comes from outside.
        foreach (var chunk in ordinals.Select((ordinal, i) => (Day: firstDay + i, Ordinal: ordinal)).Chunk(Math.Max(rowsPerStatement, 500)))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO case_working_days (day, working_ordinal) VALUES " +
                string.Join(", ", chunk.Select(x => FormattableString.Invariant($"({x.Day}, {x.Ordinal})"))),
                transaction: transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO case_working_calendar (id, fingerprint) VALUES (1, @Fingerprint)
            ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint
            """,
            new { Fingerprint = fingerprint }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    // For each day from First to Last, the working days from First up to and including it.
    private static long[] Ordinals(WorkingCalendar calendar)
    {
        var ordinals = new long[Last.DayNumber - First.DayNumber + 1];
        var count = 0L;
        for (var i = 0; i < ordinals.Length; i++)
        {
            count += calendar.IsWorkingDayUnreported(First.AddDays(i)) ? 1 : 0;
            ordinals[i] = count;
        }

        return ordinals;
    }
}

using System.Data.Common;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Gives cases their readable numbers (<see cref="CaseNumbers"/>) from one counter per local day in case_number_days, in the
/// transaction that first stores them: the counter's row is updated and read in one statement, so two writers (two server
/// instances on one PostgreSQL) never hand out the same number, and a number, once stored, never changes.
/// </summary>
internal static class CaseNumbering
{
    /// <summary>Numbers the cases that have no number yet, per local day of receipt, in the order given.</summary>
    public static async Task NumberAsync(
        DbConnection connection, DbTransaction transaction, IEnumerable<BadReviewCase> cases, Func<DateTimeOffset, DateOnly> localDay,
        CancellationToken cancellationToken)
    {
        foreach (var day in cases.Where(c => c.CaseNumber is null).GroupBy(c => localDay(c.ReceivedAt)))
        {
            var numbered = day.ToList();
            var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO case_number_days (local_day, last_number) VALUES (@Day, @Count)
                ON CONFLICT (local_day) DO UPDATE SET last_number = case_number_days.last_number + @Count
                RETURNING last_number
                """,
                new { Day = (long)((day.Key.Year * 10_000) + (day.Key.Month * 100) + day.Key.Day), Count = (long)numbered.Count },
                transaction, cancellationToken: cancellationToken));
            var first = last - numbered.Count + 1;
            for (var i = 0; i < numbered.Count; i++)
            {
                numbered[i].Number(CaseNumbers.Format(day.Key, first + i));
            }
        }
    }
}

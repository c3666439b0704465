using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The case figures of whole local days read from the handling rollup (<see cref="CaseHandlingRollup"/>) instead of every
/// case: the same sums the scan makes, by the same definitions, from the period's buckets of 1, 8 and 64 days. A period that is not whole days of the rollup, or a scope or
/// breakdown it does not keep (a window, a service item; a member of staff, reason tag or channel of the rating), is scanned.
/// </summary>
public sealed partial class CaseStore
{
    /// <summary>
    /// Whether whole days are summed from the rollup (true, what the server does) or every case of the period is scanned (the
    /// reference the rollup is held to in the store tests and the bench).
    /// </summary>
    internal bool SumsFromRollup { get; init; } = true;

    // The counts (CaseHandlingRollup.Sums, in order) of the period's cases by key and state at `asOf`, and with `durations` the
    // working days to each milestone (1: reached, 2: first feedback) by key; null when the rollup cannot answer. Key null: the
    // whole scope as one group "". The rollup keeps each case as it stands once settled; the few cases of the period not settled
    // by `asOf` (settles_at_ms at or after it) are corrected from their rows. One round trip: both statements in one command.
    private async Task<(Dictionary<(string Key, CaseState State), long[]> Counts, Dictionary<long, ILookup<string, CaseDuration>> Durations)?> RolledUpAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, DateTimeOffset dueBy, string? caseKey, string? rollupKey,
        bool durations, CancellationToken cancellationToken)
    {
        if (!SumsFromRollup || CaseHandlingRollup.DaysOf(from, to) is not var (firstDay, endDay) || CaseHandlingRollup.OfRollup(scope) is not { } rollupScope)
        {
            return null;
        }

        var parameters = PeriodParameters(from, to, scope, asOf);
        parameters.Add("DueByMs", dueBy.ToUnixTimeMilliseconds());
        // The period as its daily edges and the longest buckets between them; each length's buckets by their first days.
        var buckets = CaseHandlingRollup.BucketsOf(firstDay, endDay).Select((b, i) =>
        {
            parameters.Add($"Span{i}", b.Span);
            parameters.Add($"From{i}", b.From);
            parameters.Add($"To{i}", b.To);
            return $"(span = @Span{i} AND first_day >= @From{i} AND first_day < @To{i})";
        });
        var inPeriod = $"({string.Join(" OR ", buckets)}){rollupScope}";
        var sums = CaseHandlingRollup.Sums;
        string GroupBy(string? key) => $"GROUP BY {(key is null ? "" : key + ", ")}+state";
        // The unsettled cases by their rows: `+` keeps SQLite from walking the rated-time index for the whole period, or the
        // state index to group by state, instead of finding the few unsettled cases by settles_at_ms. Each adds its counts at the
        // moment asked about and takes out the settled ones the rollup holds for it.
        var unsettled = $"settles_at_ms >= @AsOfMs AND +rated_at_ms >= @FromMs AND +rated_at_ms < @ToMs{StoreScope.OfCases(scope)}";
        var sql =
            $"""
            SELECT {rollupKey ?? "''"}, +state, {string.Join(", ", sums.Select(s => s.Settled == "0" ? "0" : $"SUM({s.Column})"))}
            FROM case_handling_spans WHERE {inPeriod}
            {GroupBy(rollupKey)}
            UNION ALL
            SELECT {caseKey ?? "''"}, +state, {string.Join(", ", sums.Select(s => $"SUM(({s.AtMoment}) - ({s.Settled}))"))}
            FROM cases WHERE {unsettled}
            {GroupBy(caseKey)}
            """;
        if (durations)
        {
            sql +=
                $"""
                ;
                SELECT milestone, {rollupKey ?? "''"}, working_days, SUM(count)
                FROM case_handling_durations WHERE {inPeriod}
                GROUP BY milestone, {(rollupKey is null ? "" : rollupKey + ", ")}working_days
                HAVING SUM(count) <> 0
                """;
        }

        var counts = new Dictionary<(string Key, CaseState State), long[]>();
        var taken = new List<(long Milestone, CaseDuration Duration)>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.IsDBNull(0) ? "" : reader.GetString(0), (CaseState)Number(reader, 1));
                if (!counts.TryGetValue(key, out var row))
                {
                    counts[key] = row = new long[sums.Length];
                }

                for (var i = 0; i < sums.Length; i++)
                {
                    row[i] += reader.IsDBNull(i + 2) ? 0 : Number(reader, i + 2);
                }
            }

            if (durations && await reader.NextResultAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    taken.Add((Number(reader, 0), new CaseDuration(reader.GetString(1), (int)Number(reader, 2), (int)Number(reader, 3))));
                }
            }
        }

        // A group whose cases all moved elsewhere (a case reassigned, closed) leaves a row of zeros behind: no cases, no group.
        foreach (var empty in counts.Where(x => x.Value[0] == 0).Select(x => x.Key).ToList())
        {
            counts.Remove(empty);
        }

        return (counts, CaseHandlingRollup.Milestones.ToDictionary(
            m => m.Milestone,
            m => taken.Where(t => t.Milestone == m.Milestone).Select(t => t.Duration).ToLookup(d => d.DepartmentCode)));
    }

    // A whole number as either database gives it (SQLite integers, PostgreSQL numerics for sums).
    private static long Number(System.Data.Common.DbDataReader reader, int ordinal) =>
        Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static CaseFigures FiguresOf(long[] counts) => new(
        (int)counts[1], (int)counts[2], (int)counts[3], (int)counts[4], (int)counts[5], (int)counts[6], (int)counts[7], (int)counts[8]);

    private static CaseStateCount StateCountOf(string key, CaseState state, long[] counts) =>
        new(key, state, (int)counts[0], (int)counts[9], (int)counts[10]);

    /// <summary>Fills the handling rollup afresh from every stored case (`store rebuild-handling-rollup`, after a bulk load).</summary>
    public Task RebuildHandlingRollupAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await CaseHandlingRollup.RebuildAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
}

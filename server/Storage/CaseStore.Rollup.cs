using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The case figures of whole local days read from the handling rollup (<see cref="CaseHandlingRollup"/>) instead of every
/// case: the same sums the scan makes, by the same definitions. A period that is not whole days of the rollup, or a scope or
/// breakdown it does not keep (a window, a service item; a member of staff, reason tag or channel of the rating), is scanned.
/// </summary>
public sealed partial class CaseStore
{
    /// <summary>
    /// Whether whole days are summed from the rollup (true, what the server does) or every case of the period is scanned (the
    /// reference the rollup is held to in the store tests and the bench).
    /// </summary>
    internal bool SumsFromRollup { get; init; } = true;

    // The counts (CaseHandlingRollup.Sums, in order) of the period's cases by key and state at `asOf`; null when the rollup
    // cannot answer. Key null: the whole scope as one group "". The rollup keeps each case as it stands once settled; the
    // few cases of the period not settled by `asOf` (settles_at_ms at or after it) are corrected from their rows.
    private async Task<Dictionary<(string Key, CaseState State), long[]>?> RolledUpAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, DateTimeOffset dueBy, string? caseKey, string? rollupKey,
        CancellationToken cancellationToken)
    {
        if (!SumsFromRollup || CaseHandlingRollup.DaysOf(from, to) is not var (firstDay, endDay) || CaseHandlingRollup.OfRollup(scope) is not { } rollupScope)
        {
            return null;
        }

        var parameters = PeriodParameters(from, to, scope, asOf);
        parameters.Add("DueByMs", dueBy.ToUnixTimeMilliseconds());
        parameters.Add("FirstDay", firstDay);
        parameters.Add("EndDay", endDay);
        var sums = CaseHandlingRollup.Sums;
        string Select(string? key, IEnumerable<string> values, string from, string where) =>
            $"""
            SELECT {key ?? "''"}, +state, {string.Join(", ", values)}
            FROM {from} WHERE {where}
            GROUP BY {(key is null ? "" : key + ", ")}+state
            """;
        // The unsettled cases by their rows: `+` keeps SQLite from walking the rated-time index for the whole period, or the
        // state index to group by state, instead of finding the few unsettled cases by settles_at_ms.
        var unsettled = $"settles_at_ms >= @AsOfMs AND +rated_at_ms >= @FromMs AND +rated_at_ms < @ToMs{StoreScope.OfCases(scope)}";
        var result = new Dictionary<(string Key, CaseState State), long[]>();
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var (sql, sign) in new[]
                 {
                     (Select(rollupKey, sums.Select(s => s.Settled == "0" ? "0" : $"SUM({s.Column})"), "case_handling_days",
                         $"rated_day >= @FirstDay AND rated_day < @EndDay{rollupScope}"), 1),
                     (Select(caseKey, sums.Select(s => $"SUM({s.Settled})"), "cases", unsettled), -1),
                     (Select(caseKey, sums.Select(s => $"SUM({s.AtMoment})"), "cases", unsettled), 1),
                 })
        {
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.IsDBNull(0) ? "" : reader.GetString(0), (CaseState)Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
                if (!result.TryGetValue(key, out var counts))
                {
                    result[key] = counts = new long[sums.Length];
                }

                for (var i = 0; i < sums.Length; i++)
                {
                    counts[i] += sign * (reader.IsDBNull(i + 2) ? 0 : Convert.ToInt64(reader.GetValue(i + 2), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        // A group whose cases all moved elsewhere (a case reassigned, closed) leaves a row of zeros behind: no cases, no group.
        foreach (var empty in result.Where(x => x.Value[0] == 0).Select(x => x.Key).ToList())
        {
            result.Remove(empty);
        }

        return result;
    }

    // The (received day, milestone day) pairs of the period's cases by key, for each milestone (1: reached, 2: first feedback).
    private async Task<Dictionary<long, ILookup<string, CaseDayPair>>> RolledUpPairsAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, string rollupKey, CancellationToken cancellationToken)
    {
        var (firstDay, endDay) = CaseHandlingRollup.DaysOf(from, to)!.Value;
        var parameters = PeriodParameters(from, to, scope, from);
        parameters.Add("FirstDay", firstDay);
        parameters.Add("EndDay", endDay);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Milestone, string Key, long From, long To, long Count)>(new CommandDefinition(
            $"""
            SELECT milestone, {rollupKey}, from_day, to_day, SUM(count)
            FROM case_handling_day_pairs
            WHERE rated_day >= @FirstDay AND rated_day < @EndDay{CaseHandlingRollup.OfRollup(scope)}
            GROUP BY milestone, {rollupKey}, from_day, to_day
            HAVING SUM(count) <> 0
            """,
            parameters, cancellationToken: cancellationToken));
        var pairs = rows.ToList();
        return CaseHandlingRollup.Milestones.ToDictionary(
            m => m.Milestone,
            m => pairs.Where(p => p.Milestone == m.Milestone)
                .Select(p => new CaseDayPair(p.Key, Epoch.AddDays((int)p.From), Epoch.AddDays((int)p.To), (int)p.Count))
                .ToLookup(p => p.DepartmentCode));
    }

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

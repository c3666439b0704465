using System.Data.Common;
using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// How a case is stored: ONE way, as its snapshot (<see cref="BadReviewCase.ToSnapshot"/>, JSON in cases.snapshot), which
/// holds its state, deadlines and whole audit trail. Everything else in the row is derived from the case in the same
/// write that stores the snapshot, for queries only, and never read back into a case: the codes a queue filters on, the
/// state, the event count the optimistic check compares, and the domain's <see cref="CaseFacts"/> (the indicators sum them,
/// the overdue scan and queue read the due columns). Why the snapshot: the aggregate restores from it alone, so a
/// change to the case (new steps, new fields) needs no new columns; the columns are rewritten from it on every save, so
/// they cannot drift from it. The case_events table that repeated the trail was read by nothing but tests and is dropped
/// (migration 4): the trail lives in the snapshot.
/// </summary>
internal static class CaseRows
{
    // Every column of a case's row, in one place: the insert, the update after each step and the facts backfill all read
    // it. The first ones never change once a case is open; a step updates the rest.
    private static readonly (string Column, Func<BadReviewCase, CaseFacts, object?> Value)[] Columns =
    [
        ("id", (c, _) => c.Id.ToString()),
        ("rating_id", (c, _) => c.RatingId.ToString()),
        ("hall_code", (c, _) => c.HallCode),
        ("department_code", (c, _) => c.DepartmentCode),
        ("window_code", (c, _) => c.WindowCode),
        ("received_at_ms", (c, _) => c.ReceivedAt.ToUnixTimeMilliseconds()),
        ("rated_at_ms", (c, _) => c.RatedAt.ToUnixTimeMilliseconds()),
        ("service_item_code", (c, _) => c.ServiceItemCode),
        ("assigned_department_code", (c, _) => c.AssignedDepartmentCode),
        ("state", (c, _) => (long)c.State),
        ("event_count", (c, _) => (long)c.Events.Count),
        ("snapshot", (c, _) => JsonSerializer.Serialize(c.ToSnapshot(), StoreDatabase.Json)),
        ("appeal_upheld", (_, f) => Flag(f.AppealUpheld)),
        ("closed", (_, f) => Flag(f.Closed)),
        ("rectified", (_, f) => Flag(f.Rectified)),
        ("rectified_in_time", (_, f) => Flag(f.RectifiedInTime)),
        ("real_name", (_, f) => Flag(f.RealName)),
        ("called_back", (_, f) => Flag(f.CalledBack)),
        ("rater_asked", (_, f) => Flag(f.RaterAsked)),
        ("rater_satisfied", (_, f) => Flag(f.RaterSatisfied)),
        ("rectification_due_ms", (_, f) => f.RectificationDue.ToUnixTimeMilliseconds()),
        ("contact_due_ms", (_, f) => f.ContactDue.ToUnixTimeMilliseconds()),
        ("escalated", (_, f) => Flag(f.Escalated)),
        ("escalation_due_ms", (c, _) => c.NextEscalationDue?.ToUnixTimeMilliseconds()),
        ("case_number", (c, _) => c.CaseNumber),
        ("reached_at_ms", (_, f) => f.ReachedAt?.ToUnixTimeMilliseconds()),
        ("first_feedback_at_ms", (_, f) => f.FirstFeedbackAt?.ToUnixTimeMilliseconds()),
    ];

    // id, rating_id, hall_code, department_code, window_code, received_at_ms, rated_at_ms: fixed when the case opens.
    private const int FixedColumns = 7;

    /// <summary>"INSERT INTO cases (…) VALUES", for <see cref="MultiRowStatement"/> with <see cref="Values"/>.</summary>
    public static readonly string InsertHead = $"INSERT INTO cases ({string.Join(", ", Columns.Select(x => x.Column))}) VALUES";

    /// <summary>"col = @col, …" of every column a step may change.</summary>
    public static readonly string Updates = string.Join(", ", Columns.Skip(FixedColumns).Select(x => $"{x.Column} = @{x.Column}"));

    public static object?[] Values(BadReviewCase c)
    {
        var facts = CaseFacts.Of(c);
        return Columns.Select(x => x.Value(c, facts)).ToArray();
    }

    public static DynamicParameters Parameters(BadReviewCase c)
    {
        var parameters = new DynamicParameters();
        var values = Values(c);
        for (var i = 0; i < Columns.Length; i++)
        {
            parameters.Add(Columns[i].Column, values[i]);
        }

        return parameters;
    }

    public static BadReviewCase Restore(string snapshot) => BadReviewCase.Restore(StoreDatabase.Deserialize<CaseSnapshot>(snapshot));

    /// <summary>
    /// Rewrites every case's derived columns from its snapshot (after a migration added some); with <paramref name="localDay"/>,
    /// first gives each case stored without a number its number, in the order the cases were received.
    /// </summary>
    public static async Task RederiveAllAsync(
        DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken, Func<DateTimeOffset, DateOnly>? localDay = null)
    {
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM cases ORDER BY received_at_ms, id", transaction: transaction, cancellationToken: cancellationToken));
        var cases = snapshots.Select(Restore).ToList();
        if (localDay is not null)
        {
            await CaseNumbering.NumberAsync(connection, transaction, cases, localDay, cancellationToken);
        }

        foreach (var c in cases)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE cases SET {Updates} WHERE id = @id", Parameters(c), transaction, cancellationToken: cancellationToken));
        }

        await CaseHandlingRollup.RebuildAsync(connection, transaction, cancellationToken);
    }

    private static long Flag(bool value) => value ? 1 : 0;
}

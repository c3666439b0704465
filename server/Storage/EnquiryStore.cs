using System.Globalization;
using System.Text.Json;
using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>Which of the two enquiry kinds (docs/rules/questions-and-reports.md).</summary>
public enum EnquiryKind
{
    /// <summary>办事咨询.</summary>
    Question = 1,

    /// <summary>办不成事反映.</summary>
    CouldNotBeDoneReport = 2,
}

/// <summary>
/// One month of one enquiry kind, counted by day of receipt (docs/rules/questions-and-reports.md#monthly-figures): received,
/// done (answered or concluded), done within the limit, and the median working days taken by those done (null when none).
/// </summary>
public sealed record EnquiryMonthFigures(EnquiryKind Kind, int Year, int Month, int Received, int Done, int DoneOnTime, double? MedianWorkingDays);

/// <summary>The same figures for any run of days (a disclosure's period), both ends included.</summary>
public sealed record EnquiryPeriodFigures(EnquiryKind Kind, int Received, int Done, int DoneOnTime, double? MedianWorkingDays);

/// <summary>What a staff queue asks for; each part optional.</summary>
/// <param name="States">In one of these states (empty: all), as the enum's numbers.</param>
/// <param name="AssignedDepartmentCode">Only questions with this department (a department handler's view).</param>
/// <param name="HallCode">Only this hall's (a hall-bound account's view).</param>
/// <param name="Limit">At most this many, newest handed in first.</param>
public sealed record EnquiryQuery(IReadOnlyCollection<int> States, string? AssignedDepartmentCode = null, string? HallCode = null, int Limit = 200);

/// <summary>Questions and "could not get it done" reports, stored as snapshots like the other case types.</summary>
public interface IEnquiryStore
{
    /// <summary>
    /// Stores a new question once: an id already stored returns the stored question and stores nothing (a kiosk resends until
    /// it hears back). <paramref name="receive"/> is given a pickup code no stored question has.
    /// </summary>
    Task<(CitizenQuestion Question, bool Created)> ReceiveQuestionAsync(
        Guid id, string deviceId, string? contactProtected, Func<string, CitizenQuestion> receive, CancellationToken cancellationToken);

    Task<CitizenQuestion?> FindQuestionAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The answered question with this pickup code, or null — whether the code is unknown or the question unanswered.</summary>
    Task<CitizenQuestion?> FindAnsweredQuestionAsync(string pickupCode, CancellationToken cancellationToken);

    Task<IReadOnlyList<CitizenQuestion>> ListQuestionsAsync(EnquiryQuery query, CancellationToken cancellationToken);

    /// <summary>Writes the question's new state; <see cref="ConcurrentChangeException"/> if someone else acted first.</summary>
    Task SaveQuestionAsync(CitizenQuestion updated, int eventsBefore, CancellationToken cancellationToken);

    /// <summary>Questions not yet answered, oldest first (the overdue scan).</summary>
    Task<IReadOnlyList<CitizenQuestion>> ListOpenQuestionsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new report once, as <see cref="ReceiveQuestionAsync"/> does.</summary>
    Task<(CouldNotBeDoneReport Report, bool Created)> ReceiveReportAsync(
        CouldNotBeDoneReport report, string deviceId, string contactProtected, CancellationToken cancellationToken);

    Task<CouldNotBeDoneReport?> FindReportAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<CouldNotBeDoneReport>> ListReportsAsync(EnquiryQuery query, CancellationToken cancellationToken);

    Task SaveReportAsync(CouldNotBeDoneReport updated, int eventsBefore, CancellationToken cancellationToken);

    /// <summary>Reports not yet concluded, oldest first (the overdue scan).</summary>
    Task<IReadOnlyList<CouldNotBeDoneReport>> ListOpenReportsAsync(CancellationToken cancellationToken);

    /// <summary>The encrypted contact of a question or report, or null when none was left (or there is no such one).</summary>
    Task<string?> FindContactProtectedAsync(EnquiryKind kind, Guid id, CancellationToken cancellationToken);

    /// <summary>Every accepted FAQ entry with the service item it belongs to, in the order the questions were handed in.</summary>
    Task<IReadOnlyList<(string ServiceItemCode, FaqEntry Entry)>> ListAcceptedFaqEntriesAsync(CancellationToken cancellationToken);

    /// <summary>One month's figures of one kind, counted in the database.</summary>
    Task<EnquiryMonthFigures> MonthFiguresAsync(EnquiryKind kind, int year, int month, CancellationToken cancellationToken);

    /// <summary>
    /// The figures of one kind for the days <paramref name="firstDay"/>–<paramref name="lastDay"/> (by day of receipt): the one
    /// computation the month's figures and a periodic disclosure (a month, a quarter, a year) share.
    /// </summary>
    Task<EnquiryPeriodFigures> PeriodFiguresAsync(EnquiryKind kind, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken);
}

/// <summary>The enquiries in SQL both databases run.</summary>
public sealed class EnquiryStore(StoreDatabase database) : IEnquiryStore
{
    private const string Questions = "citizen_questions";
    private const string Reports = "could_not_be_done_reports";

    private static readonly string[] QuestionColumns =
        ["state", "assigned_department_code", "event_count", "done_day", "done_late", "working_days_taken", "faq_item_code", "snapshot"];

    private static readonly string[] ReportColumns = ["state", "event_count", "done_day", "done_late", "working_days_taken", "snapshot"];

    public async Task<(CitizenQuestion Question, bool Created)> ReceiveQuestionAsync(
        Guid id, string deviceId, string? contactProtected, Func<string, CitizenQuestion> receive, CancellationToken cancellationToken) =>
        await database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                $"SELECT snapshot FROM {Questions} WHERE id = @Id", new { Id = id.ToString() }, transaction, cancellationToken: cancellationToken));
            if (stored is not null)
            {
                return (RestoreQuestion(stored), false);
            }

            // A repeat among 31⁸ codes is all but impossible; drawn again if it happens, and the unique index stays the guarantee.
            string code;
            do
            {
                code = PickupCode.New();
            }
            while (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT COUNT(*) FROM {Questions} WHERE pickup_code = @Code", new { Code = code }, transaction,
                cancellationToken: cancellationToken)) > 0);

            var q = receive(code);
            var parameters = QuestionParameters(q);
            parameters.Add("id", q.Id.ToString());
            parameters.Add("pickup_code", q.PickupCode);
            parameters.Add("contact_protected", contactProtected);
            AddFixed(parameters, q.HallCode, deviceId, q.SubmittedAt, q.ReceivedDay, q.DueDay);
            string[] fixedColumns = ["id", "pickup_code", "contact_protected", .. FixedColumns];
            await InsertAsync(connection, transaction, Questions, [.. fixedColumns, .. QuestionColumns], parameters, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (q, true);
        }, cancellationToken);

    public async Task<CitizenQuestion?> FindQuestionAsync(Guid id, CancellationToken cancellationToken) =>
        await FindSnapshotAsync(Questions, "id = @Key", id.ToString(), cancellationToken) is { } s ? RestoreQuestion(s) : null;

    public async Task<CitizenQuestion?> FindAnsweredQuestionAsync(string pickupCode, CancellationToken cancellationToken) =>
        await FindSnapshotAsync(Questions, "pickup_code = @Key AND done_day IS NOT NULL", pickupCode, cancellationToken) is { } s
            ? RestoreQuestion(s)
            : null;

    public async Task<IReadOnlyList<CitizenQuestion>> ListQuestionsAsync(EnquiryQuery query, CancellationToken cancellationToken) =>
        (await ListSnapshotsAsync(Questions, query, cancellationToken)).Select(RestoreQuestion).ToList();

    public Task SaveQuestionAsync(CitizenQuestion updated, int eventsBefore, CancellationToken cancellationToken) =>
        SaveAsync(Questions, QuestionColumns, QuestionParameters(updated), updated.Id, eventsBefore, $"咨询 {updated.PickupCode}", cancellationToken);

    public async Task<IReadOnlyList<CitizenQuestion>> ListOpenQuestionsAsync(CancellationToken cancellationToken) =>
        (await ListOpenSnapshotsAsync(Questions, cancellationToken)).Select(RestoreQuestion).ToList();

    public async Task<(CouldNotBeDoneReport Report, bool Created)> ReceiveReportAsync(
        CouldNotBeDoneReport report, string deviceId, string contactProtected, CancellationToken cancellationToken) =>
        await database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                $"SELECT snapshot FROM {Reports} WHERE id = @Id", new { Id = report.Id.ToString() }, transaction, cancellationToken: cancellationToken));
            if (stored is not null)
            {
                return (RestoreReport(stored), false);
            }

            var parameters = ReportParameters(report);
            parameters.Add("id", report.Id.ToString());
            parameters.Add("number", report.Number);
            parameters.Add("contact_protected", contactProtected);
            AddFixed(parameters, report.HallCode, deviceId, report.SubmittedAt, report.ReceivedDay, report.DueDay);
            string[] fixedColumns = ["id", "number", "contact_protected", .. FixedColumns];
            await InsertAsync(connection, transaction, Reports, [.. fixedColumns, .. ReportColumns], parameters, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (report, true);
        }, cancellationToken);

    public async Task<CouldNotBeDoneReport?> FindReportAsync(Guid id, CancellationToken cancellationToken) =>
        await FindSnapshotAsync(Reports, "id = @Key", id.ToString(), cancellationToken) is { } s ? RestoreReport(s) : null;

    public async Task<IReadOnlyList<CouldNotBeDoneReport>> ListReportsAsync(EnquiryQuery query, CancellationToken cancellationToken) =>
        (await ListSnapshotsAsync(Reports, query with { AssignedDepartmentCode = null }, cancellationToken)).Select(RestoreReport).ToList();

    public Task SaveReportAsync(CouldNotBeDoneReport updated, int eventsBefore, CancellationToken cancellationToken) =>
        SaveAsync(Reports, ReportColumns, ReportParameters(updated), updated.Id, eventsBefore, $"反映 {updated.Number}", cancellationToken);

    public async Task<IReadOnlyList<CouldNotBeDoneReport>> ListOpenReportsAsync(CancellationToken cancellationToken) =>
        (await ListOpenSnapshotsAsync(Reports, cancellationToken)).Select(RestoreReport).ToList();

    public async Task<string?> FindContactProtectedAsync(EnquiryKind kind, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"SELECT contact_protected FROM {Table(kind)} WHERE id = @Id", new { Id = id.ToString() }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<(string ServiceItemCode, FaqEntry Entry)>> ListAcceptedFaqEntriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Item, string Snapshot)>(new CommandDefinition(
            $"SELECT faq_item_code, snapshot FROM {Questions} WHERE faq_item_code IS NOT NULL ORDER BY submitted_at_ms, id",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.Item, RestoreQuestion(r.Snapshot).Faq!))];
    }

    public async Task<EnquiryMonthFigures> MonthFiguresAsync(EnquiryKind kind, int year, int month, CancellationToken cancellationToken)
    {
        var first = new DateOnly(year, month, 1);
        var f = await PeriodFiguresAsync(kind, first, first.AddMonths(1).AddDays(-1), cancellationToken);
        return new EnquiryMonthFigures(kind, year, month, f.Received, f.Done, f.DoneOnTime, f.MedianWorkingDays);
    }

    public async Task<EnquiryPeriodFigures> PeriodFiguresAsync(EnquiryKind kind, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var range = new { First = Day(firstDay), Last = Day(lastDay) };
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<(long Received, long? Done, long? OnTime)>(new CommandDefinition(
            $"""
            SELECT COUNT(*),
                   SUM(CASE WHEN done_day IS NOT NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN done_day IS NOT NULL AND done_late = 0 THEN 1 ELSE 0 END)
            FROM {Table(kind)} WHERE received_day BETWEEN @First AND @Last
            """, range, cancellationToken: cancellationToken));
        // The median needs the taken days in order; only the done ones of the period are read, never the snapshots.
        var taken = (await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT working_days_taken FROM {Table(kind)} WHERE received_day BETWEEN @First AND @Last AND done_day IS NOT NULL ORDER BY working_days_taken",
            range, cancellationToken: cancellationToken))).ToList();
        double? median = taken.Count == 0 ? null
            : taken.Count % 2 == 1 ? taken[taken.Count / 2]
            : (taken[(taken.Count / 2) - 1] + taken[taken.Count / 2]) / 2.0;
        return new EnquiryPeriodFigures(kind, (int)counts.Received, (int)(counts.Done ?? 0), (int)(counts.OnTime ?? 0), median);
    }

    // ---- shared SQL of the two tables ----

    private static readonly string[] FixedColumns = ["hall_code", "device_id", "submitted_at_ms", "received_day", "due_day"];

    private static string Table(EnquiryKind kind) => kind switch
    {
        EnquiryKind.Question => Questions,
        EnquiryKind.CouldNotBeDoneReport => Reports,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static void AddFixed(DynamicParameters parameters, string hallCode, string deviceId, DateTimeOffset submittedAt, DateOnly received, DateOnly due)
    {
        parameters.Add("hall_code", hallCode);
        parameters.Add("device_id", deviceId);
        parameters.Add("submitted_at_ms", submittedAt.ToUnixTimeMilliseconds());
        parameters.Add("received_day", Day(received));
        parameters.Add("due_day", Day(due));
    }

    private static Task InsertAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string table, IReadOnlyList<string> columns,
        DynamicParameters parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})",
            parameters, transaction, cancellationToken: cancellationToken));

    private async Task<string?> FindSnapshotAsync(string table, string where, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"SELECT snapshot FROM {table} WHERE {where}", new { Key = key }, cancellationToken: cancellationToken));
    }

    private async Task<IEnumerable<string>> ListSnapshotsAsync(string table, EnquiryQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.States.Count > 0)
        {
            // Numbers from the enum, never input.
            where.Add($"state IN ({string.Join(", ", query.States.Select(s => s.ToString(CultureInfo.InvariantCulture)))})");
        }

        if (query.AssignedDepartmentCode is not null)
        {
            where.Add("assigned_department_code = @Department");
            parameters.Add("Department", query.AssignedDepartmentCode);
        }

        if (query.HallCode is not null)
        {
            where.Add("hall_code = @Hall");
            parameters.Add("Hall", query.HallCode);
        }

        parameters.Add("Limit", query.Limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT snapshot FROM {table}" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY submitted_at_ms DESC, id LIMIT @Limit",
            parameters, cancellationToken: cancellationToken))).ToList();
    }

    private async Task<IEnumerable<string>> ListOpenSnapshotsAsync(string table, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT snapshot FROM {table} WHERE done_day IS NULL ORDER BY submitted_at_ms, id", cancellationToken: cancellationToken))).ToList();
    }

    private Task SaveAsync(
        string table, IReadOnlyList<string> columns, DynamicParameters parameters, Guid id, int eventsBefore, string what,
        CancellationToken cancellationToken)
    {
        parameters.Add("Id", id.ToString());
        parameters.Add("EventsBefore", eventsBefore);
        return database.WriteAsync(async connection =>
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {table} SET {string.Join(", ", columns.Select(c => $"{c} = @{c}"))} WHERE id = @Id AND event_count = @EventsBefore",
                parameters, cancellationToken: cancellationToken));
            if (changed != 1)
            {
                throw new ConcurrentChangeException($"{what} 已被他人更新，请刷新后重试");
            }
        }, cancellationToken);
    }

    private static DynamicParameters QuestionParameters(CitizenQuestion q)
    {
        var parameters = new DynamicParameters();
        parameters.Add("state", (long)q.State);
        parameters.Add("assigned_department_code", q.AssignedDepartmentCode);
        parameters.Add("event_count", (long)q.Events.Count);
        // Done when answered: the FAQ review after it does not change when the citizen had the answer.
        parameters.Add("done_day", q.AnsweredDay is { } day ? Day(day) : null);
        parameters.Add("done_late", q.AnsweredAt is null ? null : q.AnsweredLate ? 1L : 0L);
        parameters.Add("working_days_taken", q.WorkingDaysTaken is { } days ? (long)days : null);
        parameters.Add("faq_item_code", q.Faq is not null ? q.Asked.ServiceItemCode : null);
        parameters.Add("snapshot", JsonSerializer.Serialize(q.ToSnapshot(), StoreDatabase.Json));
        return parameters;
    }

    private static DynamicParameters ReportParameters(CouldNotBeDoneReport r)
    {
        var parameters = new DynamicParameters();
        parameters.Add("state", (long)r.State);
        parameters.Add("event_count", (long)r.Events.Count);
        parameters.Add("done_day", r.ConcludedDay is { } day ? Day(day) : null);
        parameters.Add("done_late", r.ConcludedAt is null ? null : r.ConcludedLate ? 1L : 0L);
        parameters.Add("working_days_taken", r.WorkingDaysTaken is { } days ? (long)days : null);
        parameters.Add("snapshot", JsonSerializer.Serialize(r.ToSnapshot(), StoreDatabase.Json));
        return parameters;
    }

    private static CitizenQuestion RestoreQuestion(string snapshot) => CitizenQuestion.Restore(StoreDatabase.Deserialize<CitizenQuestionSnapshot>(snapshot));

    private static CouldNotBeDoneReport RestoreReport(string snapshot) =>
        CouldNotBeDoneReport.Restore(StoreDatabase.Deserialize<CouldNotBeDoneReportSnapshot>(snapshot));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

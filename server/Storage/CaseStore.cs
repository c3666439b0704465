using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// What a case queue asks for, all of it answered in the database. Every part is optional (empty or null matches all).
/// </summary>
/// <param name="States">Cases in one of these states.</param>
/// <param name="DepartmentCode">Cases whose responsible department (the assigned one, else the one rated) is this.</param>
/// <param name="WindowCode">Cases of this window.</param>
/// <param name="HallCode">The caller's hall: cases of other halls are not theirs to see.</param>
/// <param name="SeenByDepartment">
/// A department's handler sees the cases assigned to their department or rated against it; null for roles that see every
/// case of their hall.
/// </param>
/// <param name="DueBefore">
/// Open cases with a first-contact or rectification deadline before this instant: the candidates for 逾期 (at now) or
/// 即将到期 (at the end of the warning window). Whether a deadline's clock still runs is the case's to say.
/// </param>
/// <param name="Limit">At most this many cases, newest received first.</param>
/// <param name="After">Continues a listing after the page that returned this.</param>
/// <param name="CaseNumber">The case with this readable number (差评-yyyyMMdd-NNNN).</param>
/// <param name="RatingIdEnd">The cases whose rating's id ends with these hex digits (a citizen's 评价编号).</param>
public sealed record CaseQuery(
    IReadOnlyCollection<CaseState> States, string? DepartmentCode = null, string? WindowCode = null, string? HallCode = null,
    string? SeenByDepartment = null, DateTimeOffset? DueBefore = null, int Limit = 200, CasePageCursor? After = null,
    string? CaseNumber = null, string? RatingIdEnd = null);

/// <summary>Where a listing stopped: the last case of a page, in its newest-first order.</summary>
public sealed record CasePageCursor(long ReceivedAtMs, string Id);

/// <summary>One page of a case listing; <see cref="Next"/> is null when nothing more matches.</summary>
public sealed record CasePage(IReadOnlyList<BadReviewCase> Cases, CasePageCursor? Next);

/// <summary>差评 cases: stored as snapshots, queried through the columns derived from them (<see cref="CaseRows"/>).</summary>
public interface ICaseStore
{
    Task<BadReviewCase?> FindCaseAsync(Guid caseId, CancellationToken cancellationToken);

    /// <summary>The cases matching a query, newest received first, one page at a time.</summary>
    Task<CasePage> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Cases with a deadline missed by <paramref name="now"/> that no automatic escalation was made for yet
    /// (<see cref="BadReviewCase.NextEscalationDue"/>), the longest overdue first: what the overdue scan looks at.
    /// </summary>
    Task<IReadOnlyList<BadReviewCase>> ListEscalationCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a case's new state. Throws <see cref="ConcurrentChangeException"/> if the stored case no longer has
    /// <paramref name="eventsBefore"/> events (someone else acted first).
    /// </summary>
    Task SaveCaseAsync(BadReviewCase updated, int eventsBefore, CancellationToken cancellationToken);

    /// <summary>Cases whose rating was made (rated) in [from, to), oldest first: the cases of a period.</summary>
    Task<IReadOnlyList<BadReviewCase>> ListCasesRatedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// The case figures of the cases whose rating was made in [from, to) within a scope, as <see cref="CaseFigures.Of"/> counts them
    /// at <paramref name="asOf"/>, summed in the database from the facts kept beside each case.
    /// </summary>
    Task<CaseFigures> CountCasesAsync(DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, CancellationToken cancellationToken);

    /// <summary>Cases not closed, by state, and how many are past a deadline still running at <paramref name="now"/>.</summary>
    Task<OpenCaseCounts> CountOpenCasesAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CountCasesAsync"/> broken down (by responsible department, window, …), each group with the 差评 received in it;
    /// the groups sum to the scope's figures.
    /// </summary>
    Task<IReadOnlyList<CaseFigureGroup>> CountCasesByAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, CaseGrouping by, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CountCasesAsync"/> for each run [bounds[i], bounds[i + 1]) in one query (a trend of months): one group per run,
    /// keyed "0", "1", …, empty ones included.
    /// </summary>
    Task<IReadOnlyList<CaseFigureGroup>> CountCasesByPeriodAsync(
        IReadOnlyList<DateTimeOffset> bounds, Scope scope, DateTimeOffset asOf, CancellationToken cancellationToken);

    /// <summary>
    /// The stage and duration counts of the handling figures (<see cref="HandlingCounts"/>) of the cases rated in [from, to)
    /// within a scope, summed in the database; local days are taken at <paramref name="utcOffset"/>.
    /// </summary>
    Task<HandlingCounts> CountHandlingAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset now, DateTimeOffset dueBy, TimeSpan utcOffset,
        CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CountCasesByAsync"/> and <see cref="CountHandlingAsync"/> together, by one key of the case or of its rating (the
    /// statistics page's breakdowns), summed in the database: one group per key, whose counts' department slot holds the key. A
    /// case with several reason tags counts under each; one without the key falls in the group keyed "".
    /// </summary>
    Task<IReadOnlyList<HandlingGroupCounts>> CountHandlingByAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset now, DateTimeOffset dueBy, TimeSpan utcOffset, HandlingGrouping by,
        CancellationToken cancellationToken);

    /// <summary>
    /// Every case not closed of a hall (null: every hall) that a department answers for (null: any), whenever it was rated, by
    /// responsible department and state, with how many are overdue at <paramref name="now"/> and how many fall due before
    /// <paramref name="dueBy"/>: what a console's triage shows.
    /// </summary>
    Task<IReadOnlyList<CaseStateCount>> CountOpenCasesAsync(
        string? hallCode, string? departmentCode, DateTimeOffset now, DateTimeOffset dueBy, CancellationToken cancellationToken);
}

/// <summary>The cases in SQL both databases run. Cases are opened with their rating (<see cref="RatingStore"/>).</summary>
public sealed partial class CaseStore(StoreDatabase database, ProvincialUploadQueue? uploads = null) : ICaseStore
{
    public async Task<BadReviewCase?> FindCaseAsync(Guid caseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshot = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition("SELECT snapshot FROM cases WHERE id = @Id", new { Id = caseId.ToString() }, cancellationToken: cancellationToken));
        return snapshot is null ? null : CaseRows.Restore(snapshot);
    }

    public async Task<CasePage> ListCasesAsync(CaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.States.Count > 0)
        {
            // One parameter per state: Dapper expands a list for SQLite but hands Npgsql an array, which IN does not take.
            var states = query.States.Distinct().Select((state, i) => (Name: $"State{i}", Value: (long)state)).ToList();
            where.Add($"state IN ({string.Join(", ", states.Select(x => "@" + x.Name))})");
            foreach (var (name, value) in states)
            {
                parameters.Add(name, value);
            }
        }

        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(condition);
                parameters.Add(name, value);
            }
        }

        Add(StoreScope.ResponsibleDepartment + " = @DepartmentCode", "DepartmentCode", query.DepartmentCode);
        Add("window_code = @WindowCode", "WindowCode", query.WindowCode);
        Add("hall_code = @HallCode", "HallCode", query.HallCode);
        Add("case_number = @CaseNumber", "CaseNumber", query.CaseNumber);
        // A suffix match reads every case of the scope: a search a member of staff makes on a call, not a hot path.
        Add("rating_id LIKE @RatingIdLike", "RatingIdLike", query.RatingIdEnd is { } end ? "%" + end : null);
        Add("(assigned_department_code = @SeenBy OR department_code = @SeenBy)", "SeenBy", query.SeenByDepartment);
        if (query.DueBefore is { } dueBefore)
        {
            where.Add("state <> @Closed AND (contact_due_ms < @DueBeforeMs OR rectification_due_ms < @DueBeforeMs)");
            parameters.Add("Closed", (long)CaseState.Closed);
            parameters.Add("DueBeforeMs", dueBefore.ToUnixTimeMilliseconds());
        }

        if (query.After is { } after)
        {
            where.Add("(received_at_ms < @AfterMs OR (received_at_ms = @AfterMs AND id > @AfterId))");
            parameters.Add("AfterMs", after.ReceivedAtMs);
            parameters.Add("AfterId", after.Id);
        }

        parameters.Add("Limit", query.Limit);
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Id, long ReceivedAtMs, string Snapshot)>(new CommandDefinition(
            $"""
            SELECT id, received_at_ms, snapshot FROM cases
            {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY received_at_ms DESC, id
            LIMIT @Limit
            """,
            parameters, cancellationToken: cancellationToken))).ToList();
        var next = rows.Count == query.Limit ? new CasePageCursor(rows[^1].ReceivedAtMs, rows[^1].Id) : null;
        return new CasePage(rows.Select(r => CaseRows.Restore(r.Snapshot)).ToList(), next);
    }

    public async Task<IReadOnlyList<BadReviewCase>> ListEscalationCandidatesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT snapshot FROM cases
            WHERE escalation_due_ms < @NowMs
            ORDER BY escalation_due_ms
            LIMIT @Limit
            """,
            new { NowMs = now.ToUnixTimeMilliseconds(), Limit = limit },
            cancellationToken: cancellationToken));
        return snapshots.Select(CaseRows.Restore).ToList();
    }

    public async Task SaveCaseAsync(BadReviewCase updated, int eventsBefore, CancellationToken cancellationToken)
    {
        var parameters = CaseRows.Parameters(updated);
        parameters.Add("EventsBefore", eventsBefore);
        await database.WriteAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The handling rollup loses the case as it was and gains it as it is, in the step's transaction.
            string[] id = [updated.Id.ToString()];
            await CaseHandlingRollup.SubtractAsync(connection, transaction, id);
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE cases SET {CaseRows.Updates} WHERE id = @id AND event_count = @EventsBefore", parameters, transaction,
                cancellationToken: cancellationToken));
            if (changed != 1)
            {
                throw new ConcurrentChangeException($"案件 {updated.Id} 已被他人更新，请刷新后重试");
            }

            await CaseHandlingRollup.AddAsync(connection, transaction, id);

            if (uploads is not null)
            {
                // The steps the province is told of, queued with the step itself (docs/provincial-relay.md#case-steps).
                await uploads.AddAsync(connection, transaction, ProvincialUploads.OfCaseSteps(updated, eventsBefore));
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<BadReviewCase>> ListCasesRatedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var snapshots = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT snapshot FROM cases WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs ORDER BY rated_at_ms, id",
            new { FromMs = from.ToUnixTimeMilliseconds(), ToMs = to.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return snapshots.Select(CaseRows.Restore).ToList();
    }
}

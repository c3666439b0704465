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
public sealed record CaseQuery(
    IReadOnlyCollection<CaseState> States, string? DepartmentCode = null, string? WindowCode = null, string? HallCode = null,
    string? SeenByDepartment = null, DateTimeOffset? DueBefore = null, int Limit = 200, CasePageCursor? After = null,
    string? CaseNumber = null);

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
    /// Every case not closed of a hall (null: every hall) that a department answers for (null: any), whenever it was rated, by
    /// responsible department and state, with how many are overdue at <paramref name="now"/> and how many fall due before
    /// <paramref name="dueBy"/>: what a console's triage shows.
    /// </summary>
    Task<IReadOnlyList<CaseStateCount>> CountOpenCasesAsync(
        string? hallCode, string? departmentCode, DateTimeOffset now, DateTimeOffset dueBy, CancellationToken cancellationToken);
}

/// <summary>The cases in SQL both databases run. Cases are opened with their rating (<see cref="RatingStore"/>).</summary>
public sealed class CaseStore(StoreDatabase database, ProvincialUploadQueue? uploads = null) : ICaseStore
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
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE cases SET {CaseRows.Updates} WHERE id = @id AND event_count = @EventsBefore", parameters, transaction,
                cancellationToken: cancellationToken));
            if (changed != 1)
            {
                throw new ConcurrentChangeException($"案件 {updated.Id} 已被他人更新，请刷新后重试");
            }

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

    public async Task<OpenCaseCounts> CountOpenCasesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var byState = (await connection.QueryAsync<(long State, long Count)>(new CommandDefinition(
                "SELECT state, COUNT(*) FROM cases WHERE state <> @Closed GROUP BY state",
                new { Closed = (long)CaseState.Closed }, cancellationToken: cancellationToken)))
            .ToDictionary(r => (CaseState)r.State, r => r.Count);
        var overdue = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM cases
            WHERE (state IN ({StatesWhere(BadReviewCase.ContactClockRuns)}) AND contact_due_ms < @NowMs)
               OR (state IN ({StatesWhere(BadReviewCase.RectificationClockRuns)}) AND rectification_due_ms < @NowMs)
            """,
            new { NowMs = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return new OpenCaseCounts(byState, overdue);
    }

    // The sums CaseFigures.Of makes, over the facts kept beside each case (a contract test holds the two equal): the one SQL
    // copy of the case figures, for a scope and for any breakdown of it.
    private const string CaseFigureSums =
        """
        COUNT(*),
        SUM(appeal_upheld),
        SUM(CASE WHEN appeal_upheld = 0 AND (closed = 1 OR rectification_due_ms < @AsOfMs) THEN 1 ELSE 0 END),
        SUM(CASE WHEN appeal_upheld = 0 THEN rectified ELSE 0 END),
        SUM(CASE WHEN appeal_upheld = 0 THEN rectified_in_time ELSE 0 END),
        SUM(CASE WHEN appeal_upheld = 0 AND real_name = 1 AND (called_back = 1 OR contact_due_ms < @AsOfMs) THEN 1 ELSE 0 END),
        SUM(CASE WHEN appeal_upheld = 0 AND real_name = 1 THEN called_back ELSE 0 END),
        SUM(CASE WHEN appeal_upheld = 0 THEN rater_asked ELSE 0 END),
        SUM(CASE WHEN appeal_upheld = 0 THEN rater_satisfied ELSE 0 END)
        """;

    // Read by position (the sums' types differ between the databases: SQLite gives integers, PostgreSQL numerics).
    private static CaseFigureGroup Group(
        (string? Key, long Received, long? Upheld, long? Due, long? Rectified, long? InTime, long? RealName, long? Contacted, long? Asked,
            long? Satisfied) r) =>
        new(r.Key ?? "", (int)r.Received, new CaseFigures(
            (int)(r.Upheld ?? 0), (int)(r.Due ?? 0), (int)(r.Rectified ?? 0), (int)(r.InTime ?? 0), (int)(r.RealName ?? 0),
            (int)(r.Contacted ?? 0), (int)(r.Asked ?? 0), (int)(r.Satisfied ?? 0)));

    public async Task<CaseFigures> CountCasesAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(string?, long, long?, long?, long?, long?, long?, long?, long?, long?)>(new CommandDefinition(
            $"""
            SELECT '' AS Key, {CaseFigureSums}
            FROM cases
            WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs{StoreScope.OfCases(scope)}
            """,
            PeriodParameters(from, to, scope, asOf), cancellationToken: cancellationToken));
        return Group(row).Figures;
    }

    public async Task<IReadOnlyList<CaseFigureGroup>> CountCasesByAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf, CaseGrouping by, CancellationToken cancellationToken)
    {
        var key = by switch
        {
            CaseGrouping.Department => StoreScope.ResponsibleDepartment,
            CaseGrouping.Window => "COALESCE(window_code, '')",
            CaseGrouping.ServiceItem => "COALESCE(service_item_code, '')",
            CaseGrouping.Hall => "hall_code",
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, null),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string?, long, long?, long?, long?, long?, long?, long?, long?, long?)>(new CommandDefinition(
            $"""
            SELECT {key} AS Key, {CaseFigureSums}
            FROM cases
            WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs{StoreScope.OfCases(scope)}
            GROUP BY {key}
            """,
            PeriodParameters(from, to, scope, asOf), cancellationToken: cancellationToken));
        return rows.Select(Group).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<CaseFigureGroup>> CountCasesByPeriodAsync(
        IReadOnlyList<DateTimeOffset> bounds, Scope scope, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        if (bounds.Count < 2 || bounds.Zip(bounds.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentException("at least two bounds, in increasing order", nameof(bounds));
        }

        var parameters = PeriodParameters(bounds[0], bounds[^1], scope, asOf);
        // Each case falls in the one bucket [bounds[i], bounds[i + 1]) its rating time is in: one pass over the index.
        var buckets = string.Join(" ", Enumerable.Range(1, bounds.Count - 2).Select(i =>
        {
            parameters.Add($"B{i}", bounds[i].ToUnixTimeMilliseconds());
            return $"WHEN rated_at_ms < @B{i} THEN '{i - 1}'";
        }));
        var key = $"CASE {buckets} ELSE '{bounds.Count - 2}' END";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string?, long, long?, long?, long?, long?, long?, long?, long?, long?)>(new CommandDefinition(
            $"""
            SELECT {key} AS Key, {CaseFigureSums}
            FROM cases
            WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs{StoreScope.OfCases(scope)}
            GROUP BY {key}
            """,
            parameters, cancellationToken: cancellationToken))).Select(Group).ToDictionary(g => g.Key);
        return Enumerable.Range(0, bounds.Count - 1)
            .Select(i => rows.GetValueOrDefault(i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ?? new CaseFigureGroup(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, CaseFigures.Empty))
            .ToList();
    }

    // HandlingStages.IsOverdue at @AsOfMs, and IsDueBy at @DueByMs, as SQL: the states are numbers from the enum, never input.
    private static string OverdueAt(string atMs) =>
        $"((state IN ({StatesWhere(BadReviewCase.ContactClockRuns)}) AND contact_due_ms < {atMs}) " +
        $"OR (state IN ({StatesWhere(BadReviewCase.RectificationClockRuns)}) AND rectification_due_ms < {atMs}))";

    private static readonly string StateCounts =
        $"""
        SELECT {StoreScope.ResponsibleDepartment}, state, COUNT(*),
            SUM(CASE WHEN {OverdueAt("@AsOfMs")} THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT {OverdueAt("@AsOfMs")} AND {OverdueAt("@DueByMs")} THEN 1 ELSE 0 END)
        FROM cases
        """;

    private static async Task<List<CaseStateCount>> CountStatesAsync(
        System.Data.Common.DbConnection connection, string where, DynamicParameters parameters, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string Department, long State, long Count, long? Overdue, long? DueToday)>(new CommandDefinition(
            $"{StateCounts} WHERE {where} GROUP BY {StoreScope.ResponsibleDepartment}, state",
            parameters, cancellationToken: cancellationToken)))
        .Select(r => new CaseStateCount(r.Department, (CaseState)r.State, (int)r.Count, (int)(r.Overdue ?? 0), (int)(r.DueToday ?? 0)))
        .ToList();

    public async Task<IReadOnlyList<CaseStateCount>> CountOpenCasesAsync(
        string? hallCode, string? departmentCode, DateTimeOffset now, DateTimeOffset dueBy, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        parameters.Add("AsOfMs", now.ToUnixTimeMilliseconds());
        parameters.Add("DueByMs", dueBy.ToUnixTimeMilliseconds());
        // The open states by number, so the state index finds the few open cases among all.
        var where = $"state IN ({StatesWhere(state => state != CaseState.Closed)})";
        if (hallCode is not null)
        {
            where += " AND hall_code = @HallCode";
            parameters.Add("HallCode", hallCode);
        }

        if (departmentCode is not null)
        {
            where += $" AND {StoreScope.ResponsibleDepartment} = @DepartmentCode";
            parameters.Add("DepartmentCode", departmentCode);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await CountStatesAsync(connection, where, parameters, cancellationToken);
    }

    public async Task<HandlingCounts> CountHandlingAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset now, DateTimeOffset dueBy, TimeSpan utcOffset,
        CancellationToken cancellationToken)
    {
        var parameters = PeriodParameters(from, to, scope, now);
        parameters.Add("OffsetMs", (long)utcOffset.TotalMilliseconds);
        parameters.Add("DueByMs", dueBy.ToUnixTimeMilliseconds());
        var where = $"rated_at_ms >= @FromMs AND rated_at_ms < @ToMs{StoreScope.OfCases(scope)}";
        await using var connection = await database.OpenAsync(cancellationToken);
        var states = await CountStatesAsync(connection, where, parameters, cancellationToken);

        // Local days as whole days since 1970 in the district's offset (China keeps one offset all year), turned into dates here.
        async Task<List<CaseDayPair>> PairsAsync(string milestone)
        {
            var rows = await connection.QueryAsync<(string Department, long From, long To, long Count)>(new CommandDefinition(
                $"""
                SELECT {StoreScope.ResponsibleDepartment}, (received_at_ms + @OffsetMs) / 86400000, ({milestone} + @OffsetMs) / 86400000, COUNT(*)
                FROM cases WHERE {where} AND appeal_upheld = 0 AND {milestone} IS NOT NULL
                GROUP BY {StoreScope.ResponsibleDepartment}, (received_at_ms + @OffsetMs) / 86400000, ({milestone} + @OffsetMs) / 86400000
                """,
                parameters, cancellationToken: cancellationToken));
            return rows.Select(r => new CaseDayPair(r.Department, Epoch.AddDays((int)r.From), Epoch.AddDays((int)r.To), (int)r.Count)).ToList();
        }

        return new HandlingCounts(
            states,
            await PairsAsync("reached_at_ms"),
            await PairsAsync("first_feedback_at_ms"));
    }

    private static readonly DateOnly Epoch = new(1970, 1, 1);

    // Which states run which clock is the case's rule (BadReviewCase); the lists are numbers from the enum, never input.
    private static string StatesWhere(Func<CaseState, bool> runs) =>
        string.Join(", ", Enum.GetValues<CaseState>().Where(runs).Select(s => ((long)s).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static DynamicParameters PeriodParameters(DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset asOf)
    {
        var parameters = new DynamicParameters();
        parameters.Add("FromMs", from.ToUnixTimeMilliseconds());
        parameters.Add("ToMs", to.ToUnixTimeMilliseconds());
        parameters.Add("AsOfMs", asOf.ToUnixTimeMilliseconds());
        parameters.Add("Code", scope.Code);
        parameters.Add("HallCode", scope.HallCode);
        return parameters;
    }
}

/// <summary>What case figures can be broken down by.</summary>
public enum CaseGrouping
{
    /// <summary>The responsible department (the assigned one, else the one rated).</summary>
    Department = 1,
    Window = 2,
    ServiceItem = 3,
    Hall = 4,
}

/// <summary>The 差评 received (rated) in one group, and their case figures.</summary>
public sealed record CaseFigureGroup(string Key, int Received, CaseFigures Figures);

/// <summary>Open cases by state, and how many of them are past a running deadline.</summary>
public sealed record OpenCaseCounts(IReadOnlyDictionary<CaseState, long> ByState, long Overdue);

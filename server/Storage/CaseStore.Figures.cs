using Dapper;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The case figures summed in the database (docs/rules/indicators-and-disclosure.md): open cases by state and overdue, the
/// publication's case figures for a scope and its breakdowns, and the live handling figures — read from the facts kept
/// beside each case, never from its snapshot.
/// </summary>
public sealed partial class CaseStore
{
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
    // copy of the case figures (CaseHandlingRollup.Sums), for a scope and for any breakdown of it.
    private static readonly string CaseFigureSums =
        "COUNT(*),\n" + string.Join(",\n", CaseHandlingRollup.Sums[1..9].Select(s => $"SUM({s.AtMoment})"));

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
        if (await RolledUpAsync(from, to, scope, asOf, asOf, null, null, durations: false, cancellationToken) is var (rolled, _))
        {
            return rolled.Values.Aggregate(CaseFigures.Empty, (sum, counts) => sum.Plus(FiguresOf(counts)));
        }

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
        var rollupKey = by switch
        {
            CaseGrouping.Department => "department_code",
            CaseGrouping.Hall => "hall_code",
            _ => null,
        };
        if (rollupKey is not null && await RolledUpAsync(from, to, scope, asOf, asOf, key, rollupKey, durations: false, cancellationToken) is var (rolled, _))
        {
            return rolled.GroupBy(x => x.Key.Key)
                .Select(g => new CaseFigureGroup(g.Key, (int)g.Sum(x => x.Value[0]), g.Aggregate(CaseFigures.Empty, (sum, x) => sum.Plus(FiguresOf(x.Value)))))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
        }

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

    // HandlingStages.IsOverdue at @AsOfMs, and IsDueBy at @DueByMs (CaseHandlingRollup.Sums).
    private static readonly string StateCounts =
        $"""
        SELECT {StoreScope.ResponsibleDepartment}, state, COUNT(*),
            SUM({CaseHandlingRollup.Sums[9].AtMoment}),
            SUM({CaseHandlingRollup.Sums[10].AtMoment})
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
        if (utcOffset.Ticks == CaseHandlingRollup.DayOffsetMs * TimeSpan.TicksPerMillisecond && CaseHandlingRollup.OfRollup(scope) is not null
            && await RolledUpAsync(from, to, scope, now, dueBy, StoreScope.ResponsibleDepartment, "department_code", durations: true, cancellationToken)
                is var (rolled, durations))
        {
            return new HandlingCounts(
                rolled.Select(x => StateCountOf(x.Key.Key, x.Key.State, x.Value)).ToList(),
                durations[1].SelectMany(p => p).ToList(),
                durations[2].SelectMany(p => p).ToList());
        }

        var parameters = PeriodParameters(from, to, scope, now);
        parameters.Add("OffsetMs", (long)utcOffset.TotalMilliseconds);
        parameters.Add("DueByMs", dueBy.ToUnixTimeMilliseconds());
        var where = $"rated_at_ms >= @FromMs AND rated_at_ms < @ToMs{StoreScope.OfCases(scope)}";
        await using var connection = await database.OpenAsync(cancellationToken);
        var states = await CountStatesAsync(connection, where, parameters, cancellationToken);

        // Local days as whole days since 1970 in the district's offset (China keeps one offset all year); working days between
        // them on the calendar the store keeps.
        async Task<List<CaseDuration>> DurationsAsync(string milestone)
        {
            var workingDays = CaseHandlingRollup.WorkingDaysTo(milestone, "@OffsetMs");
            var rows = await connection.QueryAsync<(string Department, long Days, long Count)>(new CommandDefinition(
                $"""
                SELECT department_code, working_days, COUNT(*)
                FROM (SELECT {StoreScope.ResponsibleDepartment} AS department_code, {workingDays} AS working_days
                    FROM cases WHERE {where} AND appeal_upheld = 0 AND {milestone} IS NOT NULL) AS d
                GROUP BY department_code, working_days
                """,
                parameters, cancellationToken: cancellationToken));
            return rows.Select(r => new CaseDuration(r.Department, (int)r.Days, (int)r.Count)).ToList();
        }

        return new HandlingCounts(
            states,
            await DurationsAsync("reached_at_ms"),
            await DurationsAsync("first_feedback_at_ms"));
    }

    // A rating's column for its case: the rating is found by its key, one index lookup per case.
    private static string OfRating(string column) => $"(SELECT r.{column} FROM ratings r WHERE r.id = cases.rating_id)";

    public async Task<IReadOnlyList<HandlingGroupCounts>> CountHandlingByAsync(
        DateTimeOffset from, DateTimeOffset to, Scope scope, DateTimeOffset now, DateTimeOffset dueBy, TimeSpan utcOffset, HandlingGrouping by,
        CancellationToken cancellationToken)
    {
        var key = by switch
        {
            HandlingGrouping.Department => StoreScope.ResponsibleDepartment,
            HandlingGrouping.Window => "CASE WHEN window_code IS NULL THEN '' ELSE hall_code || '/' || window_code END",
            HandlingGrouping.Staff => $"COALESCE({OfRating("staff_id")}, '')",
            HandlingGrouping.ReasonTags => $"COALESCE({OfRating("reason_tag_codes")}, '')",
            HandlingGrouping.Channel => $"CAST({OfRating("channel")} AS TEXT)",
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, null),
        };
        // The rollup is kept by hall and department: by window (and the rating's keys) the cases are scanned.
        var rollupKey = by switch
        {
            HandlingGrouping.Department => "department_code",
            _ => null,
        };
        if (rollupKey is not null && CaseHandlingRollup.OfRollup(scope) is not null && utcOffset.Ticks == CaseHandlingRollup.DayOffsetMs * TimeSpan.TicksPerMillisecond
            && await RolledUpAsync(from, to, scope, now, dueBy, key, rollupKey, durations: true, cancellationToken) is var (rolled, durations))
        {
            return rolled.GroupBy(x => x.Key.Key)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new HandlingGroupCounts(
                    g.Key,
                    new CaseFigureGroup(g.Key, (int)g.Sum(x => x.Value[0]), g.Aggregate(CaseFigures.Empty, (sum, x) => sum.Plus(FiguresOf(x.Value)))),
                    new HandlingCounts(g.Select(x => StateCountOf(g.Key, x.Key.State, x.Value)).ToList(), durations[1][g.Key].ToList(), durations[2][g.Key].ToList())))
                .ToList();
        }

        // A rating keeps its tags as one comma-separated text: the database groups by it, and each group counts under every tag.
        Func<string, IEnumerable<string>> keysOf = by == HandlingGrouping.ReasonTags
            ? raw => raw.Length == 0 ? [""] : raw.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct()
            : raw => [raw];
        var parameters = PeriodParameters(from, to, scope, now);
        parameters.Add("OffsetMs", (long)utcOffset.TotalMilliseconds);
        parameters.Add("DueByMs", dueBy.ToUnixTimeMilliseconds());
        // The period's cases with their group's key beside them; the sums below read the same column names as the ungrouped ones.
        var keyed = $"(SELECT cases.*, {key} AS group_key FROM cases WHERE rated_at_ms >= @FromMs AND rated_at_ms < @ToMs{StoreScope.OfCases(scope)}) AS cases";
        await using var connection = await database.OpenAsync(cancellationToken);

        var figures = (await connection.QueryAsync<(string?, long, long?, long?, long?, long?, long?, long?, long?, long?)>(new CommandDefinition(
                $"SELECT group_key AS Key, {CaseFigureSums} FROM {keyed} GROUP BY group_key", parameters, cancellationToken: cancellationToken)))
            .Select(Group)
            .SelectMany(g => keysOf(g.Key).Select(k => g with { Key = k }))
            .GroupBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Aggregate((a, b) => new CaseFigureGroup(a.Key, a.Received + b.Received, a.Figures.Plus(b.Figures))));

        var states = (await connection.QueryAsync<(string Key, long State, long Count, long? Overdue, long? DueToday)>(new CommandDefinition(
                $"""
                SELECT group_key, state, COUNT(*),
                    SUM({CaseHandlingRollup.Sums[9].AtMoment}),
                    SUM({CaseHandlingRollup.Sums[10].AtMoment})
                FROM {keyed} GROUP BY group_key, state
                """,
                parameters, cancellationToken: cancellationToken)))
            .SelectMany(r => keysOf(r.Key).Select(k => new CaseStateCount(k, (CaseState)r.State, (int)r.Count, (int)(r.Overdue ?? 0), (int)(r.DueToday ?? 0))))
            .GroupBy(s => (s.DepartmentCode, s.State))
            .Select(g => new CaseStateCount(g.Key.DepartmentCode, g.Key.State, g.Sum(s => s.Count), g.Sum(s => s.Overdue), g.Sum(s => s.DueToday)))
            .ToLookup(s => s.DepartmentCode);

        async Task<ILookup<string, CaseDuration>> DurationsAsync(string milestone) =>
            (await connection.QueryAsync<(string Key, long Days, long Count)>(new CommandDefinition(
                $"""
                SELECT group_key, working_days, COUNT(*)
                FROM (SELECT group_key, {CaseHandlingRollup.WorkingDaysTo(milestone, "@OffsetMs")} AS working_days
                    FROM {keyed} WHERE appeal_upheld = 0 AND {milestone} IS NOT NULL) AS d
                GROUP BY group_key, working_days
                """,
                parameters, cancellationToken: cancellationToken)))
            .SelectMany(r => keysOf(r.Key).Select(k => new CaseDuration(k, (int)r.Days, (int)r.Count)))
            .GroupBy(d => (d.DepartmentCode, d.WorkingDays))
            .Select(g => new CaseDuration(g.Key.DepartmentCode, g.Key.WorkingDays, g.Sum(d => d.Count)))
            .ToLookup(p => p.DepartmentCode);

        var toContact = await DurationsAsync("reached_at_ms");
        var toFeedback = await DurationsAsync("first_feedback_at_ms");
        return figures.Values
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new HandlingGroupCounts(g.Key, g, new HandlingCounts(states[g.Key].ToList(), toContact[g.Key].ToList(), toFeedback[g.Key].ToList())))
            .ToList();
    }

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

/// <summary>What handling figures can be broken down by: a key of the case, or of the rating it was opened for.</summary>
public enum HandlingGrouping
{
    /// <summary>The responsible department (the assigned one, else the one rated).</summary>
    Department = 1,

    /// <summary>The window rated, keyed "hall/window".</summary>
    Window = 2,

    /// <summary>The staff number rated.</summary>
    Staff = 3,

    /// <summary>Each reason tag the rater chose.</summary>
    ReasonTags = 4,

    /// <summary>The rating's channel, by its number.</summary>
    Channel = 5,
}

/// <summary>One group of a breakdown: its case figures and its stage and duration counts (the same cases).</summary>
public sealed record HandlingGroupCounts(string Key, CaseFigureGroup Figures, HandlingCounts Counts);

/// <summary>The 差评 received (rated) in one group, and their case figures.</summary>
public sealed record CaseFigureGroup(string Key, int Received, CaseFigures Figures);

/// <summary>Open cases by state, and how many of them are past a running deadline.</summary>
public sealed record OpenCaseCounts(IReadOnlyDictionary<CaseState, long> ByState, long Overdue);
